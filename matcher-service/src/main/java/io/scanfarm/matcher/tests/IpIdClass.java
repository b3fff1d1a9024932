package io.scanfarm.matcher.tests;

import java.util.List;

/** Nmap's IP ID sequence classes (osscan2.cc get_ipid_sequence_16), with their printed value and name. */
public enum IpIdClass {
    UNKNOWN(null, "Busy server or unknown class"),
    ZERO("Z", "All zeros"),
    RANDOM("RD", "Randomized"),
    RANDOM_POSITIVE("RI", "Random positive increments"),
    BROKEN_INCREMENT("BI", "Broken little-endian incremental"),
    INCREMENT("I", "Incremental"),
    INCREMENT_BY_2("I", "Incrementing by 2"),
    CONSTANT(null, "Duplicated ipid (!)");

    private final String code;
    private final String description;

    IpIdClass(String code, String description) {
        this.code = code;
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The TI/CI/II value: the class letter, the first ID in hex for a constant, null (omitted) when unknown. */
    public String printed(List<Integer> ids) {
        if (this == CONSTANT) {
            return Integer.toHexString(ids.get(0)).toUpperCase();
        }
        return code;
    }

    /** Whether SS may be computed from this class (INCREMENT_BY_2 does not count, though it prints as I). */
    boolean countsForSharedSequence() {
        return this == INCREMENT || this == BROKEN_INCREMENT || this == RANDOM_POSITIVE;
    }

    /** Classifies IP IDs (16-bit values) in probe order; {@code localhost} applies Nmap's own-traffic allowance. */
    public static IpIdClass of(List<Integer> ids, boolean localhost) {
        int n = ids.size();
        if (n < 2) {
            return UNKNOWN;
        }
        long[] diffs = new long[n - 1];
        boolean allZero = true;
        for (int i = 0; i < n - 1; i++) {
            // Differences in unsigned 32-bit arithmetic: a decrease wraps to about 4e9.
            diffs[i] = (ids.get(i + 1) - ids.get(i)) & 0xFFFF_FFFFL;
            if (n > 2 && diffs[i] > 20000) {
                return RANDOM;
            }
        }
        for (int id : ids) {
            allZero &= id == 0;
        }
        if (allZero) {
            return ZERO;
        }
        boolean allAtLeast2 = true;
        for (int i = 0; i < diffs.length; i++) {
            diffs[i] &= 0xFFFF;
            allAtLeast2 &= diffs[i] >= 2;
        }
        if (localhost && allAtLeast2) {
            // Nmap's own packets to localhost take IDs from the same counter.
            for (int i = 0; i < diffs.length; i++) {
                diffs[i] = diffs[i] % 256 == 0 ? diffs[i] - 256 : diffs[i] - 1;
            }
        }
        boolean allZeroDiffs = true;
        boolean allMultiples256 = true;
        boolean allEven = true;
        boolean allSmall = true;
        for (long d : diffs) {
            if (d > 1000 && (d % 256 != 0 || d >= 25600)) {
                return RANDOM_POSITIVE;
            }
            allZeroDiffs &= d == 0;
            allMultiples256 &= d % 256 == 0 && d <= 5120;
            allEven &= d % 2 == 0;
            allSmall &= d <= 9;
        }
        if (allZeroDiffs) {
            return CONSTANT;
        }
        if (allMultiples256) {
            return BROKEN_INCREMENT;
        }
        if (allEven) {
            return INCREMENT_BY_2;
        }
        if (allSmall) {
            return INCREMENT;
        }
        return UNKNOWN;
    }
}
