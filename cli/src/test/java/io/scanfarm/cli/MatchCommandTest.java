package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatchCommandTest {

    /** A subject nmap 7.93 printed for this project's loopback, with what nmap said about it in '#   ' lines. */
    private static final Path EXAMPLE = Path.of("..", "examples", "loopback-linux.txt");

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static String database() {
        Path shared = Path.of(System.getProperty("scanfarm.shared", "../../shared"), "testdata", "nmap-oracle", "nmap-os-db-7.93");
        if (Files.isRegularFile(shared)) {
            return shared.toString();
        }
        Path installed = Path.of("/usr/share/nmap/nmap-os-db");
        Assumptions.assumeTrue(Files.isRegularFile(installed),
                "skipped: no nmap-os-db (neither ../shared nor /usr/share/nmap; apt-get install nmap-common)");
        return installed.toString();
    }

    @Test
    void textOutputIsWhatNmapPrintedForTheSameFingerprint() throws IOException {
        List<String> nmapSaid = new ArrayList<>();
        for (String line : Files.readAllLines(EXAMPLE)) {
            if (line.startsWith("#   ")) {
                nmapSaid.add(line.substring(4));
            }
        }
        Run r = run("match", "--os-db", database(), EXAMPLE.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.outLines();
        assertTrue(lines.get(0).startsWith("Subject 1 ("), lines.get(0));
        assertEquals(nmapSaid, lines.subList(1, lines.size()));
    }

    @Test
    void jsonHasOneObjectPerSubjectInOrderAndAnErrorObjectForABadOne() throws IOException {
        String good = Files.readString(EXAMPLE);
        Path input = tmp.resolve("three.txt");
        Files.writeString(input, good + "\nSEQ(SP=1%GCD=1\n\n" + good);
        Run r = run("match", "--os-db", database(), "--format", "json", "--top", "3", input.toString());
        assertEquals(1, r.code(), "a bad subject makes the exit code 1");
        List<String> lines = r.outLines();
        assertEquals(3, lines.size(), r.out());
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        JsonNode second = json.readTree(lines.get(1));
        JsonNode third = json.readTree(lines.get(2));
        assertEquals(1, first.get("subject").asInt());
        assertEquals("SUCCESS", first.get("result").asText());
        assertEquals(3, first.get("matches").size());
        JsonNode best = first.get("matches").get(0);
        assertEquals((int) Math.floor(best.get("score").asDouble() * 100), best.get("accuracy").asInt());
        assertTrue(best.get("line").asInt() > 0);
        assertTrue(best.get("classes").get(0).has("vendor"));
        assertTrue(best.get("cpe").isArray());
        assertTrue(first.get("verdict").get(0).asText().startsWith("Aggressive OS guesses: "));
        assertFalse(first.toString().contains("Network Distance"), "the verdict leaves out the distance line");
        assertEquals(2, second.get("subject").asInt());
        assertTrue(second.get("error").asText().startsWith("line "), second.toString());
        assertFalse(second.has("result"));
        assertEquals(3, third.get("subject").asInt());
        assertEquals(first.get("matches"), third.get("matches"));
        assertTrue(r.err().contains(input + ":"), "the bad subject is also reported on stderr with file:line: " + r.err());
    }

    @Test
    void readsStandardInput() throws IOException {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(EXAMPLE)));
            Run r = run("match", "--os-db", database(), "-");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("Subject 1 (<stdin>:"), r.out());
        } finally {
            System.setIn(saved);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing input file        | MISSING  | no such file",
        "empty input file          | EMPTY    | no subject fingerprints found",
        "binary garbage input      | BINARY   | binary data",
        "missing database          | NODB     | no such file",
        "malformed database        | BADDB    | :3: expected",
        "binary database           | BINDB    | binary data",
    })
    void badInputGivesOneLineErrorAndExitCode2(String name, String kind, String expected) throws IOException {
        Path input = tmp.resolve("in.txt");
        Files.copy(EXAMPLE, input);
        String db = kind.equals("NODB") || kind.endsWith("DB") ? tmp.resolve("db").toString() : database();
        switch (kind) {
            case "MISSING" -> input = tmp.resolve("absent.txt");
            case "EMPTY" -> Files.writeString(input, "\n# only a comment\n\n");
            case "BINARY" -> Files.write(input, new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2});
            case "BADDB" -> Files.writeString(Path.of(db), "# a database\n\nthis is not a database\n");
            case "BINDB" -> Files.write(Path.of(db), new byte[] {'M', 'a', 0, 0, 1});
            default -> { }
        }
        Run r = run("match", "--os-db", db, input.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        String[] errLines = r.err().strip().split("\n");
        assertEquals(1, errLines.length, "exactly one line: " + r.err());
        assertTrue(errLines[0].startsWith("scanfarm match: "), errLines[0]);
        assertTrue(errLines[0].contains(expected), errLines[0]);
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("match", "--frobnicate", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option"), r.err());
    }

    @Test
    void badFormatValueIsAUsageError() {
        Run r = run("match", "--format", "yaml", EXAMPLE.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--format"), r.err());
    }

    @Test
    void garbageSubjectLinesAreReportedWithTheirLineAndTheRestStillMatches() throws IOException {
        Path input = tmp.resolve("mixed.txt");
        Files.writeString(input, "hello world\n\n" + Files.readString(EXAMPLE), StandardCharsets.UTF_8);
        Run r = run("match", "--os-db", database(), input.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith(input + ":1: expected a test like"), r.err());
        assertTrue(r.out().contains("Subject 2 ("), r.out());
        assertTrue(r.out().contains("Aggressive OS guesses: "), r.out());
    }

    // --- --profile nmap1: first-generation matching against nmap-os-fingerprints -----------------------------

    /** The values of the entry "Linux 2.4.7 - 2.6.11" (line 12365 of the 2007 nmap-os-fingerprints). */
    static final String GEN1_LINUX = String.join("\n",
            "SInfo(V=4.20%P=i686-pc-linux-gnu%D=1/4%Tm=459D1A2B%O=22%C=1%M=000C29)",
            "TSeq(Class=RI%gcd=1%SI=1C5B2A%IPID=Z%TS=1000HZ)",
            "T1(Resp=Y%DF=Y%W=16A0%ACK=S++%Flags=AS%Ops=MNNTNW)",
            "T2(Resp=N)",
            "T3(Resp=Y%DF=Y%W=16A0%ACK=S++%Flags=AS%Ops=MNNTNW)",
            "T4(Resp=Y%DF=Y%W=0%ACK=O%Flags=R%Ops=)",
            "T5(Resp=Y%DF=Y%W=0%ACK=S++%Flags=AR%Ops=)",
            "T6(Resp=Y%DF=Y%W=0%ACK=O%Flags=R%Ops=)",
            "T7(Resp=Y%DF=Y%W=0%ACK=S++%Flags=AR%Ops=)",
            "PU(Resp=Y%DF=N%TOS=C0%IPLEN=164%RIPTL=148%RID=E%RIPCK=E%UCK=E%ULEN=134%DAT=E)") + "\n";

    /** No answer anywhere but silence where silence was expected: every such entry is perfect. */
    static final String GEN1_SILENT = "T5(Resp=N)\nT6(Resp=N)\nT7(Resp=N)\nPU(Resp=N)\n";

    /** Values that no entry holds. */
    static final String GEN1_NOTHING = "SInfo(V=4.20%O=22%C=1)\nTSeq(Class=XX%IPID=XX%TS=XX)\n"
            + "T1(Resp=Y%DF=X%W=ZZ%ACK=X%Flags=X%Ops=X)\nPU(Resp=Y%DF=X%TOS=X%IPLEN=X%RIPTL=X%RID=X%RIPCK=X%UCK=X%ULEN=X%DAT=X)\n";

    static String gen1Database() {
        Path shared = Path.of(System.getProperty("scanfarm.shared", "../../shared"), "testdata", "nmap-gen1", "nmap-os-fingerprints");
        Assumptions.assumeTrue(Files.isRegularFile(shared), "skipped: no nmap-os-fingerprints under ../shared (-Dscanfarm.shared=...)");
        return shared.toString();
    }

    @Test
    void nmap1TextNamesThePerfectMatchUnderItsClasses() throws IOException {
        Path input = tmp.resolve("linux.txt");
        Files.writeString(input, "# a Linux host\n" + GEN1_LINUX);
        Run r = run("match", "--profile", "nmap1", "--os-db", gen1Database(), input.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("Subject 1 (" + input + ":2):", "Device type: general purpose", "Running: Linux 2.4.X|2.5.X|2.6.X",
                "OS details: Linux 2.4.7 - 2.6.11"), r.outLines());
    }

    @Test
    void nmap1TextPrintsTheFingerprintWhenNothingMatches() throws IOException {
        Path input = tmp.resolve("nothing.txt");
        Files.writeString(input, GEN1_NOTHING);
        Run r = run("match", "--profile", "nmap1", "--os-db", gen1Database(), input.toString());
        assertEquals(0, r.code(), r.err());
        List<String> expected = new ArrayList<>(List.of("Subject 1 (" + input + ":1):",
                "No OS matches for host (If you know what OS is running on it, see http://www.insecure.org/cgi-bin/nmap-submit.cgi).",
                "TCP/IP fingerprint:"));
        expected.addAll(List.of(GEN1_NOTHING.split("\n")));
        assertEquals(expected, r.outLines());
    }

    @Test
    void nmap1JsonHasOneObjectPerSubjectAcrossFilesAndAnErrorObjectForABadOne() throws IOException {
        Path first = tmp.resolve("a.txt");
        Path second = tmp.resolve("b.txt");
        Files.writeString(first, GEN1_LINUX + "\nT1(Resp=Y%DF=Y\n");
        Files.writeString(second, GEN1_SILENT);
        Run r = run("match", "--profile", "nmap1", "--os-db", gen1Database(), "--format", "json", "--top", "2",
                first.toString(), second.toString());
        assertEquals(1, r.code(), "a bad subject makes the exit code 1");
        List<String> lines = r.outLines();
        assertEquals(3, lines.size(), r.out());
        ObjectMapper json = new ObjectMapper();
        JsonNode linux = json.readTree(lines.get(0));
        assertEquals(1, linux.get("subject").asInt());
        assertEquals("nmap1", linux.get("profile").asText());
        assertEquals("SUCCESS", linux.get("result").asText());
        assertEquals("PERFECT", linux.get("outcome").asText());
        assertEquals(2, linux.get("matches").size());
        assertEquals("Linux 2.4.7 - 2.6.11", linux.get("matches").get(0).get("name").asText());
        assertEquals(100, linux.get("matches").get(0).get("accuracy").asInt());
        assertEquals(12365, linux.get("matches").get(0).get("line").asInt());
        assertEquals("OS details: Linux 2.4.7 - 2.6.11", linux.get("verdict").get(2).asText());
        JsonNode bad = json.readTree(lines.get(1));
        assertEquals(2, bad.get("subject").asInt());
        assertTrue(bad.get("error").asText().startsWith("line 12: "), bad.toString());
        JsonNode silent = json.readTree(lines.get(2));
        assertEquals(3, silent.get("subject").asInt(), "numbering runs on across files");
        assertEquals("TOOMANYMATCHES", silent.get("result").asText());
        assertEquals("TOO_MANY", silent.get("outcome").asText());
        assertEquals("Too many fingerprints match this host to give specific OS details", silent.get("verdict").get(0).asText());
        assertTrue(r.err().startsWith(first + ":12: "), r.err());
    }

    @Test
    void nmap1ReadsStandardInput() throws IOException {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(GEN1_SILENT.getBytes(StandardCharsets.UTF_8)));
            Run r = run("match", "--profile", "nmap1", "--os-db", gen1Database(), "-");
            assertEquals(0, r.code(), r.err());
            assertEquals(List.of("Subject 1 (<stdin>:1):", "Too many fingerprints match this host to give specific OS details"),
                    r.outLines());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void nmap1OsscanGuessAddsTheGuesses() throws IOException {
        Path input = tmp.resolve("near.txt");
        // The Linux subject with a window no entry has: close to many, perfect for none.
        Files.writeString(input, GEN1_LINUX.replace("W=16A0", "W=16A1"));
        Run plain = run("match", "--profile", "nmap1", "--os-db", gen1Database(), input.toString());
        Run guess = run("match", "--profile", "nmap1", "--os-db", gen1Database(), "--osscan-guess", input.toString());
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.outLines().get(1).startsWith("No exact OS matches for host (If you know"), plain.out());
        assertFalse(plain.out().contains("Aggressive OS guesses"), plain.out());
        assertTrue(guess.outLines().get(2).startsWith("Running (JUST GUESSING) : Linux "), guess.out());
        assertTrue(guess.outLines().get(3).startsWith("Aggressive OS guesses: Linux "), guess.out());
        assertTrue(guess.out().contains("No exact OS matches for host (If you know"), guess.out());
    }

    @Test
    void nmap1RefusesSecondGenerationSubjectsLineByLine() throws IOException {
        Run r = run("match", "--profile", "nmap1", "--os-db", gen1Database(), EXAMPLE.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("unknown test SCAN (expected SInfo or TSeq, T1"), r.err());
    }

    @Test
    void nmap1WithoutADatabaseSaysNoneWasFoundAndHowToNameOne() throws IOException {
        for (Path p : io.scanfarm.matcher.load.Gen1DbFiles.defaultCandidates(System.getenv())) {
            Assumptions.assumeFalse(Files.exists(p), "skipped: " + p + " exists on this machine");
        }
        Path input = tmp.resolve("linux.txt");
        Files.writeString(input, GEN1_LINUX);
        Run r = run("match", "--profile", "nmap1", input.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("scanfarm match: no nmap-os-fingerprints found (looked in ["), r.err());
        assertTrue(r.err().contains("/usr/share/nmap/nmap-os-fingerprints"), r.err());
        assertTrue(r.err().contains("pass --os-db PATH"), r.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing database               | NODB   | no such file",
        "malformed database             | BADDB  | :3: expected 'Fingerprint NAME'",
        "a second-generation database   | GEN2DB | second-generation nmap-os-db",
        "binary database                | BINDB  | binary data",
    })
    void nmap1BadDatabaseGivesOneLineErrorAndExitCode2(String name, String kind, String expected) throws IOException {
        Path input = tmp.resolve("in.txt");
        Files.writeString(input, GEN1_LINUX);
        Path db = tmp.resolve("db");
        switch (kind) {
            case "BADDB" -> Files.writeString(db, "# a database\n\nthis is not a database\n");
            case "GEN2DB" -> Files.writeString(db, "# nmap-os-db\nMatchPoints\nSEQ(SP=25)\n");
            case "BINDB" -> Files.write(db, new byte[] {'F', 'i', 0, 0, 1});
            default -> { }
        }
        Run r = run("match", "--profile", "nmap1", "--os-db", db.toString(), input.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        String[] errLines = r.err().strip().split("\n");
        assertEquals(1, errLines.length, "exactly one line: " + r.err());
        assertTrue(errLines[0].startsWith("scanfarm match: "), errLines[0]);
        assertTrue(errLines[0].contains(expected), errLines[0]);
    }

    @Test
    void anUnknownProfileIsAUsageError() {
        Run r = run("match", "--profile", "nmap3", EXAMPLE.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--profile"), r.err());
    }

    /** A first-generation subject: the lab's Linux as the nmap1 profile measured it. */
    private static final String GEN1_SUBJECT = String.join("\n",
            "TSeq(Class=TR%IPID=Z)",
            "T1(Resp=Y%DF=Y%W=FE88%ACK=S++%Flags=AS%Ops=MNNTNW)",
            "T2(Resp=N)",
            "T3(Resp=N)",
            "T4(Resp=Y%DF=Y%W=0%ACK=O%Flags=R%Ops=)",
            "T5(Resp=Y%DF=Y%W=0%ACK=S++%Flags=AR%Ops=)",
            "T6(Resp=Y%DF=Y%W=0%ACK=O%Flags=R%Ops=)",
            "T7(Resp=Y%DF=Y%W=0%ACK=S++%Flags=AR%Ops=)",
            "PU(Resp=Y%DF=N%TOS=C0%IPLEN=164%RIPTL=148%RID=E%RIPCK=E%UCK=E%ULEN=134%DAT=E)", "");

    @Test
    void ecsDocumentsCarryTheOsTheObserverTheEventAndTheRanking() throws IOException {
        Run r = run("match", "--format", "ecs", "--os-db", database(), EXAMPLE.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.outLines().get(0));
        assertTrue(doc.get("@timestamp").asText().endsWith("Z"), doc.toString());
        assertEquals("Linux 5.0 - 5.2", doc.at("/host/os/name").asText(), "the best guess, as nmap printed it first");
        assertEquals("linux", doc.at("/host/os/family").asText());
        assertEquals("linux", doc.at("/host/os/type").asText());
        assertEquals("scanner", doc.at("/observer/type").asText());
        assertEquals("host", doc.at("/event/category/0").asText());
        assertTrue(doc.at("/scanfarm/matches").size() >= 10, doc.toString());
        assertTrue(doc.at("/scanfarm/subject").asText().startsWith("subject 1 ("), "the subject is named: " + doc);
        assertTrue(doc.at("/host/ip").isMissingNode(), "no address is made up for an offline subject");
    }

    @Test
    void csvHasAHeaderAndARowPerSubjectOfEitherGeneration() throws IOException {
        Path two = tmp.resolve("two.txt");
        Files.writeString(two, Files.readString(EXAMPLE) + "\n\n" + Files.readString(EXAMPLE));
        Run r = run("match", "--format", "csv", "--os-db", database(), two.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.outLines().size(), r.out());
        assertTrue(r.outLines().get(0).startsWith("ip,status,outcome,nmap_result,best_match,accuracy"), r.out());
        assertTrue(r.outLines().get(2).contains("\"Linux 5.0 - 5.2\",97,") && r.outLines().get(2).contains("subject 2 ("), r.out());
        Path g1 = tmp.resolve("g1.txt");
        Files.writeString(g1, GEN1_SUBJECT);
        Run first = run("match", "--profile", "nmap1", "--osscan-guess", "--format", "csv", "--os-db", gen1Database(), g1.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.outLines().get(1).contains(",GUESS,") && first.outLines().get(1).contains("Linux"), first.out());
    }

    @Test
    void xmlOfBothGenerationsIsValidAgainstNmapsDtd() throws Exception {
        Path dtd = Path.of("/usr/share/nmap/nmap.dtd");
        Assumptions.assumeTrue(Files.isRegularFile(dtd) && Files.isExecutable(Path.of("/usr/bin/xmllint")),
                "skipped: needs /usr/share/nmap/nmap.dtd (nmap-common) and xmllint (libxml2-utils)");
        Path g1 = tmp.resolve("g1.txt");
        Files.writeString(g1, GEN1_SUBJECT);
        List<Run> runs = List.of(run("match", "--format", "xml", "--os-db", database(), EXAMPLE.toString()),
                run("match", "--profile", "nmap1", "--format", "xml", "--os-db", gen1Database(), g1.toString()));
        for (Run r : runs) {
            assertEquals(0, r.code(), r.err());
            Path xml = tmp.resolve("out.xml");
            Files.writeString(xml, r.out());
            Process p = new ProcessBuilder("xmllint", "--noout", "--dtdvalid", dtd.toString(), xml.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), "xmllint: " + out + "\n" + r.out());
            assertTrue(r.out().contains("<osmatch name=\"") && r.out().contains("<hostname name=\"subject 1 ("), r.out());
        }
        assertTrue(runs.get(1).out().contains("fingerprint=\"TSeq(Class=TR%IPID=Z)"), "first generation: one test a line, unwrapped");
    }

    @Test
    void outputGoesToTheFileAndAnUnwritableOneIsOneLine() throws IOException {
        Path file = tmp.resolve("out.csv");
        Run r = run("match", "--format", "csv", "--output", file.toString(), "--os-db", database(), EXAMPLE.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(2, Files.readAllLines(file).size());
        Run bad = run("match", "--output", "/nonexistent/dir/x.txt", "--os-db", database(), EXAMPLE.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("cannot write /nonexistent/dir/x.txt"), bad.err());
    }
}
