package io.scanfarm.matcher.subject;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SubjectParser}: the plain and the wrapped {@code OS:} forms, SCAN, comments, several subjects, errors. */
class SubjectParserTest {

    private static final List<String> PLAIN_LINES = List.of(
            "SCAN(V=7.93%E=4%D=3/14%OT=22%CT=1%CU=40321%PV=Y%DS=2%DC=T%G=Y%TM=65F2A1B0%P=x86_64-pc-linux-gnu)",
            "SEQ(SP=FE%GCD=1%ISR=10C%TI=Z%CI=Z%II=I%TS=A)",
            "OPS(O1=M5B4ST11NW7%O2=M5B4ST11NW7%O3=M5B4NNT11NW7%O4=M5B4ST11NW7%O5=M5B4ST11NW7%O6=M5B4ST11)",
            "WIN(W1=FE88%W2=FE88%W3=FE88%W4=FE88%W5=FE88%W6=FE88)",
            "ECN(R=Y%DF=Y%T=40%W=FAF0%O=M5B4NNSNW7%CC=Y%Q=)",
            "T1(R=Y%DF=Y%T=40%S=O%A=S+%F=AS%RD=0%Q=)",
            "T2(R=N)",
            "T3(R=N)",
            "T4(R=Y%DF=Y%T=40%W=0%S=A%A=Z%F=R%O=%RD=0%Q=)",
            "T5(R=Y%DF=Y%T=40%W=0%S=Z%A=S+%F=AR%O=%RD=0%Q=)",
            "T6(R=Y%DF=Y%T=40%W=0%S=A%A=Z%F=R%O=%RD=0%Q=)",
            "T7(R=Y%DF=Y%T=40%W=0%S=Z%A=S+%F=AR%O=%RD=0%Q=)",
            "U1(R=Y%DF=N%T=40%IPL=164%UN=0%RIPL=G%RID=G%RIPCK=G%RUCK=G%RUD=G)",
            "IE(R=Y%DFI=N%T=40%CD=S)");

    private static final String PLAIN = String.join("\n", PLAIN_LINES) + "\n";

