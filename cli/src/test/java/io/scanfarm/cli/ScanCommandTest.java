package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@code scanfarm scan} refuses before it sends anything, each with one line and exit code 2; and how many
 * matchers its embedded farm runs.
 */
class ScanCommandTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "prefix longer than 32   | 10.0.0.0/33     | the prefix length must be from 0 to 32",
        "three octets            | 1.2.3           | is not an IPv4 address",
        "octet above 255         | 10.0.0.256      | is not an octet",
        "range to a whole address| 1.2.3.4-1.2.3.9 | a range is written a.b.c.d-e",
        "range ending below start| 1.2.3.9-4       | the range's end must be an octet from 9 to 255",
        "more than a /16         | 10.0.0.0/15     | pass --allow-large",
    })
    void malformedTargetsAreRefusedWithOneLine(String name, String target, String expected) {
        MatchCommandTest.Run r = MatchCommandTest.run("scan", "--bootstrap-servers", "127.0.0.1:1", "--unsigned", target);
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 1", "3, 1", "4, 2", "7, 3", "16, 8", "64, 8"})
    void theEmbeddedFarmRunsOneMatcherForEveryTwoCores(int cores, int matchers) {
        assertEquals(matchers, ScanCommand.localMatchers(cores));
    }

    @Test
    void anEmptyTargetsFileIsRefused() throws Exception {
        Path empty = tmp.resolve("targets.txt");
        Files.writeString(empty, "# nothing here\n\n");
        MatchCommandTest.Run r = MatchCommandTest.run("scan", "--bootstrap-servers", "127.0.0.1:1", "--unsigned", "-iL", empty.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no targets in the file"), r.err());
    }

    @Test
    void badPortListsAreRefused() {
        MatchCommandTest.Run r = MatchCommandTest.run("scan", "--bootstrap-servers", "127.0.0.1:1", "--unsigned", "--ports", ",", "198.18.1.2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--ports"), r.err());
    }

    @Test
    void anUnreachableBrokerIsReportedWithinSeconds() {
        long t0 = System.nanoTime();
        MatchCommandTest.Run r = MatchCommandTest.run("scan", "--bootstrap-servers", "127.0.0.1:1", "--unsigned", "198.18.1.2");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no answer from Kafka at 127.0.0.1:1"), r.err());
        assertTrue(seconds < 20, "reported after " + seconds + " s");
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void anAddressInNoSegmentIsReportedNotDropped() {
        MatchCommandTest.Run r = MatchCommandTest.run("scan", "--bootstrap-servers", "127.0.0.1:1", "--unsigned",
                "--segments", "198.18.0.0/16=lab", "--format", "json", "198.19.0.1");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("\"status\":\"error\"") && r.out().contains("no segment"), r.out());
    }

    @Test
    void aResumeNeedsTheFarmsBrokerAndNoTargets() {
        MatchCommandTest.Run noBroker = MatchCommandTest.run("scan", "--resume", "scan-12345678");
        assertEquals(2, noBroker.code(), noBroker.err());
        assertTrue(noBroker.err().contains("give --bootstrap-servers too"), noBroker.err());
        MatchCommandTest.Run targets = MatchCommandTest.run("scan", "--bootstrap-servers", "127.0.0.1:1", "--resume", "scan-12345678",
                "198.18.1.2");
        assertEquals(2, targets.code(), targets.err());
        assertTrue(targets.err().contains("--resume takes no targets"), targets.err());
    }

    @Test
    void aResumeOnAnUnreachableBrokerIsReportedWithinSeconds() {
        long t0 = System.nanoTime();
        MatchCommandTest.Run r = MatchCommandTest.run("scan", "--bootstrap-servers", "127.0.0.1:1", "--resume", "scan-12345678");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no answer from Kafka at 127.0.0.1:1"), r.err());
        assertTrue(seconds < 20, "reported after " + seconds + " s");
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
