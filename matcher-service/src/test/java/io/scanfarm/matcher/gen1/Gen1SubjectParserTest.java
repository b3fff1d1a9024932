package io.scanfarm.matcher.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.fp.FpTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Gen1SubjectParser}: the forms Nmap 3.x/4.x printed, the agreed form of the probe helper, and bad input. */
class Gen1SubjectParserTest {

    /** The standard text form: SInfo, then one test a line, Resp=N alone for an unanswered probe. */
    static final String LINUX = String.join("\n",
            "SInfo(V=4.20%P=i686-pc-linux-gnu%D=1/4%Tm=459D1A2B%O=22%C=1%M=000C29)",
            "TSeq(Class=RI%gcd=1%SI=1C5B2A%IPID=Z%TS=1000HZ)",
            "T1(Resp=Y%DF=Y%W=16A0%ACK=S++%Flags=AS%Ops=MNNTNW)",
            "T2(Resp=N)",
            "T3(Resp=Y%DF=Y%W=16A0%ACK=S++%Flags=AS%Ops=MNNTNW)",
            "T4(Resp=Y%DF=Y%W=0%ACK=O%Flags=R%Ops=)",
            "T5(Resp=Y%DF=Y%W=0%ACK=S++%Flags=AR%Ops=)",
            "T6(Resp=Y%DF=Y%W=0%ACK=O%Flags=R%Ops=)",
            "T7(Resp=Y%DF=Y%W=0%ACK=S++%Flags=AR%Ops=)",
            "PU(Resp=Y%DF=N%TOS=C0%IPLEN=164%RIPTL=148%RID=E%RIPCK=E%UCK=E%ULEN=134%DAT=E)");

    @Test
    void readsTheStandardFormKeepingSInfoApart() {
        Gen1Subject s = Gen1SubjectParser.parse(LINUX);
        assertEquals("SInfo", s.info().name());
        assertEquals("4.20", s.info().value("V"));
        assertEquals(Gen1Tests.ORDER, s.tests().stream().map(FpTest::name).toList());
        assertEquals(List.of("Resp=N"), s.tests().get(2).attrs().stream().map(a -> a.name() + "=" + a.value()).toList());
        assertEquals("", s.tests().get(4).value("Ops"));
        assertEquals(22, s.openTcpPort());
        assertEquals(1, s.closedTcpPort());
        assertEquals(List.of(LINUX.split("\n")), s.printed(), "printed back as read");
        assertEquals(1, s.tries().size());
    }

    @Test
    void aSubjectWithoutSInfoHasNoPorts() {
        Gen1Subject s = Gen1SubjectParser.parse(LINUX.substring(LINUX.indexOf('\n') + 1));
        assertNull(s.info());
        assertNull(s.openTcpPort());
        assertNull(s.closedTcpPort());
        assertEquals(9, s.printed().size());
    }

    @Test
    void acceptsTheHeadingCommentsIndentationAndCrlf() {
        String text = "# from a 2006 scan\r\nTCP/IP fingerprint:\r\n" + LINUX.replace("\n", "\r\n   ") + "\r\n";
        assertEquals(Gen1SubjectParser.parse(LINUX), Gen1SubjectParser.parse(text));
    }

    @Test
    void joinsWrappedOsLines() {
        String flat = LINUX.replace("\n", "");
        StringBuilder wrapped = new StringBuilder();
        for (int i = 0; i < flat.length(); i += 70) {
            wrapped.append("OS:").append(flat, i, Math.min(flat.length(), i + 70)).append('\n');
        }
        assertEquals(Gen1SubjectParser.parse(LINUX), Gen1SubjectParser.parse(wrapped.toString()));
    }

    @Test
    void blankLinesSeparateSubjectsAndABadOneDoesNotStopTheOthers() {
        String text = LINUX + "\n\nT1(Resp=Y%DF=Y\n\n\n" + LINUX + "\n";
        List<Gen1ParsedSubject> all = Gen1SubjectParser.parseAll(text);
        assertEquals(3, all.size());
        assertTrue(all.get(0).ok());
        assertEquals(1, all.get(0).line());
        assertFalse(all.get(1).ok());
        assertEquals(2, all.get(1).index());
        assertEquals(12, all.get(1).errorLine());
        assertTrue(all.get(1).error().contains("no closing ')'"), all.get(1).error());
        assertTrue(all.get(2).ok());
        assertEquals(15, all.get(2).line());
    }

