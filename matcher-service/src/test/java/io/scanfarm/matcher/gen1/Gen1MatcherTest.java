package io.scanfarm.matcher.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.load.Gen1DbFiles;
import io.scanfarm.matcher.match.Outcome;
import io.scanfarm.matcher.oracle.SharedTestData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Gen1Matcher}: scoring (compare_fingerprints), ranking (match_fingerprint), tries (os_scan), and the real database. */
class Gen1MatcherTest {

    /** Twenty attributes: T1..T4 with DF, W, ACK, Flags, Ops each. */
    private static final String TWENTY = "T1(DF=Y%W=1%ACK=S++%Flags=AS%Ops=M)\nT2(DF=Y%W=2%ACK=S%Flags=AR%Ops=)\n"
            + "T3(DF=Y%W=3%ACK=S++%Flags=AS%Ops=M)\nT4(DF=Y%W=4%ACK=O%Flags=R%Ops=)";
    private static final String TWENTY_SUBJECT = "T1(Resp=Y%DF=Y%W=1%ACK=S++%Flags=AS%Ops=M)\nT2(Resp=Y%DF=Y%W=2%ACK=S%Flags=AR%Ops=)\n"
            + "T3(Resp=Y%DF=Y%W=3%ACK=S++%Flags=AS%Ops=M)\nT4(Resp=Y%DF=Y%W=4%ACK=O%Flags=R%Ops=)";

    static Gen1Matcher matcher(String... entries) {
        StringBuilder db = new StringBuilder();
        for (String e : entries) {
            db.append(e).append("\n\n");
        }
        return Gen1Matcher.compile(Gen1DbParser.parse(db.toString(), "hand.fp"));
    }

    static String entry(String name, String tests) {
        return "Fingerprint " + name + "\nClass Acme | Acme OS | 1.X | general purpose\n" + tests;
    }

    /** The twenty-attribute subject with the W of the first {@code wrong} tests changed (each costs one point). */
    static Gen1Subject twentyWithWrong(int wrong) {
        String s = TWENTY_SUBJECT;
        for (int i = 1; i <= wrong; i++) {
            s = s.replace("%W=" + i + "%", "%W=F" + i + "%");
        }
        return Gen1SubjectParser.parse(s);
    }

    static List<String> names(Gen1Result r) {
        return r.matches().stream().map(m -> m.fingerprint().name() + "@" + m.fingerprint().line()).toList();
    }

