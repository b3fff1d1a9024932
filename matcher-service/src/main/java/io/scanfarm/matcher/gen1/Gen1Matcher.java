package io.scanfarm.matcher.gen1;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.match.HexStrtol;
import io.scanfarm.matcher.match.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * First-generation matching as Nmap 3.x/4.x did it (osscan.cc compare_fingerprints, match_fingerprint, os_scan),
 * on a database compiled once into flat arrays: each distinct (test, attribute, expression) is a condition,
 * evaluated once per subject; a reference is a run of condition ids. The facts kept:
 * <ul>
 *   <li>only attributes present on both sides count: a reference test the subject lacks, or an attribute of it
 *       the subject's test lacks, is skipped, not failed. So {@code T2(Resp=N)} in a subject costs nothing
 *       against a reference expecting {@code T2(DF=N%W=0..)} (no Resp there), but fails one attribute against
 *       {@code T2(Resp=Y%..)}; a subject's {@code T2(Resp=Y%..)} fails one against a reference's {@code T2(Resp=N)};</li>
 *   <li>accuracy = matched / compared attributes, every attribute worth one point (no MatchPoints in gen1);
 *       a reference sharing nothing with the subject scores 0;</li>
 *   <li>a reference enters the ranking at 0.85 (OSSCAN_GUESS_THRESHOLD) or when perfect; a name already ranked
 *       keeps its better score (the earlier entry on a tie); the ranking holds 36 (MAX_FP_RESULTS, 4.x), once
 *       full the entry bar is the last score + 0.00001; equal scores keep file order;</li>
 *   <li>a 37th perfect match (36 already ranked) ends matching with OSSCAN_TOOMANYMATCHES;</li>
 *   <li>of several tries, the first with a perfect match ends the scan; otherwise the first try with the best
 *       top score is kept.</li>
 * </ul>
 */
public final class Gen1Matcher {

    /** OSSCAN_GUESS_THRESHOLD (osscan.h). */
    public static final double GUESS_THRESHOLD = 0.85;
    /** MAX_FP_RESULTS (FingerPrintResults.h, Nmap 3.5x to 4.x). */
    public static final int MAX_RESULTS = 36;

    private final Gen1Db db;
    private final Gen1Expression[] conditionExpr;
    private final int[] conditionSlot;
    /** References' conditions: those of reference r are refConditions[refStart[r] .. refStart[r + 1]). */
    private final int[] refStart;
    private final int[] refConditions;

    private Gen1Matcher(Gen1Db db, Gen1Expression[] conditionExpr, int[] conditionSlot, int[] refStart, int[] refConditions) {
        this.db = db;
        this.conditionExpr = conditionExpr;
        this.conditionSlot = conditionSlot;
        this.refStart = refStart;
        this.refConditions = refConditions;
    }

    public static Gen1Matcher compile(Gen1Db db) {
        Map<String, Integer> ids = new HashMap<>();
        List<Gen1Expression> exprs = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        List<Gen1Fingerprint> prints = db.fingerprints();
        int[] start = new int[prints.size() + 1];
        List<Integer> conditions = new ArrayList<>();
        for (int r = 0; r < prints.size(); r++) {
            start[r] = conditions.size();
            for (FpTest t : prints.get(r).tests()) {
                for (Attr a : t.attrs()) {
                    int slot = Gen1Tests.slot(t.name(), a.name());
                    if (slot < 0) {
                        throw new IllegalArgumentException(db.source() + ":" + prints.get(r).line() + ": unknown attribute "
                                + t.name() + "." + a.name());
                    }
                    Integer id = ids.get(slot + "\u0000" + a.value());
                    if (id == null) {
                        id = exprs.size();
                        ids.put(slot + "\u0000" + a.value(), id);
                        exprs.add(Gen1Expression.compile(a.value()));
                        slots.add(slot);
                    }
                    conditions.add(id);
                }
            }
        }
        start[prints.size()] = conditions.size();
        return new Gen1Matcher(db, exprs.toArray(new Gen1Expression[0]),
                slots.stream().mapToInt(Integer::intValue).toArray(), start,
                conditions.stream().mapToInt(Integer::intValue).toArray());
    }

    public Gen1Db db() {
        return db;
    }

    /** How many distinct conditions the database compiled to. */
    public int conditions() {
        return conditionExpr.length;
    }

