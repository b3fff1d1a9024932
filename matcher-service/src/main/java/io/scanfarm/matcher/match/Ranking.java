package io.scanfarm.matcher.match;

import io.scanfarm.matcher.osdb.ReferenceFingerprint;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounded list Nmap 7.93 keeps while it walks the database (osscan.cc match_fingerprint), reproduced step
 * for step because its corners decide what users see.
 */
final class Ranking {

    /** Size of FingerPrintResults::matches. */
    static final int MAX_MATCHES = 36;
    /** Nmap's accuracy threshold with --osscan-guess. */
    static final double GUESS_THRESHOLD = 0.85;

    private final ReferenceFingerprint[] prints = new ReferenceFingerprint[MAX_MATCHES];
    private final double[] accuracy = new double[MAX_MATCHES];
    /** The listed names' hash codes: most names differ in them, so few need comparing in full. */
    private final int[] nameHash = new int[MAX_MATCHES];
    private int count;
    private int perfect;
    private double entrance = GUESS_THRESHOLD;
    private boolean tooMany;

    /** The score a newcomer needs (or exactly 1.0) to be considered at all. */
    boolean admits(double acc) {
        return acc >= entrance || acc == 1.0;
    }

    /**
     * Offers a fingerprint that matched {@code num} of the {@code den} points it shares with the subject. Most
     * fingerprints score far below the entrance and are told apart without a division: num / den is rounded
     * within a relative 2^-53 of the true ratio, so one below entrance * (1 - 1e-12) cannot reach it.
     */
    boolean offer(ReferenceFingerprint fp, int num, int den) {
        if (num != den && num < entrance * den * (1 - 1e-12)) {
            return true;
        }
        return offer(fp, den == 0 ? 0 : num / (double) den);
    }

    /** Offers a fingerprint in database order; returns false once a 37th perfect match ended matching. */
    boolean offer(ReferenceFingerprint fp, double acc) {
        if (!admits(acc)) {
            return true;
        }
        String name = fp.name();
        int hash = name.hashCode(); // kept by the String after the first time
        for (int i = 0; i < count; i++) {
            if (nameHash[i] == hash && prints[i].name().equals(name)) {
                if (accuracy[i] >= acc) {
                    return true; // the same name is already listed at least as high
                }
                System.arraycopy(prints, i + 1, prints, i, count - 1 - i);
                System.arraycopy(accuracy, i + 1, accuracy, i, count - 1 - i);
                System.arraycopy(nameHash, i + 1, nameHash, i, count - 1 - i);
                count--;
                prints[count] = null;
                accuracy[count] = 0;
                break;
            }
        }
        if (acc == 1.0) {
            if (perfect == MAX_MATCHES) {
                tooMany = true;
                return false;
            }
            perfect++;
        }
        // Insert before the first strictly lower entry (empty slots hold 0), shifting the rest down one.
        int at = 0;
        while (at < MAX_MATCHES && !(accuracy[at] < acc)) {
            at++;
        }
        if (at == MAX_MATCHES) {
            throw new IllegalStateException("ranking insertion found no slot for accuracy " + acc);
        }
        int last = Math.min(count, MAX_MATCHES - 1);
        System.arraycopy(prints, at, prints, at + 1, last - at);
        System.arraycopy(accuracy, at, accuracy, at + 1, last - at);
        System.arraycopy(nameHash, at, nameHash, at + 1, last - at);
        prints[at] = fp;
        accuracy[at] = acc;
        nameHash[at] = hash;
        count = Math.min(count + 1, MAX_MATCHES);
        if (count == MAX_MATCHES) {
            entrance = Math.min(accuracy[MAX_MATCHES - 1] + 0.00001, 1.0);
        }
        return true;
    }

    MatchResult result() {
        List<RankedMatch> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new RankedMatch(prints[i], accuracy[i]));
        }
        Outcome outcome = tooMany ? Outcome.TOOMANYMATCHES : count == 0 ? Outcome.NOMATCHES : Outcome.SUCCESS;
        return new MatchResult(outcome, list, perfect);
    }
}