    /** Rows: what is shown; reference tests; subject tests ('~' is a line break); matched/compared. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "all shared values agree                ; T1(DF=Y%W=0)               ; T1(Resp=Y%DF=Y%W=0)                 ; 2/2",
        "one value differs                      ; T1(DF=Y%W=0)               ; T1(Resp=Y%DF=N%W=0)                 ; 1/2",
        "a reference test the subject lacks     ; T1(DF=Y%W=0)~T2(Resp=N)    ; T2(Resp=N)                          ; 1/1",
        "a subject test the reference lacks     ; T1(DF=Y)                   ; TSeq(Class=RI)~T1(Resp=Y%DF=Y)      ; 1/1",
        "no answer vs an expected answer: free  ; T2(DF=N%W=0)               ; T2(Resp=N)                          ; 0/0",
        "no answer vs an explicit Resp=Y: fails ; T2(Resp=Y%DF=N%W=0)        ; T2(Resp=N)                          ; 0/1",
        "an answer vs Resp=N: fails             ; T2(Resp=N)                 ; T2(Resp=Y%DF=N%W=0%ACK=S%Flags=AR%Ops=) ; 0/1",
        "attributes the subject lacks are free  ; TSeq(Class=RI%gcd=<6%SI=<1E) ; TSeq(Class=TR%IPID=Z%TS=U)         ; 0/1",
        "constant class with its value          ; TSeq(Class=C%Val=0)        ; TSeq(Class=C%Val=0%IPID=I)          ; 2/2",
        "nothing shared                         ; PU(Resp=N)                 ; T1(Resp=N)                          ; 0/0",
        "expressions per attribute              ; TSeq(Class=RI|TD%gcd=<6%SI=<7A8FA&>50%IPID=I|RI%TS=100HZ|U) ; TSeq(Class=TD%gcd=5%SI=51%IPID=RI%TS=2HZ) ; 4/5",
    })
    void scoresSharedAttributesOnly(String name, String reference, String subject, String expected) {
        Gen1Matcher m = matcher(entry("R", reference.replace("~", "\n")));
        Gen1Match match = m.scores(Gen1SubjectParser.parse(subject.replace("~", "\n")).tests()).get(0);
        assertEquals(expected, match.matched() + "/" + match.compared());
    }

    @Test
    void aReferenceEntersAtEightyFivePercentNotBelow() {
        Gen1Matcher m = matcher(entry("R", TWENTY));
        Gen1Result at85 = m.match(twentyWithWrong(3));
        assertEquals(Outcome.SUCCESS, at85.outcome());
        assertEquals(85, at85.matches().get(0).accuracy());
        assertEquals(0, at85.perfectMatches());
        Gen1Result at80 = m.match(twentyWithWrong(4));
        assertEquals(Outcome.NOMATCHES, at80.outcome());
        assertTrue(at80.matches().isEmpty());
    }

    @Test
    void accuracyIsTruncatedNotRounded() {
        // 19/20 = 95%; (int) (0.95 * 100) keeps what the double holds, as Nmap's (int) cast did.
        Gen1Result r = matcher(entry("R", TWENTY)).match(twentyWithWrong(1));
        assertEquals(0.95, r.matches().get(0).score());
        assertEquals((int) (0.95 * 100), r.matches().get(0).accuracy());
    }

    @Test
    void rankedBestFirstEqualScoresInFileOrder() {
        Gen1Matcher m = matcher(
                entry("Ninety", TWENTY.replace("W=1%", "W=E1%").replace("W=2%", "W=E2%")),
                entry("PerfectA", TWENTY), entry("NinetyFive", TWENTY.replace("W=1%", "W=E1%")), entry("PerfectB", TWENTY));
        Gen1Result r = m.match(twentyWithWrong(0));
        assertEquals(List.of("PerfectA@8", "PerfectB@22", "NinetyFive@15", "Ninety@1"), names(r));
        assertEquals(2, r.perfectMatches());
    }

    @Test
    void aNameIsRankedOnceWithItsBestScoreAndTheEarlierEntryOnATie() {
        Gen1Matcher m = matcher(entry("Dup", TWENTY.replace("W=1%", "W=E1%")), entry("Twin", TWENTY), entry("Dup", TWENTY),
                entry("Twin", TWENTY), entry("Dup", TWENTY.replace("W=1%", "W=E1%")));
        Gen1Result r = m.match(twentyWithWrong(0));
        assertEquals(List.of("Twin@8", "Dup@15"), names(r));
        assertEquals(2, r.perfectMatches());
    }

    @Test
    void thirtySixPerfectMatchesAreRankedAThirtySeventhIsTooMany() {
        List<String> entries = new ArrayList<>();
        for (int i = 1; i <= Gen1Matcher.MAX_RESULTS + 1; i++) {
            entries.add(entry("OS " + i, TWENTY));
        }
        Gen1Result full = matcher(entries.subList(0, 36).toArray(new String[0])).match(twentyWithWrong(0));
        assertEquals(Outcome.SUCCESS, full.outcome());
        assertEquals(36, full.perfectMatches());
        Gen1Result over = matcher(entries.toArray(new String[0])).match(twentyWithWrong(0));
        assertEquals(Outcome.TOOMANYMATCHES, over.outcome());
        assertEquals(36, over.perfectMatches());
    }

    @Test
    void theRankingKeepsThirtySixAndRaisesItsBar() {
        List<String> entries = new ArrayList<>();
        // Forty names at 95%, then one at 90% that the full list no longer lets in.
        for (int i = 1; i <= 40; i++) {
            entries.add(entry("Near " + i, TWENTY.replace("W=1%", "W=E1%")));
        }
        entries.add(entry("Lower", TWENTY.replace("W=1%", "W=E1%").replace("W=2%", "W=E2%")));
        Gen1Result r = matcher(entries.toArray(new String[0])).match(twentyWithWrong(0));
        assertEquals(36, r.matches().size());
        assertEquals("Near 1", r.matches().get(0).fingerprint().name());
        assertEquals("Near 36", r.matches().get(35).fingerprint().name());
    }

    @Test
    void ofSeveralTriesTheFirstPerfectOneWinsElseTheFirstWithTheBestScore() {
        Gen1Matcher m = matcher(entry("Seq", "TSeq(Class=RI%gcd=<6%SI=<1E&>10%IPID=I)\n" + TWENTY));
        String rest = "\n" + TWENTY_SUBJECT;
        // tries: 22/24 (SI too high, IPID off), 23/24, 24/24 -> the third try, perfect.
        Gen1Result perfect = m.match(Gen1SubjectParser.parse(
                "TSeq(Class=RI%gcd=1%SI=30%IPID=Z)\nTSeq(Class=RI%gcd=1%SI=30%IPID=I)\nTSeq(Class=RI%gcd=1%SI=15%IPID=I)" + rest));
        assertEquals(2, perfect.tryIndex());
        assertEquals(3, perfect.tries());
        assertEquals(1, perfect.perfectMatches());
        // tries: 23/24, 23/24, 22/24 -> the first of the two best.
        Gen1Result best = m.match(Gen1SubjectParser.parse(
                "TSeq(Class=RI%gcd=1%SI=30%IPID=I)\nTSeq(Class=RI%gcd=1%SI=15%IPID=Z)\nTSeq(Class=RI%gcd=1%SI=30%IPID=Z)" + rest));
        assertEquals(0, best.tryIndex());
        assertEquals(23, best.matches().get(0).matched());
    }

    // --- the real database --------------------------------------------------------------------------------

    private static Gen1Matcher real;

    /** The real database, compiled once for the class (the test is skipped without ../shared). */
    static Gen1Matcher real() {
        if (real == null) {
            real = Gen1Matcher.compile(Gen1DbFiles.load(SharedTestData.require("nmap-gen1/nmap-os-fingerprints")).db());
        }
        return real;
    }

