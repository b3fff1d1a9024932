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
}
