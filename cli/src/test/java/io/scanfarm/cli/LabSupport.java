package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scanfarm.matcher.packet.PcapFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs deploy/lab/lab and nmap for integration tests; skips (with the reason) where they cannot run. */
final class LabSupport {

    static final Path LAB = Path.of("..", "deploy", "lab", "lab");
    /** The root namespace's end of the range's veth: the source of every probe into the range. */
    static final String RANGE_OURS = "198.18.15.1";

    private LabSupport() {
    }

    /** What ran while the lab range's veth was captured, and the frames captured meanwhile. */
    record Captured<T>(T result, List<PcapFile.Frame> frames) {
    }

    /**
     * Runs {@code action} while tcpdump captures the lab range's veth (sfv-range) through {@code filter}: the action
     * starts once tcpdump says it is listening (a fixed second was once not enough on a busy machine, and a scan's
     * first packets went uncaptured), and tcpdump gets half a second after it for the last frames.
     */
    static <T> Captured<T> capturingRange(String filter, Callable<T> action) throws Exception {
        Path pcap = Files.createTempFile("range", ".pcap");
        Path said = Files.createTempFile("tcpdump", ".log");
        try {
            Process tcpdump = new ProcessBuilder("tcpdump", "-i", "sfv-range", "-w", pcap.toString(), "-U", "-s", "96",
                    "-B", "65536", filter).redirectErrorStream(true).redirectOutput(said.toFile()).start();
            T result;
            try {
                awaitListening(tcpdump, said);
                result = action.call();
                Thread.sleep(500);
            } finally {
                tcpdump.destroy();
                tcpdump.waitFor(5, TimeUnit.SECONDS);
            }
            return new Captured<>(result, PcapFile.parse(Files.readAllBytes(pcap)));
        } finally {
            Files.deleteIfExists(pcap);
            Files.deleteIfExists(said);
        }
    }

    /** Waits (at most 30 s) until tcpdump's output, written to {@code said}, has its "listening on" line. */
    private static void awaitListening(Process tcpdump, Path said) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(said).contains("listening on")) {
            if (!tcpdump.isAlive()) {
                throw new IOException("tcpdump ended without capturing: " + Files.readString(said));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("tcpdump did not start listening within 30 s: " + Files.readString(said));
            }
            Thread.sleep(10);
        }
    }

    /** The most of these packet times (microseconds, in order) that fall in any one 100 ms window. */
    static int busiest100Ms(List<Long> times) {
        int busiest = 0;
        for (int i = 0, j = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(j) >= 100_000) {
                j++;
            }
            busiest = Math.max(busiest, i - j + 1);
        }
        return busiest;
    }

    static void requireRoot() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) || uid() == 0,
                "skipped: needs root for raw packets and network namespaces (CI runs as root)");
    }

    static void requireNmap() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/nmap")),
                "skipped: nmap is not installed (./scanfarm test installs it as root: apt-get install nmap)");
    }

    static String database() {
        Path installed = Path.of("/usr/share/nmap/nmap-os-db");
        if (Files.isRegularFile(installed)) {
            return installed.toString();
        }
        Path shared = Path.of(System.getProperty("scanfarm.shared", "../../shared"), "testdata", "nmap-oracle", "nmap-os-db-7.93");
        Assumptions.assumeTrue(Files.isRegularFile(shared), "skipped: no nmap-os-db (apt-get install nmap-common)");
        return shared.toString();
    }

    /**
     * Brings the lab up and returns "name address" pairs of its personalities. An {@code up} that fails takes the lab
     * down again before it reports, so the next test class starts from nothing instead of a half-built lab.
     */
    static Map<String, String> up() throws IOException, InterruptedException {
        String out;
        try {
            out = run(List.of("bash", LAB.toString(), "up"), 400);
        } catch (IOException | AssertionError e) {
            try {
                down();
            } catch (IOException | AssertionError downFailed) {
                e.addSuppressed(downFailed);
            }
            throw e;
        }
        Map<String, String> personalities = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.split(" ", 3);
            if (f.length >= 2 && f[1].startsWith("198.18.")) {
                personalities.put(f[0], f[1]);
            }
        }
        return personalities;
    }

    static String silentAddress() throws IOException, InterruptedException {
        return run(List.of("bash", LAB.toString(), "silent"), 10).strip();
    }

    static void down() throws IOException, InterruptedException {
        run(List.of("bash", LAB.toString(), "down"), 60);
    }

    /** Runs a command, returns its standard output; fails the test when it exits non-zero. */
    static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path outFile = Files.createTempFile("lab", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(outFile.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish in " + timeoutSeconds + " s");
            }
            String out = Files.readString(outFile, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), command + " failed:\n" + out);
            return out;
        } finally {
            Files.deleteIfExists(outFile);
        }
    }

    /** nmap -O's fingerprint lines per scanned address (the wrapped OS: block nmap prints with -vv). */
    static Map<String, String> nmapFingerprints(List<String> targets, String ports) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/nmap", "-O", "--osscan-guess", "--max-os-tries", "1", "-n", "-Pn",
                "-p", ports, "-vv"));
        cmd.addAll(targets);
        String out = run(cmd, 300);
        Map<String, String> byHost = new LinkedHashMap<>();
        for (String section : out.split("Nmap scan report for ")) {
            String addr = section.split("\\s", 2)[0];
            int at = section.indexOf("TCP/IP fingerprint:");
            if (at < 0) {
                continue;
            }
            StringBuilder fp = new StringBuilder();
            for (String line : section.substring(at).split("\n")) {
                if (line.startsWith("OS:")) {
                    fp.append(line).append('\n');
                }
            }
            byHost.put(addr, fp.toString());
        }
        return byHost;
    }

    private static long uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