    /** Nmap's wrap(): newlines removed, then "OS:" + at most 71 characters per line. */
    private static List<String> wrapped(List<String> lines) {
        String joined = String.join("", lines);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < joined.length(); i += 71) {
            out.add("OS:" + joined.substring(i, Math.min(joined.length(), i + 71)));
        }
        return out;
    }

    @Test
    void oneTestPerLineKeepsTestsInOrderWithTheirValues() {
        SubjectFingerprint s = SubjectParser.parseOne(PLAIN);
        assertEquals(List.of("SEQ", "OPS", "WIN", "ECN", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "U1", "IE"),
                s.tests().stream().map(FpTest::name).toList());
        assertEquals("AS", s.test("T1").value("F"));
        assertEquals("S+", s.test("T1").value("A"));
        assertEquals("", s.test("ECN").value("Q"), "an empty value is kept as empty, not dropped");
        assertEquals(List.of(new Attr("R", "N")), s.test("T2").attrs());
        assertEquals(new FpTest("IE", List.of(new Attr("R", "Y"), new Attr("DFI", "N"), new Attr("T", "40"),
                new Attr("CD", "S"))), s.test("IE"));
        assertNull(s.test("SCAN"), "SCAN is not one of the scored tests");
    }

    @Test
    void wrappedFormCutsTestsMidValue() {
        // Guard for the next tests: the cut really falls inside tests, not at their boundaries.
        assertTrue(wrapped(PLAIN_LINES).stream().anyMatch(l -> !l.endsWith(")")));
        assertTrue(wrapped(PLAIN_LINES).stream().allMatch(l -> l.length() <= 74));
    }

    @Test
    void wrappedOsFormGivesTheSameSubjectAsThePlainForm() {
        SubjectFingerprint plain = SubjectParser.parseOne(PLAIN);
        SubjectFingerprint wrapped = SubjectParser.parseOne(String.join("\n", wrapped(PLAIN_LINES)) + "\n");
        assertEquals(plain.tests(), wrapped.tests());
        assertEquals(plain.scan(), wrapped.scan());
    }

    @Test
    void wrappedOsFormUnderTheTcpIpFingerprintHeading() {
        List<String> lines = new ArrayList<>();
        lines.add("TCP/IP fingerprint:");
        lines.addAll(wrapped(PLAIN_LINES));
        SubjectFingerprint s = SubjectParser.parseOne(String.join("\n", lines) + "\n");
        SubjectFingerprint plain = SubjectParser.parseOne(PLAIN);
        assertEquals(plain.tests(), s.tests());
        assertEquals(plain.scan(), s.scan());
    }

    @Test
    void wrappedOsFormWithoutScan() {
        List<String> body = PLAIN_LINES.subList(1, PLAIN_LINES.size());
        SubjectFingerprint s = SubjectParser.parseOne(String.join("\n", wrapped(body)));
        assertNull(s.scan());
        assertEquals(SubjectParser.parseOne(PLAIN).tests(), s.tests());
    }

    @Test
    void scanLineIsKeptApartFromTheTests() {
        SubjectFingerprint s = SubjectParser.parseOne(PLAIN);
        assertNotNull(s.scan());
        assertEquals("7.93", s.scan().value("V"));
        assertEquals("x86_64-pc-linux-gnu", s.scan().value("P"));
        assertFalse(s.tests().stream().anyMatch(t -> t.name().equals("SCAN")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            all ports and distance                ; SCAN(V=7.93%OT=22%CT=1%CU=40321%DS=2%G=Y)  ;  22 ;  1 ; 40321 ;  2
            empty OT is -1                        ; SCAN(V=7.93%OT=%CT=1%CU=40321%DS=2%G=Y)    ;  -1 ;  1 ; 40321 ;  2
            empty OT, CT and CU are -1            ; SCAN(V=7.93%OT=%CT=%CU=%DS=1%G=N)          ;  -1 ; -1 ;    -1 ;  1
            absent DS is unknown distance -1      ; SCAN(V=7.93%OT=80%CT=443%CU=1%G=Y)         ;  80 ; 443 ;    1 ; -1
            distance zero for localhost           ; SCAN(V=7.93%OT=80%CT=1%CU=1%DS=0%DC=L%G=Y) ;  80 ;  1 ;     1 ;  0
            """)
    void scanInfoReadsPortsAndDistance(String description, String scanLine, int ot, int ct, int cu, int ds) {
        ScanInfo scan = SubjectParser.parseOne(scanLine + "\nSEQ(SP=1)\n").scan();
        assertAll(
                () -> assertEquals(ot, scan.openTcpPort(), "OT"),
                () -> assertEquals(ct, scan.closedTcpPort(), "CT"),
                () -> assertEquals(cu, scan.closedUdpPort(), "CU"),
                () -> assertEquals(ds, scan.distance(), "DS"));
    }

    @Test
    void commentsAreSkippedAndBlankLinesSeparateSubjects() {
        String text = String.join("\n",
                "# header comment",                      // 1
                "SEQ(SP=1%GCD=1)",                       // 2
                "# comment inside the block",            // 3
                "T1(R=Y%DF=Y)",                          // 4
                "",                                      // 5
                "",                                      // 6
                "# id: second",                          // 7
                "SCAN(OT=%CT=1%CU=%DS=1)",               // 8
                "OPS(O1=M5B4)",                          // 9
                "   ",                                   // 10 (white space only: a separator)
                "  # indented comment",                  // 11
                "IE(R=Y%DFI=N%T=40%CD=S)",               // 12
                "");
        List<ParsedSubject> all = SubjectParser.parseAll(text);
        assertEquals(3, all.size());
        assertEquals(List.of(1, 2, 3), all.stream().map(ParsedSubject::index).toList());
        assertEquals(List.of(2, 8, 12), all.stream().map(ParsedSubject::line).toList());
        assertTrue(all.stream().allMatch(ParsedSubject::ok));
        assertEquals(List.of("SEQ", "T1"), all.get(0).subject().tests().stream().map(FpTest::name).toList());
        assertNull(all.get(0).subject().scan());
        assertEquals(List.of("OPS"), all.get(1).subject().tests().stream().map(FpTest::name).toList());
        assertEquals(-1, all.get(1).subject().scan().openTcpPort());
        assertEquals(List.of("IE"), all.get(2).subject().tests().stream().map(FpTest::name).toList());
    }

    @Test
    void crlfLineEndingsAreTolerated() {
        List<ParsedSubject> all = SubjectParser.parseAll("SEQ(SP=1)\r\nT1(R=Y)\r\n\r\nIE(CD=S)\r\n");
        assertEquals(2, all.size());
        assertEquals(List.of(1, 4), all.stream().map(ParsedSubject::line).toList());
        assertEquals("Y", all.get(0).subject().test("T1").value("R"));
    }

    @Test
    void parseOneRejectsTwoSubjects() {
        assertThrows(IllegalArgumentException.class, () -> SubjectParser.parseOne("SEQ(SP=1)\n\nT1(R=Y)\n"));
    }

    @Test
    void parseOneNamesTheLineOfABadSubject() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SubjectParser.parseOne("# c\nSEQ(SP=1)\nXYZ(A=1)\n"));
        assertTrue(e.getMessage().startsWith("line 3: "), e.getMessage());
    }

    /** The bad block always starts on line 3 (after a good subject and a blank line); offset is from there. */
    static Stream<Arguments> badBlocks() {
        return Stream.of(
                Arguments.of("unknown test", List.of("SEQ(SP=2)", "XYZ(A=1)"), 1, "unknown test XYZ"),
                Arguments.of("unknown attribute for a test", List.of("SEQ(SP=2)", "T1(R=Y%W=0)"), 1,
                        "test T1 has no attribute W"),
                Arguments.of("duplicate attribute", List.of("T1(R=Y%R=N)"), 0, "attribute R appears twice"),
                Arguments.of("duplicate test: the line of the second occurrence",
                        List.of("SEQ(SP=2)", "T1(R=Y)", "SEQ(SP=3)"), 2, "test SEQ appears twice"),
                Arguments.of("missing ')'", List.of("SEQ(SP=2)", "T1(R=Y%DF=Y"), 1, "no closing ')'"),
                Arguments.of("garbage line", List.of("SEQ(SP=2)", "hello world"), 1, "expected a test like"),
                Arguments.of("garbage after a test on the same line", List.of("SEQ(SP=2) junk"), 0,
                        "expected a test like"),
                Arguments.of("block with only SCAN", List.of("SCAN(OT=22%CT=1%CU=1)"), 0, "no fingerprint tests"),
                Arguments.of("error in a wrapped OS: block names its first line",
                        List.of("OS:SEQ(SP=2)XYZ(A", "OS:=1)"), 0, "unknown test XYZ"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBlocks")
    void badBlockIsReportedWithItsLineAndTheOthersStillParse(String description, List<String> badBlock,
            int badLineOffset, String hint) {
        List<String> lines = new ArrayList<>();
        lines.add("SEQ(SP=1%GCD=1)");               // 1
        lines.add("");                              // 2
        lines.addAll(badBlock);                     // 3..
        lines.add("");
        lines.add("T1(R=Y%DF=N)");
        int lastStart = 3 + badBlock.size() + 1;
        List<ParsedSubject> all = SubjectParser.parseAll(String.join("\n", lines) + "\n");

        assertEquals(3, all.size());
        ParsedSubject bad = all.get(1);
        assertAll(
                () -> assertTrue(all.get(0).ok(), "first subject parses"),
                () -> assertEquals(1, all.get(0).index()),
                () -> assertFalse(bad.ok()),
                () -> assertNull(bad.subject()),
                () -> assertEquals(2, bad.index()),
                () -> assertEquals(3, bad.line(), "block start"),
                () -> assertEquals(3 + badLineOffset, bad.errorLine(), () -> "error line; message: " + bad.error()),
                () -> assertTrue(bad.error().contains(hint), () -> "expected '" + hint + "' in: " + bad.error()),
                () -> assertTrue(all.get(2).ok(), "third subject parses"),
                () -> assertEquals(3, all.get(2).index()),
                () -> assertEquals(lastStart, all.get(2).line()),
                () -> assertEquals("N", all.get(2).subject().test("T1").value("DF")));
    }
}
