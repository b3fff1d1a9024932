package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanfarm.cli.farm.EmbeddedKafka;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a {@code scanfarm scan} process on its embedded farm ends (ProcessEnd): it leaves the broker running when the
 * results are out and ends with {@code _exit}, so these tests run the built jar as a process and look at what an
 * operator sees: the results, the exit status, and nothing left of the broker in the temporary directory, whether the
 * scan ran to its end or was stopped with Ctrl-C.
 */
class ProcessEndIT {

    @TempDir
    Path dir;

    @BeforeAll
    static void root() {
        LabSupport.requireRoot();
    }

    @Test
    void aScanThatEndsLeavesItsResultsItsExitStatusAndNoBrokerData() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            // The unresolvable name makes the status 1 (some input could not be handled): the status must survive _exit.
            JarProcess scan = JarProcess.command(dir, "scan", List.of("-Xmx256m", "-Djava.io.tmpdir=" + tmp),
                    "scan", "--format", "json", "--ports", listener.getLocalPort() + ",1", "--allow", "127.0.0.0/8",
                    "--os-db", LabSupport.database(), "127.0.0.1", "no-such-host.invalid");
            assertEquals(1, scan.waitFor(Duration.ofSeconds(120)), scan.log());
            Map<String, JsonNode> byTarget = new LinkedHashMap<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : scan.out().split("\n")) {
                JsonNode n = json.readTree(line);
                byTarget.put(n.has("target") ? n.get("target").asText() : n.get("ip").asText(), n);
            }
            assertEquals("up", byTarget.get("127.0.0.1").get("status").asText(), scan.log());
            assertTrue(byTarget.get("127.0.0.1").path("matches").size() > 0, scan.log());
            assertEquals("error", byTarget.get("no-such-host.invalid").get("status").asText(), scan.log());
            assertTrue(scan.err().contains("scanfarm done: 1 IP address (1 host up)"), scan.log());
            assertEquals(List.of(), brokerDirectories(tmp), "the embedded broker's data is gone");
            // Nor anything else: lz4-java's copy of its native library and its lock file, which the JVM deletes at its
            // exit, went before _exit too (every scan left 155 KB behind before).
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(), left.toList(), "nothing of the scan is left in its temporary directory");
            }
        }
    }

    @Test
    void aScanStoppedWithCtrlCLeavesNoBrokerData() throws Exception {
        assumeCtrlCReachesTheScan();
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        // 256 addresses and the 1 s of probing each takes at least: still running when the signal comes.
        JarProcess scan = JarProcess.command(dir, "scan", List.of("-Xmx256m", "-Djava.io.tmpdir=" + tmp),
                "scan", "--format", "json", "--ports", "1,2", "--allow", "127.0.0.0/8", "--hosts-in-flight", "16",
                "--os-db", LabSupport.database(), "127.0.1.0/24");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (brokerDirectories(tmp).isEmpty() || scan.out().isEmpty()) {
            assertTrue(scan.alive(), "the scan ended before it was interrupted:\n" + scan.log());
            assertTrue(System.nanoTime() < deadline, "the scan printed no result within 60 s:\n" + scan.log());
            Thread.sleep(50);
        }
        scan.interrupt();
        // The JVM's status for SIGINT: the scan was stopped, not finished.
        assertEquals(130, scan.waitFor(Duration.ofSeconds(30)), scan.log());
        assertEquals(List.of(), brokerDirectories(tmp), "the embedded broker's data is gone");
        assertFalse(scan.err().contains("Exception"), scan.log());
    }

    @Test
    void aScanThatFailsRightAfterItsBrokerStartedLeavesNoBrokerData() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        // A database that does not parse: the scan stops while its broker is still making the topics' directories.
        Path db = Files.writeString(dir.resolve("broken-os-db"), "MatchPoints\nno such line\n");
        JarProcess scan = JarProcess.command(dir, "scan", List.of("-Xmx256m", "-Djava.io.tmpdir=" + tmp),
                "scan", "--format", "json", "--ports", "1,2", "--allow", "127.0.0.0/8", "--os-db", db.toString(), "127.0.0.1");
        assertEquals(2, scan.waitFor(Duration.ofSeconds(60)), scan.log());
        assertTrue(scan.err().contains("broken-os-db"), scan.log());
        assertEquals("", scan.out(), "nothing was scanned");
        assertEquals(List.of(), brokerDirectories(tmp), "the embedded broker's data is gone");
    }

    @Test
    void withoutATemporaryDirectoryGivenTheBrokersDataGoesToMemoryAndIsGoneAfterCtrlC() throws Exception {
        assumeCtrlCReachesTheScan();
        Path shm = Path.of("/dev/shm");
        assumeTrue(EmbeddedKafka.memoryBacked(shm, EmbeddedKafka.MEMORY_DIR_MIN_FREE).isPresent(),
                "/dev/shm is missing, not writable or has less than 1 GiB free: the broker's data goes to /tmp here");
        List<Path> before = brokerDirectories(shm);
        JarProcess scan = JarProcess.command(dir, "scan", List.of("-Xmx256m"),
                "scan", "--format", "json", "--ports", "1,2", "--allow", "127.0.0.0/8", "--hosts-in-flight", "16",
                "--os-db", LabSupport.database(), "127.0.1.0/24");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (brokerDirectories(shm).size() <= before.size() || scan.out().isEmpty()) {
            assertTrue(scan.alive(), "the scan ended before it was interrupted:\n" + scan.log());
            assertTrue(System.nanoTime() < deadline, "no broker directory in /dev/shm, or no result, within 60 s:\n" + scan.log());
            Thread.sleep(50);
        }
        scan.interrupt();
        assertEquals(130, scan.waitFor(Duration.ofSeconds(30)), scan.log());
        assertEquals(Set.copyOf(before), Set.copyOf(brokerDirectories(shm)), "the embedded broker's data is gone from /dev/shm");
    }

    private static void assumeCtrlCReachesTheScan() throws Exception {
        assumeFalse(JarProcess.sigintIgnored(), "SIGINT is ignored in this process (the test run was started in the background"
                + " by a shell without job control), so the scan under test would ignore Ctrl-C too: run the tests in the foreground");
    }

    /** The embedded brokers' temporary directories under {@code tmp}. */
    private static List<Path> brokerDirectories(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("scanfarm-kafka")).toList();
        }
    }
}
