package io.scanfarm.matcher.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.load.Gen1DbFiles;
import io.scanfarm.matcher.oracle.SharedTestData;
import io.scanfarm.matcher.osdb.OsClass;
import io.scanfarm.matcher.osdb.OsDbFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Gen1DbParser} on the real nmap-os-fingerprints, on a small hand-made one, and on malformed lines. */
class Gen1DbParserTest {

    private static final String SOURCE = "hand.fp";

    /** A made-up database; the comment on each line is its line number. */
    private static final String DB = String.join("\n",
            "# Hand-made first-generation database",                       // 1
            "",                                                            // 2
            "# first entry",                                               // 3
            "Fingerprint Acme Router 1.0",                                 // 4
            "Class Acme | embedded || router",                             // 5
            "TSeq(Class=RI|TD%gcd=<6%SI=<7A8FA&>50%IPID=I%TS=100HZ|U)",    // 6
            "T1(DF=Y%W=0|8000%ACK=S++|O%Flags=AS|ARS%Ops=MEWNNNT|)",       // 7
            "T2(Resp=N)",                                                  // 8
            "PU(DF=N%TOS=0%IPLEN=38%RIPTL=148%RID=E%RIPCK=E|F%UCK=E%ULEN=134%DAT=E)", // 9
            "",                                                            // 10
            "Fingerprint Bolt OS # 2.x, a remark",                         // 11
            "Class Bolt | Bolt OS | 2.X | general purpose",                // 12
            "Class Bolt | Bolt OS | 3.X | general purpose",                // 13
            "TSeq(Class=C%Val=0)  # constant sequence numbers",            // 14
            "# a comment inside an entry",                                 // 15
            "T4(DF=N%W=0%ACK=O%Flags=R%Ops=)\r",                           // 16, CRLF
            "Fingerprint Cobalt (model #8000)",                            // 17, no blank line before
            "Class Cobalt | Linux | 2.4.X | specialized",                  // 18
            "T1(Resp=Y%DF=Y%W=16A0%ACK=S++%Flags=AS%Ops=MNNTNW)");         // 19, no final newline

    @Test
    void parsesNamesLinesClassesAndTestsInFileOrder() {
        Gen1Db db = Gen1DbParser.parse(DB, SOURCE);
        assertEquals(SOURCE, db.source());
        List<Gen1Fingerprint> prints = db.fingerprints();
        assertEquals(List.of("Acme Router 1.0", "Bolt OS", "Cobalt (model"), prints.stream().map(Gen1Fingerprint::name).toList());
        assertEquals(List.of(4, 11, 17), prints.stream().map(Gen1Fingerprint::line).toList());
        assertEquals(List.of(new OsClass("Acme", "embedded", null, "router", List.of())), prints.get(0).classes());
        assertEquals(List.of("2.X", "3.X"), prints.get(1).classes().stream().map(OsClass::generation).toList());
        assertEquals(List.of("TSeq", "T1", "T2", "PU"), prints.get(0).tests().stream().map(FpTest::name).toList());
    }

    @Test
    void keepsValuesAsWrittenIncludingEmptyOnesAndEmptyAlternatives() {
        Gen1Fingerprint acme = Gen1DbParser.parse(DB, SOURCE).fingerprints().get(0);
        FpTest t1 = acme.tests().get(1);
        assertEquals("MEWNNNT|", t1.value("Ops"));
        assertEquals("S++|O", t1.value("ACK"));
        assertEquals("<7A8FA&>50", acme.tests().get(0).value("SI"));
        assertEquals("", Gen1DbParser.parse(DB, SOURCE).fingerprints().get(1).tests().get(1).value("Ops"));
        assertEquals("T1(DF=Y%W=0|8000%ACK=S++|O%Flags=AS|ARS%Ops=MEWNNNT|)", t1.toString());
    }

    @Test
    void aRemarkAfterATestLineAndCarriageReturnsAreIgnored() {
        Gen1Fingerprint bolt = Gen1DbParser.parse(DB, SOURCE).fingerprints().get(1);
        assertEquals("TSeq(Class=C%Val=0)", bolt.tests().get(0).toString());
        assertEquals("T4(DF=N%W=0%ACK=O%Flags=R%Ops=)", bolt.tests().get(1).toString());
    }

    @Test
    void aHashEndsTheNameAsInNmapEvenInsideParentheses() {
        // parse_fingerprint_file ended the name at strpbrk(p, "\n#"): Nmap printed "Cobalt (model".
        List<Gen1Fingerprint> prints = Gen1DbParser.parse(DB, SOURCE).fingerprints();
        assertEquals("Bolt OS", prints.get(1).name());
        assertEquals("Cobalt (model", prints.get(2).name());
    }

