package io.scanfarm.matcher.gen1;

import io.scanfarm.matcher.fp.FpTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An observed first-generation fingerprint as Nmap 3.x/4.x printed it: the {@code SInfo(...)} line when there
 * was one (null otherwise; kept, never matched) and the test lines in printed order.
 *
 * <p>Nmap probed up to three times and printed the tries merged (osscan.cc mergeFPs): test by test, a try's
 * line left out when the next try's line was identical. So a printed subject may hold a test two or three
 * times ({@code TSeq} most often, its numbers vary); {@link #tries()} takes them apart again.
 */
public record Gen1Subject(FpTest info, List<FpTest> tests) {

    /** Nmap 3.x/4.x os_scan made at most this many tries. */
    public static final int MAX_TRIES = 3;

    public Gen1Subject {
        tests = List.copyOf(tests);
    }

    /**
     * The tries, first to last. A test printed k times gives its i-th line to try i, and its last line to the
     * later tries (mergeFPs kept the last of identical neighbours; which tries shared a line is not printed,
     * so this is a choice). A subject with no repeated test is one try.
     */
    public List<List<FpTest>> tries() {
        Map<String, List<FpTest>> byName = new LinkedHashMap<>();
        for (FpTest t : tests) {
            byName.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(t);
        }
        int count = byName.values().stream().mapToInt(List::size).max().orElse(0);
        List<List<FpTest>> tries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<FpTest> one = new ArrayList<>();
            for (List<FpTest> lines : byName.values()) {
                one.add(lines.get(Math.min(i, lines.size() - 1)));
            }
            tries.add(List.copyOf(one));
        }
        return tries;
    }

    /** The open TCP port the scan used (SInfo {@code O=}, -1 when it found none), or null when not printed. */
    public Integer openTcpPort() {
        return port("O");
    }

    /** The closed TCP port the scan used (SInfo {@code C=}, -1 when it found none), or null when not printed. */
    public Integer closedTcpPort() {
        return port("C");
    }

    /** The fingerprint as Nmap printed it under {@code TCP/IP fingerprint:}: SInfo first, then one test a line. */
    public List<String> printed() {
        List<String> out = new ArrayList<>();
        if (info != null) {
            out.add(info.toString());
        }
        tests.forEach(t -> out.add(t.toString()));
        return out;
    }

    private Integer port(String attr) {
        if (info == null) {
            return null;
        }
        String v = info.value(attr);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
