package io.scanfarm.matcher.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.match.RankedMatch;
import io.scanfarm.matcher.report.OsSection;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import io.scanfarm.matcher.subject.SubjectParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every subject of ../shared/testdata/nmap-oracle against Nmap 7.93's own answers: same result, same counts,
 * the same complete ranking with bit-identical scores and database lines, the same printed accuracies and
 * the same verdict lines. Reports how many agree and fails on any difference.
 */
class NmapOracleAgreementTest {

    private static OsMatcher matcher;

    @BeforeAll
    static void loadDatabase() {
        matcher = OsMatcher.compile(OsDbFiles.load(SharedTestData.oracleDb()).db());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"edge.txt", "synthetic.txt", "real.txt"})
    void everySubjectAgreesWithNmap(String file) throws IOException {
        Path path = SharedTestData.require("nmap-oracle/" + file);
        List<OracleCase> cases = OracleCase.parse(Files.readString(path));
        List<String> differences = new ArrayList<>();
        int agreeing = 0;
        for (OracleCase c : cases) {
            List<String> diff = compare(c);
            if (diff.isEmpty()) {
                agreeing++;
            } else {
                differences.add(c.id() + " (" + file + ":" + c.line() + "): " + String.join("; ", diff));
            }
        }
        System.out.printf("nmap-oracle %s: %d of %d subjects agree with Nmap 7.93%n", file, agreeing, cases.size());
        assertTrue(cases.size() > 0, "no cases read from " + path);
        assertEquals(List.of(), differences.subList(0, Math.min(20, differences.size())),
                differences.size() + " of " + cases.size() + " subjects differ from Nmap");
    }

    private static List<String> compare(OracleCase c) {
        List<String> diff = new ArrayList<>();
        SubjectFingerprint subject;
        try {
            subject = SubjectParser.parseOne(c.subjectText());
        } catch (IllegalArgumentException e) {
            return List.of("subject does not parse: " + e.getMessage());
        }
        MatchResult r = matcher.match(subject);
        List<RankedMatch> m = r.matches();
        if (c.result() != null) {
            check(diff, "result", c.result(), r.outcome().name());
            check(diff, "num_matches", c.numMatches(), m.size());
            check(diff, "num_perfect_matches", c.numPerfect(), r.perfectMatches());
        }
        if (!c.exact().isEmpty()) {
            List<String> got = new ArrayList<>();
            List<String> want = new ArrayList<>();
            for (int i = 0; i < m.size(); i++) {
                got.add(m.get(i).score() + "\t" + m.get(i).fingerprint().line() + "\t" + m.get(i).fingerprint().name());
            }
            for (String e : c.exact()) {
                String[] f = e.split("\t", 3);
                want.add(Double.parseDouble(f[0]) + "\t" + f[1] + "\t" + f[2]);
            }
            check(diff, "exact ranking", want, got);
        }
        check(diff, "expect", c.expect(), printed(m, c.expect().size()));
        if (!c.ranking().isEmpty()) {
            check(diff, "ranking", c.ranking(), printed(m, c.ranking().size()));
        }
        if (!c.verdict().isEmpty()) {
            check(diff, "verdict", c.verdict(), OsSection.withDistance(r, subject.scan()));
        }
        if (!c.nmap().isEmpty()) {
            check(diff, "nmap output", c.nmap(), OsSection.verdict(r, subject.scan()));
        }
        return diff;
    }

    private static List<String> printed(List<RankedMatch> m, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, m.size()); i++) {
            out.add(m.get(i).accuracy() + "%\t" + m.get(i).fingerprint().name());
        }
        return out;
    }

    private static void check(List<String> diff, String what, Object want, Object got) {
        if (!want.equals(got)) {
            diff.add(what + ": expected " + want + " but got " + got);
        }
    }
}
