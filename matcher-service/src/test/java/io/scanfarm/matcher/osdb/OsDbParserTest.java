package io.scanfarm.matcher.osdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link OsDbParser} on a small hand-made database, and on malformed ones that must fail with {@code file:line}. */
class OsDbParserTest {

    private static final String SOURCE = "hand.db";

    /** A made-up database; the comment on each line is its line number. */
    private static final String DB = String.join("\n",
            "# Hand-made database for parser tests",       // 1
            "MatchPoints",                                 // 2
            "SEQ(SP=25%GCD=75%TI=100)",                    // 3
            "T1(R=100%DF=20%W=10)",                        // 4
            "IE(DFI=40%CD=100)",                           // 5
            "",                                            // 6
            "# first print",                               // 7
            "Fingerprint Acme RouterOS 1.0 - 1.2",         // 8
            "Class Acme | RouterOS | 1.X | router",        // 9
            "CPE cpe:/o:acme:routeros:1 auto",             // 10
            "SEQ(SP=0-5%GCD=1|2)",                         // 11
            "T1(R=Y%DF=N%W=0)",                            // 12
            "",                                            // 13
            "Fingerprint Bolt Box   # trailing remark",    // 14
            "Class Bolt | Bolt | | WAP",                   // 15
            "CPE cpe:/h:bolt:box",                         // 16
            "CPE cpe:/o:bolt:firmware:2 auto",             // 17
            "Class Bolt | BoltOS | 2 | general purpose",   // 18
            "SEQ(R=N)",                                    // 19
            "T1(R=N)",                                     // 20
            "IE(DFI=S%CD=Z)",                              // 21
            "",                                            // 22
            "Fingerprint Cobalt Appliance",                // 23
            "Class Cobalt | Linux | 2.6.X | specialized",  // 24
            "T1(R=Y%DF=Y)");                               // 25, no final newline

    private static FpTest test(String name, String... nameValues) {
        Attr[] attrs = new Attr[nameValues.length / 2];
        for (int i = 0; i < attrs.length; i++) {
            attrs[i] = new Attr(nameValues[2 * i], nameValues[2 * i + 1]);
        }
        return new FpTest(name, List.of(attrs));
    }

    @Test
    void parsesMatchPointsWithWeightsInOrder() {
        OsDb db = OsDbParser.parse(DB, SOURCE);
        assertEquals(SOURCE, db.source());
        assertEquals(List.of(
                test("SEQ", "SP", "25", "GCD", "75", "TI", "100"),
                test("T1", "R", "100", "DF", "20", "W", "10"),
                test("IE", "DFI", "40", "CD", "100")), db.matchPoints().tests());
    }

    @Test
    void parsesFingerprintNamesAndLinesInFileOrder() {
        List<ReferenceFingerprint> prints = OsDbParser.parse(DB, SOURCE).fingerprints();
        assertEquals(List.of("Acme RouterOS 1.0 - 1.2", "Bolt Box", "Cobalt Appliance"),
                prints.stream().map(ReferenceFingerprint::name).toList());
        assertEquals(List.of(8, 14, 23), prints.stream().map(ReferenceFingerprint::line).toList());
    }

    @Test
    void hashEndsTheFingerprintNameAndSpacesBeforeItAreDropped() {
        assertEquals("Bolt Box", OsDbParser.parse(DB, SOURCE).fingerprints().get(1).name());
    }

    @Test
    void classAndCpeLinesBuildClassesWithFirstCpeWordOnly() {
        List<ReferenceFingerprint> prints = OsDbParser.parse(DB, SOURCE).fingerprints();
        assertEquals(List.of(new OsClass("Acme", "RouterOS", "1.X", "router", List.of("cpe:/o:acme:routeros:1"))),
                prints.get(0).classes());
        assertEquals(List.of(
                new OsClass("Bolt", "Bolt", null, "WAP", List.of("cpe:/h:bolt:box", "cpe:/o:bolt:firmware:2")),
                new OsClass("Bolt", "BoltOS", "2", "general purpose", List.of())), prints.get(1).classes());
        assertEquals(List.of(new OsClass("Cobalt", "Linux", "2.6.X", "specialized", List.of())),
                prints.get(2).classes());
    }