    /** The values of "Linux 2.4.7 - 2.6.11" (line 12365), each inside its expression. */
    static final String LINUX = Gen1SubjectParserTest.LINUX;

    /** The values of "Microsoft Windows XP" (line 15047), alternatives picked from its expressions. */
    static final String WINDOWS_XP = String.join("\n",
            "TSeq(Class=RI%gcd=1%SI=B4B9%IPID=I%TS=U)",
            "T1(Resp=Y%DF=Y%W=FAF0%ACK=S++%Flags=AS%Ops=MNW)",
            "T2(Resp=Y%DF=N%W=0%ACK=S%Flags=AR%Ops=)",
            "T3(Resp=Y%DF=Y%W=FAF0%ACK=S++%Flags=AS%Ops=MNW)",
            "T4(Resp=Y%DF=N%W=0%ACK=O%Flags=R%Ops=)",
            "T5(Resp=Y%DF=N%W=C00%ACK=S++%Flags=AR%Ops=)",
            "T6(Resp=Y%DF=N%W=800%ACK=S%Flags=AR%Ops=)",
            "T7(Resp=Y%DF=N%W=800%ACK=S++%Flags=AR%Ops=)",
            "PU(Resp=N)");

    /** The values shared by the two "3Com Netbuilder Remote Office 222" entries (lines 183 and 196). */
    static final String NETBUILDER = String.join("\n",
            "TSeq(Class=TD%gcd=1%SI=3%IPID=I%TS=U)",
            "T1(Resp=Y%DF=N%W=800%ACK=S++%Flags=AS%Ops=M)",
            "T2(Resp=Y%DF=N%W=0%ACK=O%Flags=AR%Ops=)",
            "T3(Resp=Y%DF=N%W=800%ACK=S++%Flags=AS%Ops=M)",
            "T4(Resp=Y%DF=N%W=0%ACK=O%Flags=AR%Ops=)",
            "T5(Resp=Y%DF=N%W=0%ACK=O%Flags=AR%Ops=)",
            "T6(Resp=Y%DF=N%W=0%ACK=O%Flags=AR%Ops=)",
            "T7(Resp=Y%DF=N%W=0%ACK=O%Flags=AR%Ops=)",
            "PU(Resp=Y%DF=N%TOS=0%IPLEN=54%RIPTL=148%RID=E%RIPCK=E%UCK=E%ULEN=134%DAT=F)");

    /** A host that answered nothing but the closed-port probes' silence (Nmap 4.01 printed this one). */
    static final String SILENT = "SInfo(V=4.01%P=i686-pc-linux-gnu%D=7/14%Tm=44B79DC6%O=-1%C=-1%M=00142A)\n"
            + "T5(Resp=N)\nT6(Resp=N)\nT7(Resp=N)\nPU(Resp=N)";

    /** Values no entry holds. */
    static final String IMPOSSIBLE = String.join("\n",
            "SInfo(V=4.20%P=i686-pc-linux-gnu%D=1/4%Tm=459D1A2B%O=22%C=1)",
            "TSeq(Class=XX%gcd=0%SI=0%IPID=XX%TS=XX)",
            "T1(Resp=Y%DF=X%W=ZZ%ACK=X%Flags=X%Ops=X)",
            "T2(Resp=Y%DF=X%W=ZZ%ACK=X%Flags=X%Ops=X)",
            "T3(Resp=Y%DF=X%W=ZZ%ACK=X%Flags=X%Ops=X)",
            "T4(Resp=Y%DF=X%W=ZZ%ACK=X%Flags=X%Ops=X)",
            "T5(Resp=Y%DF=X%W=ZZ%ACK=X%Flags=X%Ops=X)",
            "T6(Resp=Y%DF=X%W=ZZ%ACK=X%Flags=X%Ops=X)",
            "T7(Resp=Y%DF=X%W=ZZ%ACK=X%Flags=X%Ops=X)",
            "PU(Resp=Y%DF=X%TOS=X%IPLEN=X%RIPTL=X%RID=X%RIPCK=X%UCK=X%ULEN=X%DAT=X)");

