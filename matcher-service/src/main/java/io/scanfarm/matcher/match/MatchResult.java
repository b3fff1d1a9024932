package io.scanfarm.matcher.match;

import java.util.List;

/** Nmap's ranking for one subject: the outcome, up to 36 matches best first, and how many of them are perfect. */
public record MatchResult(Outcome outcome, List<RankedMatch> matches, int perfectMatches) {

    public MatchResult {
        matches = List.copyOf(matches);
    }
}
