package io.scanfarm.cli;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares our fingerprint of a host with nmap's, test by test. SEQ.SP, ISR, GCD and TS come from sequence
 * numbers and timestamps that change from run to run, so for them "the same range class" is required:
 * SP and ISR within 0x20 of each other (four doublings of the rate on Nmap's log scale), GCD on the same side
 * of nmap-os-db's usual 1-6 bucket, TS the same class (U, 0) or, as a rate, within 3 steps. Everything else
 * must be identical.
 * <p>
 * Why 0x20: a host with random ISNs (every Linux) draws SP and ISR afresh each run. Over the 4,096 lab hosts of
 * one scan SP spread from E5 to 10A (1st-99th percentile F6-108) and ISR from F5 to 110; two runs of one host,
 * drawn from that spread, differ by more than 0x10 in 0.85% (SP) and 0.22% (ISR) of pairs, by more than 0x20
 * in 0.003% and 0.0005% (400,000 simulated pairs of Nmap's formulas over uniform ISNs 100 ms apart, which give the
 * same spread as the lab's). With 0x10 this comparison failed about once in a hundred hosts for no fault.
 * Whether our values are right for the packets actually exchanged is checked against the wire, by ScaleIT.
 */
final class FingerprintAgreement {

    private static final Set<String> RUN_TO_RUN = Set.of("SEQ.SP", "SEQ.ISR", "SEQ.GCD", "SEQ.TS");

    /** Per test attribute: {agreeing, compared}. */
    final Map<String, int[]> tally = new TreeMap<>();
    final List<String> differences = new ArrayList<>();
    /** Attributes ("SEQ.II") left out of the comparison: present or not, whatever their values. */
    private final Set<String> leftOut;

    FingerprintAgreement() {
        this(Set.of());
    }

    FingerprintAgreement(Set<String> leftOut) {
        this.leftOut = Set.copyOf(leftOut);
    }

    void compare(String host, SubjectFingerprint nmap, SubjectFingerprint ours) {
        List<String> nmapTests = nmap.tests().stream().map(FpTest::name).toList();
        List<String> ourTests = ours.tests().stream().map(FpTest::name).toList();
        if (!nmapTests.equals(ourTests)) {
            differences.add(host + ": tests nmap " + nmapTests + ", ours " + ourTests);
        }
        for (FpTest t : nmap.tests()) {
            FpTest o = ours.test(t.name());
            List<String> names = compared(t);
            if (o != null && !names.equals(compared(o))) {
                differences.add(host + ": " + t.name() + " attributes nmap " + names + ", ours " + o.attrs());
            }
            for (Attr a : t.attrs()) {
                String key = t.name() + "." + a.name();
                if (leftOut.contains(key)) {
                    continue;
                }
                String mine = o == null ? null : o.value(a.name());
                boolean same = RUN_TO_RUN.contains(key) ? sameClass(key, a.value(), mine) : a.value().equals(mine);
                int[] c = tally.computeIfAbsent(key, k -> new int[2]);
                c[1]++;
                if (same) {
                    c[0]++;
                } else {
                    differences.add(host + ": " + key + " nmap " + a.value() + ", ours " + mine);
                }
            }
        }
    }

    /** The names of {@code t}'s attributes that are compared. */
    private List<String> compared(FpTest t) {
        return t.attrs().stream().map(Attr::name).filter(n -> !leftOut.contains(t.name() + "." + n)).toList();
    }

    static boolean sameClass(String key, String nmap, String ours) {
        if (ours == null) {
            return false;
        }
        if (key.equals("SEQ.GCD")) {
            // nmap-os-db writes GCD=1-6 for hosts with random ISNs: a small gcd of random differences.
            return (Long.parseLong(nmap, 16) <= 6) == (Long.parseLong(ours, 16) <= 6);
        }
        if (key.equals("SEQ.TS") && (nmap.equals("U") || nmap.equals("0") || ours.equals("U") || ours.equals("0"))) {
            return nmap.equals(ours);
        }
        try {
            long d = Math.abs(Long.parseLong(nmap, 16) - Long.parseLong(ours, 16));
            return key.equals("SEQ.TS") ? d <= 3 : d <= 0x20;
        } catch (NumberFormatException e) {
            return nmap.equals(ours);
        }
    }

    String table() {
        StringBuilder sb = new StringBuilder("per-test agreement with nmap -O (agreeing/compared):\n");
        tally.forEach((k, c) -> sb.append(String.format("  %-10s %d/%d%s%n", k, c[0], c[1], RUN_TO_RUN.contains(k) ? " (range class)" : "")));
        return sb.toString();
    }
}