    @Test
    void aLinuxSubjectCopiedFromItsEntryIsItsOnlyPerfectMatch() {
        Gen1Result r = real().match(Gen1SubjectParser.parse(LINUX));
        assertEquals(Outcome.SUCCESS, r.outcome());
        assertEquals(1, r.perfectMatches());
        assertEquals("Linux 2.4.7 - 2.6.11@12365", names(r).get(0));
        assertEquals(46, r.matches().get(0).compared());
        assertTrue(r.matches().get(1).score() < 1.0);
    }

    @Test
    void aWindowsSubjectCopiedFromItsEntryIsItsOnlyPerfectMatch() {
        Gen1Result r = real().match(Gen1SubjectParser.parse(WINDOWS_XP));
        assertEquals(1, r.perfectMatches());
        assertEquals("Microsoft Windows XP@15047", names(r).get(0));
    }

    @Test
    void twoEntriesWithTheSameValuesAreBothPerfect() {
        Gen1Result r = real().match(Gen1SubjectParser.parse(NETBUILDER));
        assertEquals(2, r.perfectMatches());
        assertEquals(List.of("3Com Netbuilder Remote Office 222 (ESPL-310), Version 10.1 (SW/NBRO-AB,10.1)@183",
                "3Com Netbuilder Remote Office 222 router@196"), names(r).subList(0, 2));
    }

    @Test
    void aSilentHostMatchesEveryEntryThatExpectsSilenceThere() {
        // Only Resp is compared: every entry whose T5-T7 and PU Resp attributes (where present) say N is perfect.
        Gen1Result r = real().match(Gen1SubjectParser.parse(SILENT));
        assertEquals(Outcome.TOOMANYMATCHES, r.outcome());
        assertEquals(Gen1Matcher.MAX_RESULTS, r.perfectMatches());
    }

    @Test
    void impossibleValuesMatchNothing() {
        Gen1Result r = real().match(Gen1SubjectParser.parse(IMPOSSIBLE));
        assertEquals(Outcome.NOMATCHES, r.outcome());
        assertTrue(r.matches().isEmpty());
    }

    @Test
    void everyEntryScoresItselfPerfectWithItsFirstAlternatives() {
        // Over all 1684 entries: a subject made of each entry's own first alternatives scores 1.0 against it.
        Gen1Matcher m = real();
        List<Gen1Fingerprint> prints = m.db().fingerprints();
        List<String> unsatisfiable = new ArrayList<>();
        for (int i = 0; i < prints.size(); i++) {
            Gen1Match self = m.scores(subjectSatisfying(prints.get(i), unsatisfiable).tests()).get(i);
            assertTrue(self.perfect(), prints.get(i).name() + " at line " + prints.get(i).line() + ": " + self);
        }
        // One entry asks for SI below 0x14 and above 0x1000 at once: no host can match it perfectly.
        assertEquals(List.of("Ascend Max terminal server firmware 7.0.4@1805 TSeq.SI=<14&>1000"), unsatisfiable);
    }

    /**
     * A subject that holds, for each attribute of the entry, a value its expression accepts (the first
     * alternative); an attribute no value can satisfy is left out and noted in {@code unsatisfiable}.
     */
    static Gen1Subject subjectSatisfying(Gen1Fingerprint f, List<String> unsatisfiable) {
        List<FpTest> tests = new ArrayList<>();
        for (FpTest t : f.tests()) {
            List<Attr> attrs = new ArrayList<>();
            if (!t.name().equals(Gen1Tests.TSEQ) && t.value("Resp") == null) {
                attrs.add(new Attr("Resp", "Y"));
            }
            for (Attr a : t.attrs()) {
                String v = satisfying(a.value());
                if (v == null) {
                    unsatisfiable.add(f.name() + "@" + f.line() + " " + t.name() + "." + a.name() + "=" + a.value());
                } else {
                    attrs.add(new Attr(a.name(), v));
                }
            }
            tests.add(new FpTest(t.name(), attrs));
        }
        return new Gen1Subject(null, tests);
    }

    private static String satisfying(String expr) {
        if (expr.indexOf('|') < 0 && expr.indexOf('&') >= 0) {
            long low = -1;
            long high = Long.MAX_VALUE;
            for (String part : expr.split("&")) {
                long n = Long.parseLong(part.substring(1), 16);
                if (part.charAt(0) == '<') {
                    high = Math.min(high, n);
                } else {
                    low = Math.max(low, n);
                }
            }
            return low + 1 < high ? Long.toHexString(low + 1).toUpperCase() : null;
        }
        String first = expr.split("\\|", -1)[0];
        if (first.startsWith("<")) {
            return Long.toHexString(Long.parseLong(first.substring(1), 16) - 1).toUpperCase();
        }
        if (first.startsWith(">")) {
            return Long.toHexString(Long.parseLong(first.substring(1), 16) + 1).toUpperCase();
        }
        return first;
    }
}