    @Test
    void theRealFileParsesCompletely() throws IOException {
        Path file = SharedTestData.require("nmap-gen1/nmap-os-fingerprints");
        Gen1Db db = Gen1DbFiles.load(file).db();
        List<String> lines = Files.readAllLines(file);
        long fingerprintLines = lines.stream().filter(l -> l.startsWith("Fingerprint ")).count();
        assertEquals(1684, db.fingerprints().size());
        assertEquals(fingerprintLines, db.fingerprints().size());
        // Every test and class line of the file ends up in exactly one entry.
        Map<String, Long> perTest = lines.stream().filter(l -> !l.isEmpty() && !l.startsWith("#") && l.contains("("))
                .map(l -> l.substring(0, l.indexOf('('))).collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        for (String test : Gen1Tests.ORDER) {
            long parsed = db.fingerprints().stream().filter(f -> f.tests().stream().anyMatch(t -> t.name().equals(test))).count();
            assertEquals(perTest.getOrDefault(test, 0L), parsed, test);
        }
        assertEquals(lines.stream().filter(l -> l.startsWith("Class ")).count(),
                db.fingerprints().stream().mapToInt(f -> f.classes().size()).sum());
        for (Gen1Fingerprint f : db.fingerprints()) {
            assertTrue(lines.get(f.line() - 1).startsWith("Fingerprint " + f.name()), f.name());
            assertTrue(!f.classes().isEmpty(), f.name());
        }
    }

    @Test
    void theRealFilesOddLinesAreReadAsNmapReadThem() {
        Gen1Db db = Gen1DbFiles.load(SharedTestData.require("nmap-gen1/nmap-os-fingerprints")).db();
        Map<String, Gen1Fingerprint> byName = db.fingerprints().stream()
                .collect(Collectors.toMap(Gen1Fingerprint::name, f -> f, (a, b) -> a));
        // "Fingerprint HP-UX 10.20 # 9000/777 or A 712/60 ..." and "... router (model #8000-02)".
        assertTrue(byName.containsKey("HP-UX 10.20"), "name cut at the remark");
        assertTrue(byName.containsKey("US Robotics Broadband router (model"), "name cut at '#', as Nmap did");
        // "TSeq(Class=RI|TD|64K%gcd=<6)  # Boy, OSF1 comes in all colors!"
        assertTrue(db.fingerprints().stream().flatMap(f -> f.tests().stream())
                .anyMatch(t -> t.toString().equals("TSeq(Class=RI|TD|64K%gcd=<6)")));
        // "Class 2Wire | embedded || WAP": an empty generation.
        assertNull(byName.get("2Wire Home Portal 100 residential gateway, v.3.1.0").classes().get(0).generation());
        assertEquals("MEWNNNT", byName.get("2Wire Home Portal 100 residential gateway, v.3.1.0").tests().get(1).value("Ops"));
    }

    /** Rows: what is wrong; the database text ('~' is a line break); the line named; what the message says. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "text before any Fingerprint ; hello ; 1 ; expected 'Fingerprint NAME'",
        "name missing ; Fingerprint   # only a remark ; 1 ; the name is missing",
        "unknown test ; Fingerprint X~SEQ(SP=1) ; 2 ; unknown test SEQ",
        "unknown attribute ; Fingerprint X~T1(DF=Y%R=Y) ; 2 ; test T1 has no attribute R",
        "no closing parenthesis ; Fingerprint X~T1(DF=Y%W=0 ; 2 ; has no closing ')'",
        "text after the test ; Fingerprint X~T1(DF=Y) T2(Resp=N) ; 2 ; expected the end of the line or a '# remark'",
        "attribute without '=' ; Fingerprint X~T1(DF=Y%W) ; 2 ; expected ATTR=VALUE in test T1",
        "empty test ; Fingerprint X~T2() ; 2 ; is empty",
        "duplicate attribute ; Fingerprint X~T1(DF=Y%DF=N) ; 2 ; attribute DF appears twice",
        "space inside a value ; Fingerprint X~T1(DF=Y%Ops=M E) ; 2 ; unexpected character ' '",
        "indented test line ; Fingerprint X~  T1(DF=Y) ; 2 ; expected a test like",
        "test twice in an entry ; Fingerprint X~T1(DF=Y)~T1(DF=N) ; 3 ; test T1 appears twice",
        "class with three fields ; Fingerprint X~Class A | B | router~T1(DF=Y) ; 2 ; found 3 fields",
        "class without a vendor ; Fingerprint X~Class  | B | | router~T1(DF=Y) ; 2 ; found an empty VENDOR",
        "class generation with a space ; Fingerprint X~Class A | B | 2 beta | r~T1(DF=Y) ; 2 ; holds a space",
        "CPE line (second generation) ; Fingerprint X~CPE cpe:/o:x~T1(DF=Y) ; 2 ; CPEs belong to the second-generation",
        "MatchPoints (second generation) ; MatchPoints~SEQ(SP=25) ; 1 ; second-generation nmap-os-db",
        "entry without tests ; # c~Fingerprint X~Class A | B | | r~~ ; 2 ; has no test lines",
        "error on a later entry ; Fingerprint X~T1(DF=Y)~~Fingerprint Y~T9(DF=Y) ; 5 ; unknown test T9",
    })
    void malformedLinesFailWithFileAndLine(String name, String text, int line, String expected) {
        OsDbFormatException e = assertThrows(OsDbFormatException.class,
                () -> Gen1DbParser.parse(text.replace("~", "\n"), SOURCE));
        assertTrue(e.getMessage().startsWith(SOURCE + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aFileWithoutEntriesIsRefusedWithTheFileName() {
        OsDbFormatException e = assertThrows(OsDbFormatException.class, () -> Gen1DbParser.parse("# nothing\n\n", SOURCE));
        assertTrue(e.getMessage().startsWith(SOURCE + ": no Fingerprint entries"), e.getMessage());
    }
}
