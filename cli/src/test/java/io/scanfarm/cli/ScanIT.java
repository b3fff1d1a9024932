package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import io.scanfarm.matcher.subject.SubjectParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code scanfarm scan} against real Linux stacks: every lab personality (network namespaces with varied
 * sysctls, made by deploy/lab/lab) and loopback, side by side with {@code nmap -O --max-os-tries 1} on the same
 * hosts. Needs root and nmap; skips with a message without them.
 */
class ScanIT {

    private static final String SCOPE = "198.18.0.0/15,127.0.0.0/8";
    private static Map<String, String> lab;

    @BeforeAll
    static void lab() throws Exception {
        LabSupport.requireRoot();
        lab = LabSupport.up();
        assertTrue(lab.size() >= 8, "the lab has its personalities: " + lab);
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            LabSupport.down();
        }
    }

    @Test
    void everyPersonalityAndLoopbackGetNmapsFingerprint() throws Exception {
        LabSupport.requireNmap();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = listener.getLocalPort();
            List<String> targets = new ArrayList<>(lab.values());
            Map<String, SubjectFingerprint> ours = new LinkedHashMap<>(scanJson(targets, "80,1"));
            ours.putAll(scanJson(List.of("127.0.0.1"), port + ",1"));

            Map<String, String> nmap = new LinkedHashMap<>(LabSupport.nmapFingerprints(targets, "80,1"));
            nmap.putAll(LabSupport.nmapFingerprints(List.of("127.0.0.1"), port + ",1"));

            FingerprintAgreement agreement = new FingerprintAgreement();
            for (String host : ours.keySet()) {
                assertTrue(nmap.containsKey(host), "nmap printed a fingerprint for " + host);
                agreement.compare(host, SubjectParser.parseOne(nmap.get(host)), ours.get(host));
            }
            System.out.println(agreement.table());
            assertEquals(9, ours.size(), "8 personalities and loopback scanned");
            assertEquals(List.of(), agreement.differences);
        }
    }

    @Test
    void downHostUnresolvableNameAndOutOfScopeAddressEachGetAClearResult() throws Exception {
        String silent = LabSupport.silentAddress();
        MatchCommandTest.Run r = MatchCommandTest.run("scan", "--format", "json", "--allow", SCOPE, "--os-db", LabSupport.database(),
                silent, "no-such-host.invalid", "192.0.2.1");
        assertEquals(1, r.code(), r.err());
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> byTarget = new LinkedHashMap<>();
        for (String line : r.outLines()) {
            JsonNode n = json.readTree(line);
            byTarget.put(n.has("target") ? n.get("target").asText() : n.get("ip").asText(), n);
        }
        assertEquals("down", byTarget.get(silent).get("status").asText(), r.out());
        assertTrue(byTarget.get(silent).get("detail").asText().startsWith("no response"), r.out());
        assertEquals("error", byTarget.get("no-such-host.invalid").get("status").asText());
        assertTrue(byTarget.get("no-such-host.invalid").get("detail").asText().startsWith("unresolvable"));
        assertEquals("error", byTarget.get("192.0.2.1").get("status").asText());
        assertTrue(byTarget.get("192.0.2.1").get("detail").asText().startsWith("refused"), r.out());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void xmlOutputIsValidAgainstNmapsDtd() throws Exception {
        Path dtd = Path.of("/usr/share/nmap/nmap.dtd");
        Assumptions.assumeTrue(Files.isRegularFile(dtd) && Files.isExecutable(Path.of("/usr/bin/xmllint")),
                "skipped: needs /usr/share/nmap/nmap.dtd (nmap-common) and xmllint (libxml2-utils)");
        long before = System.nanoTime();
        MatchCommandTest.Run r = MatchCommandTest.run("scan", "--format", "xml", "--ports", "80,1", "--allow", SCOPE,
                "--os-db", LabSupport.database(), lab.get("default"), lab.get("bare"), LabSupport.silentAddress());
        double wall = (System.nanoTime() - before) / 1e9;
        assertEquals(0, r.code(), r.err());
        // Nmap's elapsed is the whole scan's, in seconds with two decimals (it once began at the first result).
        java.util.regex.Matcher elapsed = java.util.regex.Pattern.compile("elapsed=\"(\\d+\\.\\d\\d)\"").matcher(r.out());
        assertTrue(elapsed.find(), r.out());
        double seconds = Double.parseDouble(elapsed.group(1));
        assertTrue(seconds > wall - 0.5 && seconds <= wall + 0.01, "elapsed " + seconds + " s of a " + wall + " s command");
        Path xml = Files.createTempFile("scan", ".xml");
        Files.writeString(xml, r.out());
        Process p = new ProcessBuilder("xmllint", "--noout", "--dtdvalid", dtd.toString(), xml.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "xmllint: " + out);
        Files.delete(xml);
        assertTrue(r.out().contains("<osmatch name=\"") && r.out().contains("<osclass ") && r.out().contains("state=\"down\""), r.out());
        assertTrue(r.out().contains("<hosts up=\"2\" down=\"1\" total=\"3\"/>"), r.out());
    }

    @Test
    void theFirstGenerationProfileGivesACompleteFingerprintAndAVerdictNamingLinux() throws Exception {
        Path gen1 = Path.of(System.getProperty("scanfarm.shared", "../../shared"), "testdata", "nmap-gen1", "nmap-os-fingerprints");
        Assumptions.assumeTrue(Files.isRegularFile(gen1), "skipped: no ../shared/testdata/nmap-gen1/nmap-os-fingerprints");
        MatchCommandTest.Run r = MatchCommandTest.run("scan", "--profile", "nmap1", "--format", "json", "--ports", "80,1",
                "--allow", SCOPE, "--os-db", gen1.toString(), lab.get("default"), lab.get("nots"));
        assertEquals(0, r.code(), r.err());
        ObjectMapper json = new ObjectMapper();
        assertEquals(2, r.outLines().size(), r.out());
        for (String line : r.outLines()) {
            JsonNode host = json.readTree(line);
            List<String> tests = new ArrayList<>();
            host.get("fingerprint").forEach(t -> tests.add(t.asText()));
            List<String> names = tests.stream().map(t -> t.substring(0, t.indexOf('('))).toList();
            assertEquals(List.of("SInfo", "TSeq", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "PU"), names, host.toString());
            // An open and a closed port and a closed UDP port answer as Linux does: T1, T4-T7 and PU all answered.
            for (String answered : List.of("T1", "T4", "T5", "T6", "T7", "PU")) {
                String t = tests.get(names.indexOf(answered));
                assertTrue(t.startsWith(answered + "(Resp=Y%"), t);
            }
            assertTrue(tests.get(1).startsWith("TSeq(Class="), tests.get(1));
            JsonNode best = host.get("matches").get(0);
            assertTrue(best.get("name").asText().startsWith("Linux"), "the best first-generation match: " + best);
            assertTrue(host.toString().contains("No exact OS matches") || host.toString().contains("OS details: Linux"), host.toString());
        }
    }

    @Test
    void outputGoesToTheFileProgressToStandardErrorAndQuietSilencesIt() throws Exception {
        Path file = Files.createTempFile("scan", ".json");
        MatchCommandTest.Run r = MatchCommandTest.run("scan", "--format", "json", "--ports", "80,1", "--allow", SCOPE,
                "--os-db", LabSupport.database(), "--output", file.toString(), "198.18.16.0/29");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out(), "nothing on standard output with --output");
        List<String> lines = Files.readAllLines(file);
        assertEquals(8, lines.size(), String.join("\n", lines));
        // Not a terminal here: plain progress lines, the last one at 8 of 8 hosts with a rate.
        assertTrue(r.err().contains("8/8 hosts") && r.err().contains("hosts/s"), r.err());
        assertTrue(r.err().contains("scanfarm done: 8 IP addresses"), r.err());

        MatchCommandTest.Run q = MatchCommandTest.run("scan", "--quiet", "--format", "csv", "--ports", "80,1", "--allow", SCOPE,
                "--os-db", LabSupport.database(), "--output", file.toString(), "198.18.16.8/30");
        assertEquals(0, q.code(), q.err());
        assertEquals("", q.err(), "--quiet: nothing on standard error");
        assertEquals(5, Files.readAllLines(file).size(), "the file is replaced: a header and four rows");
        Files.delete(file);

        MatchCommandTest.Run bad = MatchCommandTest.run("scan", "--allow", SCOPE, "--output", "/nonexistent/dir/out.json", "198.18.16.1");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("cannot write /nonexistent/dir/out.json"), bad.err());
    }

    @Test
    void withoutRawPacketPrivilegesItStopsAtOnceWithExitCode2() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // The unprivileged user cannot read root's Maven repository: run a world-readable copy of the shaded jar.
        Path jar = Path.of("target", "scanfarm.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "skipped: target/scanfarm.jar is not built (mvn package)");
        Path dir = Files.createTempDirectory("scanfarm-unprivileged");
        Path copy = dir.resolve("scanfarm.jar");
        Files.copy(jar, copy);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> cmd = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                "--bounding-set=-all", java.toString(), "-jar", copy.toString(), "scan", "--allow", SCOPE, "127.0.0.1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(2, p.waitFor(), out);
        assertEquals(1, out.strip().split("\n").length, "one sentence: " + out);
        assertTrue(out.contains("root, or grant CAP_NET_RAW and CAP_NET_ADMIN"), out);
        Files.delete(copy);
        Files.delete(dir);
    }

    private static Map<String, SubjectFingerprint> scanJson(List<String> targets, String ports) throws IOException {
        List<String> args = new ArrayList<>(List.of("scan", "--format", "json", "--ports", ports, "--allow", SCOPE,
                "--os-db", LabSupport.database()));
        args.addAll(targets);
        MatchCommandTest.Run r = MatchCommandTest.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err() + r.out());
        Map<String, SubjectFingerprint> out = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : r.outLines()) {
            JsonNode n = json.readTree(line);
            assertEquals("up", n.get("status").asText(), line);
            StringBuilder fp = new StringBuilder();
            for (JsonNode t : n.get("fingerprint")) {
                fp.append(t.asText()).append('\n');
            }
            assertTrue(n.get("verdict").size() > 0, line);
            out.put(n.get("ip").asText(), SubjectParser.parseOne(fp.toString()));
        }
        return out;
    }
}