    @Test
    void aMergedPrintOfThreeTriesIsTakenApart() {
        // Nmap 4.11 printed this for one host: three tries, only TSeq differed (mergeFPs dropped the identical lines).
        String merged = String.join("\n",
                "SInfo(V=4.11%P=i686-pc-linux-gnu%D=11/15%Tm=455B6F0C%O=22%C=5010)",
                "TSeq(Class=RI%gcd=1%SI=2523CC%IPID=Z)",
                "TSeq(Class=RI%gcd=1%SI=25259E%IPID=Z)",
                "TSeq(Class=RI%gcd=1%SI=24FC66%IPID=Z)",
                "T1(Resp=Y%DF=Y%W=16A0%ACK=S++%Flags=AS%Ops=MNNTNW)",
                "T2(Resp=Y%DF=N%W=0%ACK=S%Flags=AR%Ops=)",
                "T3(Resp=N)",
                "PU(Resp=N)");
        Gen1Subject s = Gen1SubjectParser.parse(merged);
        List<List<FpTest>> tries = s.tries();
        assertEquals(3, tries.size());
        assertEquals(List.of("2523CC", "25259E", "24FC66"), tries.stream().map(t -> t.get(0).value("SI")).toList());
        for (List<FpTest> t : tries) {
            assertEquals(List.of("TSeq", "T1", "T2", "T3", "PU"), t.stream().map(FpTest::name).toList());
            assertEquals("T1(Resp=Y%DF=Y%W=16A0%ACK=S++%Flags=AS%Ops=MNNTNW)", t.get(1).toString());
        }
        assertEquals(8, s.printed().size(), "printed as Nmap printed it, all three TSeq lines");
    }

    @Test
    void aTestPrintedTwiceInThreeTriesGivesItsLastLineToTheLaterTries() {
        Gen1Subject s = Gen1SubjectParser.parse("TSeq(Class=TR)\nTSeq(Class=RI)\nTSeq(Class=TD)\nT1(Resp=N)\nT1(Resp=Y%DF=Y)");
        assertEquals(List.of("T1(Resp=N)", "T1(Resp=Y%DF=Y)", "T1(Resp=Y%DF=Y)"),
                s.tries().stream().map(t -> t.get(1).toString()).toList());
    }

    @Test
    void parseWantsExactlyOneSubjectAndNamesTheBadLine() {
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> Gen1SubjectParser.parse(LINUX + "\n\n" + LINUX));
        assertTrue(two.getMessage().contains("found 2"), two.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Gen1SubjectParser.parse("TSeq(Class=RI)\nT1(Resp=Y%Foo=1)"));
        assertTrue(bad.getMessage().startsWith("line 2: test T1 has no attribute Foo"), bad.getMessage());
    }

    /** Rows: what is wrong; the subject ('~' is a line break); the line named; what the message says. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "not a test at all               ; hello world                               ; 1 ; expected a test like T1(",
        "a second-generation test        ; SEQ(SP=101%GCD=1)                         ; 1 ; unknown test SEQ",
        "an unknown attribute            ; T1(Resp=Y%R=Y)                            ; 1 ; test T1 has no attribute R",
        "an expression instead of a value; TSeq(Class=RI)~T1(Resp=Y%W=0|8000)        ; 2 ; is an expression",
        "a database bound                ; TSeq(Class=RI%gcd=<6)                     ; 1 ; is an expression",
        "tests out of order              ; T1(Resp=N)~PU(Resp=N)~T1(Resp=N)          ; 3 ; T1 after PU",
        "a test four times               ; T1(Resp=N)~T1(Resp=N)~T1(Resp=N)~T1(Resp=N) ; 4 ; appears 4 times",
        "two SInfo lines                 ; SInfo(V=4.20)~SInfo(V=4.20)~T1(Resp=N)    ; 2 ; a second SInfo line",
        "only SInfo                      ; SInfo(V=4.20%O=22%C=1)                    ; 1 ; no fingerprint tests",
        "empty test                      ; TSeq(Class=RI)~T2()                       ; 2 ; is empty",
        "missing '='                     ; TSeq(Class=RI)~T2(Resp)                   ; 2 ; expected ATTR=VALUE",
        "garbage after a test            ; T1(Resp=N) and more                       ; 1 ; expected a test like",
    })
    void badSubjectsNameTheirLine(String name, String text, int line, String expected) {
        List<Gen1ParsedSubject> all = Gen1SubjectParser.parseAll(text.replace("~", "\n"));
        assertEquals(1, all.size());
        assertFalse(all.get(0).ok(), name);
        assertEquals(line, all.get(0).errorLine(), all.get(0).error());
        assertTrue(all.get(0).error().contains(expected), all.get(0).error());
    }
}