    /** Matches every try of the subject as os_scan did, and keeps the ranking Nmap kept. */
    public Gen1Result match(Gen1Subject subject) {
        List<List<FpTest>> tries = subject.tries();
        List<Gen1Result> results = new ArrayList<>();
        for (int i = 0; i < tries.size(); i++) {
            Gen1Result r = matchTry(tries.get(i), i, tries.size());
            results.add(r);
            if (r.outcome() == Outcome.SUCCESS && r.perfectMatches() > 0) {
                break;
            }
        }
        double bestScore = 0;
        int best = 0;
        for (int i = 0; i < results.size(); i++) {
            Gen1Result r = results.get(i);
            if (r.outcome() == Outcome.SUCCESS && !r.matches().isEmpty() && r.matches().get(0).score() > bestScore) {
                bestScore = r.matches().get(0).score();
                best = i;
                if (r.perfectMatches() > 0) {
                    break;
                }
            }
        }
        return results.get(best);
    }

    /** Every reference's score against one try, in file order (compare_fingerprints for each). */
    List<Gen1Match> scores(List<FpTest> tests) {
        int[] counts = counts(tests);
        List<Gen1Fingerprint> prints = db.fingerprints();
        List<Gen1Match> out = new ArrayList<>(prints.size());
        for (int r = 0; r < prints.size(); r++) {
            out.add(new Gen1Match(prints.get(r), counts[2 * r], counts[2 * r + 1]));
        }
        return out;
    }

    /** Matched and compared attributes of each reference, interleaved: {@code [m0, c0, m1, c1, ...]}. */
    private int[] counts(List<FpTest> tests) {
        String[] values = new String[Gen1Tests.SLOTS];
        for (FpTest t : tests) {
            for (Attr a : t.attrs()) {
                int slot = Gen1Tests.slot(t.name(), a.name());
                if (slot >= 0 && values[slot] == null) {
                    values[slot] = a.value();
                }
            }
        }
        // Each value is read as a number once; each distinct condition is evaluated once.
        boolean[] hex = new boolean[Gen1Tests.SLOTS];
        int[] number = new int[Gen1Tests.SLOTS];
        for (int slot = 0; slot < values.length; slot++) {
            if (values[slot] != null) {
                long parsed = HexStrtol.parse(values[slot], 0);
                hex[slot] = HexStrtol.end(parsed) == values[slot].length();
                number[slot] = HexStrtol.value(parsed);
            }
        }
        byte[] outcome = new byte[conditionExpr.length];
        for (int c = 0; c < outcome.length; c++) {
            int slot = conditionSlot[c];
            String v = values[slot];
            outcome[c] = v == null ? (byte) -1 : conditionExpr[c].matches(v, hex[slot], number[slot]) ? (byte) 1 : (byte) 0;
        }
        int refs = refStart.length - 1;
        int[] counts = new int[2 * refs];
        for (int r = 0; r < refs; r++) {
            int matched = 0;
            int compared = 0;
            for (int k = refStart[r]; k < refStart[r + 1]; k++) {
                byte o = outcome[refConditions[k]];
                if (o >= 0) {
                    compared++;
                    matched += o;
                }
            }
            counts[2 * r] = matched;
            counts[2 * r + 1] = compared;
        }
        return counts;
    }

    /** The ranking of one try (match_fingerprint). */
    Gen1Result matchTry(List<FpTest> tests, int tryIndex, int tries) {
        int[] counts = counts(tests);
        List<Gen1Fingerprint> prints = db.fingerprints();
        List<Gen1Match> ranked = new ArrayList<>(MAX_RESULTS + 1);
        int perfect = 0;
        double entrance = GUESS_THRESHOLD;
        for (int r = 0; r < prints.size(); r++) {
            int compared = counts[2 * r + 1];
            double score = compared == 0 ? 0 : counts[2 * r] / (double) compared;
            if (!(score >= entrance || score == 1.0)) {
                continue;
            }
            Gen1Match m = new Gen1Match(prints.get(r), counts[2 * r], compared);
            boolean skip = false;
            for (int i = 0; i < ranked.size(); i++) {
                if (ranked.get(i).fingerprint().name().equals(m.fingerprint().name())) {
                    if (ranked.get(i).score() >= score) {
                        skip = true;
                    } else {
                        ranked.remove(i);
                    }
                    break;
                }
            }
            if (skip) {
                continue;
            }
            if (score == 1.0) {
                if (perfect == MAX_RESULTS) {
                    return new Gen1Result(Outcome.TOOMANYMATCHES, ranked, perfect, tryIndex, tries);
                }
                perfect++;
            }
            int at = 0;
            while (at < ranked.size() && ranked.get(at).score() >= score) {
                at++;
            }
            ranked.add(at, m);
            if (ranked.size() > MAX_RESULTS) {
                ranked.remove(MAX_RESULTS);
            }
            if (ranked.size() == MAX_RESULTS) {
                entrance = ranked.get(MAX_RESULTS - 1).score() + 0.00001;
            }
        }
        return new Gen1Result(ranked.isEmpty() ? Outcome.NOMATCHES : Outcome.SUCCESS, ranked, perfect, tryIndex, tries);
    }
}
