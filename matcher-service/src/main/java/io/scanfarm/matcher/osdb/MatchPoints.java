package io.scanfarm.matcher.osdb;

import io.scanfarm.matcher.fp.FpTest;
import java.util.List;

/**
 * The MatchPoints section: which tests exist, which attributes each has (in order) and what each is worth.
 * Each test's attributes carry their weight as an integer in {@link FpTest#attrs()}.
 */
public record MatchPoints(List<FpTest> tests) {

    /** Attributes one test may weigh: the matcher keeps the weight of every subset of them (2^n sums). */
    public static final int MAX_ATTRIBUTES = 16;

    /** What all the weights may add up to: the matcher adds shared and matched points in 32 bits. */
    public static final long MAX_TOTAL_WEIGHT = Integer.MAX_VALUE;

    public MatchPoints {
        tests = List.copyOf(tests);
    }
}