    @Test
    void emptyGenerationBecomesNull() {
        assertNull(OsDbParser.parse(DB, SOURCE).fingerprints().get(1).classes().get(0).generation());
    }

    @Test
    void testLinesKeepTheirExpressionsVerbatim() {
        List<ReferenceFingerprint> prints = OsDbParser.parse(DB, SOURCE).fingerprints();
        assertEquals(List.of(
                test("SEQ", "SP", "0-5", "GCD", "1|2"),
                test("T1", "R", "Y", "DF", "N", "W", "0")), prints.get(0).tests());
        assertEquals(List.of(test("T1", "R", "Y", "DF", "Y")), prints.get(2).tests());
    }

    @Test
    void differentTestLinesShareTheirEqualAttributesAndNames() {
        List<ReferenceFingerprint> prints = OsDbParser.parse(DB, SOURCE).fingerprints();
        FpTest acme = prints.get(0).tests().get(1);   // T1(R=Y%DF=N%W=0)
        FpTest cobalt = prints.get(2).tests().get(0); // T1(R=Y%DF=Y)
        assertSame(acme.attrs().get(0), cobalt.attrs().get(0), "R=Y is one object");
        assertSame(acme.name(), cobalt.name());
        assertSame(acme.attrs().get(1).name(), cobalt.attrs().get(1).name(), "DF, though its values differ");
    }

    @Test
    void rEqualsNForATestWithoutAnRWeightBecomesATestWithoutAttributes() {
        List<FpTest> tests = OsDbParser.parse(DB, SOURCE).fingerprints().get(1).tests();
        assertEquals(test("SEQ"), tests.get(0), "SEQ has no R in MatchPoints");
        assertEquals(test("T1", "R", "N"), tests.get(1), "T1 has an R weight, so R=N is kept");
        assertEquals(test("IE", "DFI", "S", "CD", "Z"), tests.get(2));
    }

    @Test
    void crlfLineEndingsGiveTheSameDatabase() {
        String crlf = DB.replace("\n", "\r\n") + "\r\n";
        assertEquals(OsDbParser.parse(DB, SOURCE), OsDbParser.parse(crlf, SOURCE));
    }

