package io.scanfarm.matcher.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.match.RankedMatch;
import io.scanfarm.matcher.osdb.OsDb;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import io.scanfarm.matcher.subject.SubjectParser;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The matcher adds up the points of every test but SEQ once per distinct set of those lines and scores SEQ per
 * subject, and it remembers whole rankings by the subject's tests. Its rankings must be those of scoring every test
 * of every subject: checked on every oracle subject, on subjects made of one subject's SEQ and another's other tests
 * (cold and remembered), with steady points alone, with rankings remembered too, and with caches too small to hold
 * them (entries evicted and computed again).
 */
class SteadyPointsTest {

    private static List<SubjectFingerprint> oracleSubjects() throws Exception {
        List<SubjectFingerprint> out = new ArrayList<>();
        for (String file : List.of("edge.txt", "synthetic.txt", "real.txt")) {
            for (OracleCase c : OracleCase.parse(Files.readString(SharedTestData.require("nmap-oracle/" + file)))) {
                try {
                    out.add(SubjectParser.parseOne(c.subjectText()));
                } catch (IllegalArgumentException e) {
                    // edge cases that do not parse are the parser's tests, not this one's
                }
            }
        }
        return out;
    }

    /** A's tests with B's SEQ line in place of A's (or added, or A's removed when B has none). */
    private static SubjectFingerprint withSeqOf(SubjectFingerprint a, SubjectFingerprint b) {
        List<FpTest> tests = new ArrayList<>();
        for (FpTest t : a.tests()) {
            if (!t.name().equals("SEQ")) {
                tests.add(t);
            }
        }
        FpTest seq = b.test("SEQ");
        if (seq != null) {
            tests.add(0, seq);
        }
        return new SubjectFingerprint(a.scan(), tests);
    }

    private static String describe(MatchResult r) {
        StringBuilder s = new StringBuilder(r.outcome() + " perfect=" + r.perfectMatches());
        for (RankedMatch m : r.matches()) {
            s.append('\n').append(Double.doubleToRawLongBits(m.score())).append(' ').append(m.fingerprint().line())
                    .append(' ').append(m.fingerprint().name());
        }
        return s.toString();
    }

    @Test
    void rankingsAreThoseOfScoringEveryTest() throws Exception {
        OsDb db = OsDbFiles.load(SharedTestData.oracleDb()).db();
        OsMatcher everyTest = OsMatcher.compile(db, 0);
        OsMatcher remembering = OsMatcher.compile(db, OsMatcher.STEADY_CACHE_ENTRIES, 0);
        OsMatcher rankingsToo = OsMatcher.compile(db);
        OsMatcher evicting = OsMatcher.compile(db, 2);
        List<SubjectFingerprint> subjects = oracleSubjects();
        assertTrue(subjects.size() >= 50, "too few oracle subjects read: " + subjects.size());

        List<SubjectFingerprint> mixed = new ArrayList<>(subjects);
        Random random = new Random(20261126);
        for (int i = 0; i < 400; i++) {
            mixed.add(withSeqOf(subjects.get(random.nextInt(subjects.size())), subjects.get(random.nextInt(subjects.size()))));
        }
        int compared = 0;
        for (int round = 0; round < 2; round++) { // the second round finds every steady set remembered
            for (SubjectFingerprint s : mixed) {
                String expected = describe(everyTest.match(s));
                assertEquals(expected, describe(remembering.match(s)), () -> "remembered steady points differ for " + s);
                assertEquals(expected, describe(rankingsToo.match(s)), () -> "remembered rankings differ for " + s);
                assertEquals(expected, describe(evicting.match(s)), () -> "evicted steady points differ for " + s);
                compared++;
            }
        }
        assertTrue(compared > 800);
    }
}
