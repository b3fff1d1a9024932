package io.scanfarm.matcher.subject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.fuzz.FuzzBudget;
import io.scanfarm.fuzz.FuzzTally;
import io.scanfarm.fuzz.Mutations;
import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.fp.NmapTests;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.oracle.OracleMatcher;
import io.scanfarm.matcher.oracle.SharedTestData;
import io.scanfarm.matcher.report.OsSection;
import io.scanfarm.matcher.report.SubmissionReason;
import io.scanfarm.matcher.tests.ComputedFingerprint;
import io.scanfarm.matcher.tests.FingerprintComputer;
import io.scanfarm.matcher.tests.RecordedObservations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * {@link SubjectParser} on mutated subject files (oracle blocks, Nmap's wrapped {@code OS:} form, computed
 * fingerprints): {@code parseAll} never throws and gives each block a subject or an error on one of its lines;
 * {@code parseOne} gives a subject or an {@link IllegalArgumentException}; a subject it accepts reads back from
 * its printed form, is matched and worded.
 */
@AddLifecycleHook(FuzzBudget.class)
class SubjectParserFuzzTest {

    private static final List<String> TOKENS = new ArrayList<>(Mutations.STRUCTURE);
    private static final Map<String, String> SEEDS = seeds();

    static {
        TOKENS.addAll(List.of("SCAN(", "SEQ(", "OS:", "TCP/IP fingerprint:", "T1(R=Y)", "IE()", "()", "(R=N)", "%R=Y", "=",
                "OT=", "CT=99999999999", "DS=-7", "G=N", "CU=-1", "%DS=", "\n\n", "#"));
    }

    @Property(tries = 2000)
    void mutatedSubjectFilesParseBlockByBlock(@ForAll("subjects") Mutations.TextMutant m) {
        String text = m.text();
        List<ParsedSubject> all = SubjectParser.parseAll(text);
        int lines = text.split("\n", -1).length;
        String outcome = "no block";
        for (ParsedSubject p : all) {
            assertTrue(p.line() >= 1 && p.line() <= lines, "a block starts on one of the lines");
            if (p.ok()) {
                assertNull(p.error());
                check(p.subject());
                outcome = outcome.equals("no block") ? "parsed" : outcome;
            } else {
                assertNotNull(p.error());
                assertTrue(p.errorLine() >= p.line() && p.errorLine() <= lines, "the error is on a line of its block: " + p);
                outcome = "refused";
            }
        }
        Set<String> ops = new LinkedHashSet<>();
        m.edits().forEach(e -> ops.add(e.op().name()));
        for (String op : ops) {
            FuzzTally.count("subject file " + op, outcome);
        }
    }

    @Property(tries = 1000)
    void parseOneGivesASubjectOrTheDeclaredError(@ForAll("subjects") Mutations.TextMutant m) {
        SubjectFingerprint s;
        try {
            s = SubjectParser.parseOne(m.text());
        } catch (IllegalArgumentException e) {
            assertEquals(IllegalArgumentException.class, e.getClass());
            FuzzTally.count("one subject", "refused");
            return;
        }
        check(s);
        FuzzTally.count("one subject", "parsed");
    }

    /** A parsed subject holds only tests and attributes Nmap prints, reads back from its lines, and is matched. */
    private static void check(SubjectFingerprint s) {
        assertFalse(s.tests().isEmpty());
        List<String> lines = new ArrayList<>();
        if (s.scan() != null) {
            lines.add(s.scan().line().toString());
        }
        for (FpTest t : s.tests()) {
            assertTrue(NmapTests.ATTRS.containsKey(t.name()), t.name());
            for (Attr a : t.attrs()) {
                assertTrue(NmapTests.ATTRS.get(t.name()).contains(a.name()), t.name() + "." + a.name());
            }
            lines.add(t.toString());
        }
        SubjectFingerprint again = SubjectParser.parseOne(String.join("\n", lines));
        assertEquals(s.tests(), again.tests(), "its printed lines read back");
        MatchResult r = OracleMatcher.get().match(s);
        OsSection.withDistance(r, s.scan());
        SubmissionReason.of(s.scan());
    }

    private static Map<String, String> seeds() {
        Map<String, String> out = new LinkedHashMap<>();
        RecordedObservations.all().forEach((name, o) -> {
            ComputedFingerprint fp = FingerprintComputer.compute(o, "fuzz");
            out.put(name + " lines", String.join("\n", fp.lines()) + "\n");
            out.put(name + " wrapped", "TCP/IP fingerprint:\n" + fp.wrapped());
        });
        for (String file : List.of("real.txt", "edge.txt")) {
            Path p = SharedTestData.root().resolve("testdata/nmap-oracle").resolve(file);
            if (Files.isRegularFile(p)) {
                try {
                    String[] blocks = Files.readString(p).split("\n\n");
                    for (int i = 0; i < blocks.length && i < 12; i++) {
                        out.put(file + " block " + (i + 1), blocks[i] + "\n");
                    }
                    out.put(file + " blocks 1-3", blocks[0] + "\n\n" + blocks[1] + "\n\n" + blocks[2] + "\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    @Provide
    Arbitrary<Mutations.TextMutant> subjects() {
        return Mutations.text(SEEDS, TOKENS, 5);
    }
}