    private static final String MP = "MatchPoints\nSEQ(SP=25%GCD=75)\nT1(R=100%DF=20)\n\n"; // lines 1-4

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty text", "", "bad.db: ", "no MatchPoints section"),
                Arguments.of("no MatchPoints section, only comments", "# nothing here\n# at all\n",
                        "bad.db: ", "no MatchPoints section"),
                Arguments.of("MatchPoints but no Fingerprint", "MatchPoints\nSEQ(SP=1)\n",
                        "bad.db: ", "no Fingerprint records"),
                Arguments.of("Fingerprint before MatchPoints", "Fingerprint X\nClass A | B | 1 | router\n",
                        "bad.db:1: ", "Fingerprint before the MatchPoints section"),
                Arguments.of("Fingerprint before MatchPoints after comments",
                        "# c\n\nFingerprint X\n" + MP, "bad.db:3: ", "Fingerprint before the MatchPoints section"),
                Arguments.of("second MatchPoints", MP + "Fingerprint X\nT1(R=Y)\n\nMatchPoints\nSEQ(SP=1)\n",
                        "bad.db:8: ", "second MatchPoints"),
                Arguments.of("MatchPoints defines a test twice", "MatchPoints\nSEQ(SP=1)\nSEQ(GCD=1)\n",
                        "bad.db:3: ", "defines test SEQ twice"),
                Arguments.of("non-numeric points", "MatchPoints\nSEQ(SP=25%GCD=x)\n",
                        "bad.db:2: ", "positive whole number of points for SEQ.GCD"),
                Arguments.of("zero points", "MatchPoints\nSEQ(SP=0)\n",
                        "bad.db:2: ", "positive whole number of points for SEQ.SP"),
                Arguments.of("negative points", "MatchPoints\nSEQ(SP=-3)\n",
                        "bad.db:2: ", "positive whole number of points for SEQ.SP"),
                Arguments.of("empty points", "MatchPoints\nSEQ(SP=)\n",
                        "bad.db:2: ", "positive whole number of points for SEQ.SP"),
                // Found by OsDbParserFuzzTest: the matcher adds points in 32 bits, so larger totals gave scores above 1.
                Arguments.of("weights adding up past 2147483647 are refused where the total passes it",
                        "MatchPoints\nSEQ(SP=999999999%GCD=999999999)\nWIN(W1=999999999)\n",
                        "bad.db:3: ", "weights add up to more than 2147483647"),
                // Found by OsDbParserFuzzTest: the matcher keeps 2^n subset sums per test and refused n > 16 at compile time.
                Arguments.of("a MatchPoints test of 17 attributes is refused at its line",
                        "MatchPoints\nSEQ(SP=1)\nT1(A=1%B=1%C=1%D=1%E=1%F=1%G=1%H=1%I=1%J=1%K=1%L=1%M=1%N=1%O=1%P=1%Q=1)\n",
                        "bad.db:3: ", "T1 has 17 attributes; at most 16 are supported"),
                Arguments.of("unknown test", MP + "Fingerprint X\nU1(R=Y)\n",
                        "bad.db:6: ", "unknown test U1"),
                Arguments.of("attribute without weight", MP + "Fingerprint X\nT1(R=Y%W=0)\n",
                        "bad.db:6: ", "T1.W has no weight"),
                Arguments.of("R=N where R has no weight and other attributes follow",
                        MP + "Fingerprint X\nSEQ(R=N%SP=1)\n", "bad.db:6: ", "SEQ.R has no weight"),
                Arguments.of("duplicate attribute", MP + "Fingerprint X\nT1(R=Y%R=N)\n",
                        "bad.db:6: ", "attribute R appears twice in test T1"),
                Arguments.of("duplicate test in one fingerprint",
                        MP + "Fingerprint X\nT1(R=Y)\nSEQ(SP=1)\nT1(R=N)\n", "bad.db:8: ", "test T1 appears twice"),
                Arguments.of("duplicate test in one fingerprint with CRLF",
                        (MP + "Fingerprint X\nT1(R=Y)\nSEQ(SP=1)\nT1(R=N)\n").replace("\n", "\r\n"),
                        "bad.db:8: ", "test T1 appears twice"),
                Arguments.of("Class with too few '|'", MP + "Fingerprint X\nClass Acme | RouterOS | router\n",
                        "bad.db:6: ", "Class VENDOR | FAMILY | GENERATION | TYPE"),
                Arguments.of("CPE before Class", MP + "Fingerprint X\nCPE cpe:/o:acme:routeros\n",
                        "bad.db:6: ", "CPE line without a preceding Class"),
                Arguments.of("missing ')'", MP + "Fingerprint X\nT1(R=Y%DF=N\n",
                        "bad.db:6: ", "no closing ')'"),
                Arguments.of("missing ')' in MatchPoints", "MatchPoints\nSEQ(SP=25\n",
                        "bad.db:2: ", "no closing ')'"),
                Arguments.of("garbage line outside a record", MP + "hello world\n",
                        "bad.db:5: ", "expected 'Fingerprint NAME' or 'MatchPoints'"),
                Arguments.of("garbage line after a finished record", MP + "Fingerprint X\nT1(R=Y)\n\nhello\n",
                        "bad.db:8: ", "expected 'Fingerprint NAME' or 'MatchPoints'"),
                Arguments.of("garbage line inside a fingerprint", MP + "Fingerprint X\nhello\n",
                        "bad.db:6: ", "expected a test line, Class or CPE"),
                Arguments.of("Fingerprint without a name", MP + "Fingerprint   # only a remark\n",
                        "bad.db:5: ", "name is missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedDatabaseFailsWithFileLineAndHint(String description, String text, String location, String hint) {
        OsDbFormatException e = assertThrows(OsDbFormatException.class, () -> OsDbParser.parse(text, "bad.db"));
        assertTrue(e.getMessage().startsWith(location), () -> "expected '" + location + "' at the start of: " + e.getMessage());
        assertTrue(e.getMessage().contains(hint), () -> "expected '" + hint + "' in: " + e.getMessage());
    }
}
