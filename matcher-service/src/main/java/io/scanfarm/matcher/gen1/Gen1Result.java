package io.scanfarm.matcher.gen1;

import io.scanfarm.matcher.match.Outcome;
import java.util.List;

/**
 * Nmap's ranking of one subject (its FingerPrintResults): the overall result, up to 36 matches best first (no
 * name twice), how many of them are perfect, and which try of the subject it comes from (0-based, of {@code tries}).
 */
public record Gen1Result(Outcome outcome, List<Gen1Match> matches, int perfectMatches, int tryIndex, int tries) {

    public Gen1Result {
        matches = List.copyOf(matches);
    }
}
