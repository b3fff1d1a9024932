package io.scanfarm.matcher.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.osdb.ReferenceFingerprint;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Ranking} against Nmap 7.93's match_fingerprint (osscan.cc): entrance at 0.85 (or exactly 1), insertion
 * before the first strictly lower entry, one entry per name, at most 36 entries, a full list raising the entrance
 * to the 36th score + 0.00001, and a 37th perfect match ending the walk with OSSCAN_TOOMANYMATCHES.
 */
class RankingTest {

    private static ReferenceFingerprint fp(String name, int line) {
        return new ReferenceFingerprint(name, line, List.of(), List.of());
    }

    private static List<String> names(MatchResult r) {
        List<String> out = new ArrayList<>();
        for (RankedMatch m : r.matches()) {
            out.add(m.fingerprint().name());
        }
        return out;
    }

    /** Offers fp0..fp{n-1} (database lines 1..n), each at the given score. */
    private static Ranking filled(int n, double score) {
        Ranking r = new Ranking();
        for (int i = 0; i < n; i++) {
            assertTrue(r.offer(fp("fp" + i, i + 1), score));
        }
        return r;
    }

    static Stream<Arguments> entranceCases() {
        return Stream.of(
                Arguments.of("exactly 0.85 is admitted", 0.85, true),
                Arguments.of("the double just below 0.85 is not", Math.nextDown(0.85), false),
                Arguments.of("0.9 is admitted", 0.9, true),
                Arguments.of("0.5 is not", 0.5, false),
                Arguments.of("zero is not", 0.0, false),
                Arguments.of("a perfect score is admitted", 1.0, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entranceCases")
    void entranceThresholdIsEightyFivePercent(String description, double score, boolean admitted) {
        Ranking r = new Ranking();
        r.offer(fp("Only", 1), score);
        MatchResult result = r.result();
        assertEquals(admitted ? 1 : 0, result.matches().size());
        assertEquals(admitted ? Outcome.SUCCESS : Outcome.NOMATCHES, result.outcome());
    }

    @Test
    void perfectScoreIsAdmittedEvenWhenTheEntranceHasReachedOne() {
        // 36 entries at 0.99999999 raise the entrance to min(0.99999999 + 0.00001, 1.0) = 1.0.
        Ranking r = filled(36, 0.99999999);
        r.offer(fp("AlmostPerfect", 100), 0.9999999999);
        assertFalse(names(r.result()).contains("AlmostPerfect"), "below the raised entrance");
        r.offer(fp("Perfect", 101), 1.0);
        MatchResult result = r.result();
        assertEquals("Perfect", result.matches().get(0).fingerprint().name());
        assertEquals(1, result.perfectMatches());
        assertEquals(36, result.matches().size());
        assertFalse(names(result).contains("fp35"), "the last entry is pushed off");
    }

    @Test
    void tiesKeepDatabaseOrder() {
        Ranking r = new Ranking();
        r.offer(fp("A", 1), 0.9);
        r.offer(fp("B", 2), 0.95);
        r.offer(fp("C", 3), 0.9);
        r.offer(fp("D", 4), 0.95);
        r.offer(fp("E", 5), 0.92);
        assertEquals(List.of("B", "D", "E", "A", "C"), names(r.result()));
    }

    @Test
    void perfectMatchesRankFirstAndAreCounted() {
        Ranking r = new Ranking();
        r.offer(fp("Guess", 1), 0.97);
        r.offer(fp("Exact1", 2), 1.0);
        r.offer(fp("Exact2", 3), 1.0);
        MatchResult result = r.result();
        assertEquals(List.of("Exact1", "Exact2", "Guess"), names(result));
        assertEquals(2, result.perfectMatches());
        assertEquals(Outcome.SUCCESS, result.outcome());
    }

    @Test
    void duplicateNameWithHigherScoreReplacesTheListedOne() {
        Ranking r = new Ranking();
        r.offer(fp("X", 10), 0.9);
        r.offer(fp("Y", 11), 0.92);
        r.offer(fp("X", 20), 0.95);
        MatchResult result = r.result();
        assertEquals(List.of("X", "Y"), names(result));
        assertEquals(20, result.matches().get(0).fingerprint().line());
        assertEquals(0.95, result.matches().get(0).score());
    }

    @Test
    void duplicateNameWithEqualScoreIsSkipped() {
        Ranking r = new Ranking();
        r.offer(fp("X", 10), 0.9);
        r.offer(fp("X", 20), 0.9);
        MatchResult result = r.result();
        assertEquals(1, result.matches().size());
        assertEquals(10, result.matches().get(0).fingerprint().line());
    }

    @Test
    void duplicateNameWithLowerScoreIsSkipped() {
        Ranking r = new Ranking();
        r.offer(fp("X", 10), 0.95);
        r.offer(fp("X", 20), 0.9);
        MatchResult result = r.result();
        assertEquals(1, result.matches().size());
        assertEquals(10, result.matches().get(0).fingerprint().line());
        assertEquals(0.95, result.matches().get(0).score());
    }

    @Test
    void perfectDuplicateIsSkippedAndNotCountedAsPerfect() {
        Ranking r = new Ranking();
        r.offer(fp("X", 10), 1.0);
        r.offer(fp("X", 20), 1.0);
        MatchResult result = r.result();
        assertEquals(1, result.matches().size());
        assertEquals(1, result.perfectMatches());
        assertEquals(10, result.matches().get(0).fingerprint().line());
    }

    @Test
    void listIsCappedAtThirtySixInDatabaseOrder() {
        Ranking r = filled(40, 0.9);
        MatchResult result = r.result();
        assertEquals(36, result.matches().size());
        assertEquals("fp0", result.matches().get(0).fingerprint().name());
        assertEquals("fp35", result.matches().get(35).fingerprint().name());
        assertEquals(Outcome.SUCCESS, result.outcome());
    }

    @Test
    void newcomerToAFullListNeedsThe36thScorePlusOneHundredThousandth() {
        Ranking r = filled(36, 0.9);
        double entrance = 0.9 + 0.00001; // what Nmap computes in double arithmetic
        r.offer(fp("Higher", 100), 0.900005);
        assertFalse(names(r.result()).contains("Higher"), "strictly higher than the 36th is not enough");
        r.offer(fp("JustBelow", 101), Math.nextDown(entrance));
        assertFalse(names(r.result()).contains("JustBelow"));
        r.offer(fp("AtEntrance", 102), entrance);
        MatchResult result = r.result();
        assertEquals(36, result.matches().size());
        assertEquals("AtEntrance", result.matches().get(0).fingerprint().name());
        assertFalse(names(result).contains("fp35"), "the 36th entry is pushed off");
        assertEquals("fp34", result.matches().get(35).fingerprint().name());
    }

    @Test
    void entranceFollowsTheCurrent36thScore() {
        Ranking r = filled(35, 0.95);
        r.offer(fp("Low", 36), 0.9);
        r.offer(fp("Mid", 37), 0.92); // >= 0.90001: admitted, pushes Low off
        assertTrue(names(r.result()).contains("Mid"));
        assertFalse(names(r.result()).contains("Low"));
        r.offer(fp("TooLow", 38), 0.920005); // needs 0.92001 now
        assertFalse(names(r.result()).contains("TooLow"));
        r.offer(fp("Enough", 39), 0.9201);
        assertTrue(names(r.result()).contains("Enough"));
        assertFalse(names(r.result()).contains("Mid"));
    }

    @Test
    void replacingADuplicateInAFullListPushesNobodyOff() {
        Ranking r = filled(36, 0.9);
        r.offer(fp("fp5", 50), 0.95);
        MatchResult result = r.result();
        assertEquals(36, result.matches().size());
        assertEquals("fp5", result.matches().get(0).fingerprint().name());
        assertEquals(50, result.matches().get(0).fingerprint().line());
        assertEquals("fp35", result.matches().get(35).fingerprint().name());
        assertEquals(1, names(result).stream().filter("fp5"::equals).count());
    }

    @Test
    void thirtySixPerfectMatchesAreStillSuccess() {
        Ranking r = filled(36, 1.0);
        MatchResult result = r.result();
        assertEquals(Outcome.SUCCESS, result.outcome());
        assertEquals(36, result.perfectMatches());
        assertEquals(36, result.matches().size());
    }

    @Test
    void thirtySeventhPerfectMatchGivesTooManyMatches() {
        Ranking r = filled(36, 1.0);
        assertFalse(r.offer(fp("fp36", 37), 1.0), "matching stops");
        MatchResult result = r.result();
        assertEquals(Outcome.TOOMANYMATCHES, result.outcome());
        assertEquals(36, result.perfectMatches());
        assertEquals(36, result.matches().size());
        assertFalse(names(result).contains("fp36"));
    }

    @Test
    void perfectMatchesDisplaceGuessesInAFullList() {
        Ranking r = filled(36, 0.9);
        for (int i = 0; i < 36; i++) {
            assertTrue(r.offer(fp("exact" + i, 100 + i), 1.0));
        }
        MatchResult result = r.result();
        assertEquals(Outcome.SUCCESS, result.outcome());
        assertEquals(36, result.perfectMatches());
        assertTrue(result.matches().stream().allMatch(RankedMatch::perfect));
        assertFalse(r.offer(fp("exact36", 200), 1.0));
        assertEquals(Outcome.TOOMANYMATCHES, r.result().outcome());
    }

    @Test
    void nothingAdmittedIsNoMatches() {
        Ranking r = new Ranking();
        r.offer(fp("A", 1), 0.5);
        r.offer(fp("B", 2), 0.84);
        MatchResult result = r.result();
        assertEquals(Outcome.NOMATCHES, result.outcome());
        assertEquals(List.of(), result.matches());
        assertEquals(0, result.perfectMatches());
    }
}
