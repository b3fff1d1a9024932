package io.scanfarm.matcher.tests.gen1;

import java.util.List;

/**
 * The first generation's IP ID classes (osscan.cc ipid_sequence), with the TSeq IPID value and the words Nmap
 * printed for them (ipidclass2ascii). Unknown prints no IPID attribute.
 */
public enum IpIdSequence {
    UNKNOWN(null, "Busy server or unknown class"),
    ZERO("Z", "All zeros"),
    RANDOM("RD", "Randomized"),
    RANDOM_POSITIVE("RPI", "Random positive increments"),
    CONSTANT("C", "Duplicated ipid (!)"),
    INCREMENTAL("I", "Incremental"),
    BROKEN_INCREMENTAL("BI", "Broken little-endian incremental");

    private final String code;
    private final String description;

    IpIdSequence(String code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The TSeq IPID value, or null when Nmap leaves the attribute out. */
    public String code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** Classifies 16-bit IP IDs in sample order; {@code localhost} applies Nmap's allowance for its own RSTs. */
    public static IpIdSequence of(List<Integer> ids, boolean localhost) {
        int n = ids.size();
        if (n < 2) {
            return UNKNOWN;
        }
        int[] diffs = new int[n - 1];
        boolean allZero = true;
        for (int i = 1; i < n; i++) {
            int prev = ids.get(i - 1);
            int cur = ids.get(i);
            allZero &= prev == 0 && cur == 0;
            diffs[i - 1] = modDiff16(cur, prev);
            // A decrease that is not a wrap near 65535 means random IDs.
            if (cur < prev && (cur > 500 || prev < 65000)) {
                return RANDOM;
            }
        }
        if (allZero) {
            return ZERO;
        }
        if (localhost) {
            boolean allAbove1 = true;
            for (int d : diffs) {
                allAbove1 &= d >= 2;
            }
            if (allAbove1) {
                // Nmap's own RST to each SYN/ACK takes an ID from the same counter (256 for byte-swapped stacks).
                for (int i = 0; i < diffs.length; i++) {
                    diffs[i] = (diffs[i] % 256 == 0 ? diffs[i] - 256 : diffs[i] - 1) & 0xFFFF;
                }
            }
        }
        for (int d : diffs) {
            if (d > 1000) {
                return RANDOM_POSITIVE;
            }
            if (d == 0) {
                return CONSTANT;
            }
        }
        boolean allBelow10 = true;
        boolean all256 = true;
        for (int d : diffs) {
            if (d == 1) {
                return INCREMENTAL;
            }
            if (d < 2560 && d % 256 != 0) {
                all256 = false;
            }
            allBelow10 &= d <= 9;
        }
        if (all256) {
            return BROKEN_INCREMENTAL;
        }
        return allBelow10 ? INCREMENTAL : UNKNOWN;
    }

    /** The smaller distance between two 16-bit values (Nmap's MOD_DIFF_USHORT). */
    static int modDiff16(int a, int b) {
        return Math.min((a - b) & 0xFFFF, (b - a) & 0xFFFF);
    }
}
