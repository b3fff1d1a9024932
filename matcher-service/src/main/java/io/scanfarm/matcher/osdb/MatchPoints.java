package io.scanfarm.matcher.osdb;

import io.scanfarm.matcher.fp.FpTest;
import java.util.List;

/**
 * The MatchPoints section: which tests exist, which attributes each has (in order) and what each is worth.
 * Each test's attributes carry their weight as an integer in {@link FpTest#attrs()}.
 */
public record MatchPoints(List<FpTest> tests) {

    public MatchPoints {
        tests = List.copyOf(tests);
    }
}
