package io.scanfarm.matcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsClassInfo;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.Outcome;
import io.scanfarm.proto.RankedMatch;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerdictEcsTest {

    private static OsVerdict verdict(HostStatus status) {
        return OsVerdict.newBuilder().setTarget("198.18.1.2").setHostStatus(status).setOutcome(Outcome.GUESS)
                .setMatchedAtMs(1_795_000_000_000L).setAgentId("agent-7").setSegment("lab").setNmapResult("SUCCESS")
                .setFingerprint("SCAN(V=x)\nSEQ(SP=1)")
                .addVerdictLines("Aggressive OS guesses: Linux 5.3 - 5.4 (96%)")
                .addMatches(RankedMatch.newBuilder().setName("Linux 5.3 - 5.4").setAccuracy(96).setScore(0.969).setLine(68140)
                        .addClasses(OsClassInfo.newBuilder().setVendor("Linux").setFamily("Linux").setGeneration("5.X")
                                .setDeviceType("general purpose").addCpe("cpe:/o:linux:linux_kernel:5")))
                .build();
    }

    @Test
    void carriesTheEcsFieldsASiemIndexes() throws Exception {
        JsonNode d = new ObjectMapper().readTree(VerdictEcs.of(verdict(HostStatus.UP)).toString());
        assertEquals("2026-11-18T11:06:40Z", d.get("@timestamp").asText());
        assertEquals("198.18.1.2", d.at("/host/ip/0").asText());
        assertEquals("Linux 5.3 - 5.4", d.at("/host/os/name").asText());
        assertEquals("linux", d.at("/host/os/family").asText());
        assertEquals("linux", d.at("/host/os/type").asText());
        assertEquals("5.X", d.at("/host/os/version").asText());
        assertEquals("scanner", d.at("/observer/type").asText());
        assertEquals("agent-7", d.at("/observer/name").asText());
        assertEquals("host", d.at("/event/category/0").asText());
        assertEquals("success", d.at("/event/outcome").asText());
        assertEquals(96, d.at("/scanfarm/matches/0/accuracy").asInt());
        assertEquals("SEQ(SP=1)", d.at("/scanfarm/fingerprint/0").asText());
        assertFalse(d.get("scanfarm").has("ip"), "the address lives in host.ip");
    }

    @Test
    void aDownHostHasNoOsAndFails() throws Exception {
        JsonNode d = new ObjectMapper().readTree(VerdictEcs.of(verdict(HostStatus.DOWN)).toString());
        assertNull(d.at("/host").get("os"));
        assertEquals("failure", d.at("/event/outcome").asText());
    }

    /** A verdict with every field the document carries: two matches, a class without generation, malformed answers. */
    private static OsVerdict rich() {
        return OsVerdict.newBuilder().setTarget("198.18.1.2").setHostStatus(HostStatus.UP).setOutcome(Outcome.GUESS)
                .setMatchedAtMs(1_795_000_000_123L).setAgentId("agent-7").setSegment("lab").setScanId("s-1").setDbSha256("ab12")
                .setNmapResult("SUCCESS").setFingerprint("SCAN(V=x)\nSEQ(SP=1)\nOPS(O1=M5B4)\n")
                .addVerdictLines("Aggressive OS guesses: Linux 5.3 - 5.4 (96%), \"Quoted\" \\ box (90%)")
                .putMalformedResponses("truncated_ip_header", 2).putMalformedResponses("bad_checksum", 1)
                .addMatches(RankedMatch.newBuilder().setName("Linux 5.3 - 5.4").setAccuracy(96).setScore(0.969).setLine(68140)
                        .addClasses(OsClassInfo.newBuilder().setVendor("Linux").setFamily("Linux").setGeneration("5.X")
                                .setDeviceType("general purpose").addCpe("cpe:/o:linux:linux_kernel:5")))
                .addMatches(RankedMatch.newBuilder().setName("\"Quoted\" \\ box").setAccuracy(90).setScore(0.9).setLine(12)
                        .addClasses(OsClassInfo.newBuilder().setVendor("Acme").setFamily("embedded").setDeviceType("WAP")
                                .addCpe("cpe:/h:acme:box").addCpe("cpe:/o:acme:fw:1"))
                        .addClasses(OsClassInfo.newBuilder().setVendor("Acme").setFamily("Windows").setGeneration("10")
                                .setDeviceType("router")))
                .build();
    }

    private static OsVerdict down() {
        return OsVerdict.newBuilder().setTarget("198.18.1.3").setHostStatus(HostStatus.DOWN).setOutcome(Outcome.NO_MATCH)
                .setMatchedAtMs(1_795_000_000_000L).setDetail("no answer to any probe").build();
    }

    /** A subject matched offline: no address, no agent, no segment. */
    private static OsVerdict offline() {
        return OsVerdict.newBuilder().setHostStatus(HostStatus.UP).setOutcome(Outcome.GUESS).setMatchedAtMs(5L).setNmapResult("SUCCESS")
                .setFingerprint("SEQ(SP=1)").build();
    }

    /**
     * The document, byte for byte, as the tree-built form wrote it before the matcher wrote it straight to a generator
     * (the expected lines are that form's output for these verdicts): a SIEM indexing scanfarm.verdicts.json sees no
     * change, and the tree callers ({@code scanfarm match --format ecs}) get the same document.
     */
    @Test
    void writesTheSameDocumentAsTheTreeItWasBuiltAsBefore() throws Exception {
        Map<OsVerdict, String> expected = new LinkedHashMap<>();
        expected.put(rich(),
                "{\"@timestamp\":\"2026-11-18T11:06:40.123Z\",\"host\":{\"ip\":[\"198.18.1.2\"],"
                + "\"os\":{\"name\":\"Linux 5.3 - 5.4\",\"full\":\"Linux 5.3 - 5.4\",\"family\":\"linux\","
                + "\"type\":\"linux\",\"version\":\"5.X\"},\"type\":\"general purpose\"},"
                + "\"observer\":{\"type\":\"scanner\",\"vendor\":\"scanfarm\",\"product\":\"scanfarm\","
                + "\"name\":\"agent-7\"},\"event\":{\"kind\":\"event\",\"category\":[\"host\"],\"type\":[\"info\"],"
                + "\"dataset\":\"scanfarm.os\",\"module\":\"scanfarm\",\"outcome\":\"success\"},"
                + "\"scanfarm\":{\"status\":\"up\",\"outcome\":\"GUESS\",\"result\":\"SUCCESS\","
                + "\"matches\":[{\"name\":\"Linux 5.3 - 5.4\",\"accuracy\":96,\"score\":0.969,\"line\":68140,"
                + "\"classes\":[{\"vendor\":\"Linux\",\"family\":\"Linux\",\"generation\":\"5.X\","
                + "\"type\":\"general purpose\"}],\"cpe\":[\"cpe:/o:linux:linux_kernel:5\"]},"
                + "{\"name\":\"\\\"Quoted\\\" \\\\ box\",\"accuracy\":90,\"score\":0.9,\"line\":12,"
                + "\"classes\":[{\"vendor\":\"Acme\",\"family\":\"embedded\",\"generation\":null,\"type\":\"WAP\"},"
                + "{\"vendor\":\"Acme\",\"family\":\"Windows\",\"generation\":\"10\",\"type\":\"router\"}],"
                + "\"cpe\":[\"cpe:/h:acme:box\",\"cpe:/o:acme:fw:1\"]}],"
                + "\"verdict\":[\"Aggressive OS guesses: Linux 5.3 - 5.4 (96%),"
                + " \\\"Quoted\\\" \\\\ box (90%)\"],\"malformed_responses\":{\"bad_checksum\":1,"
                + "\"truncated_ip_header\":2},\"fingerprint\":[\"SEQ(SP=1)\",\"OPS(O1=M5B4)\"],"
                + "\"scan\":\"SCAN(V=x)\",\"scan_id\":\"s-1\",\"agent\":\"agent-7\",\"segment\":\"lab\","
                + "\"db_sha256\":\"ab12\"},\"network\":{\"name\":\"lab\"},\"related\":{\"ip\":[\"198.18.1.2\"]}}");
        expected.put(down(),
                "{\"@timestamp\":\"2026-11-18T11:06:40Z\",\"host\":{\"ip\":[\"198.18.1.3\"]},"
                + "\"observer\":{\"type\":\"scanner\",\"vendor\":\"scanfarm\",\"product\":\"scanfarm\"},"
                + "\"event\":{\"kind\":\"event\",\"category\":[\"host\"],\"type\":[\"info\"],"
                + "\"dataset\":\"scanfarm.os\",\"module\":\"scanfarm\",\"outcome\":\"failure\"},"
                + "\"scanfarm\":{\"status\":\"down\",\"outcome\":\"NO_MATCH\","
                + "\"detail\":\"no answer to any probe\",\"scan_id\":\"\",\"agent\":\"\",\"segment\":\"\"},"
                + "\"related\":{\"ip\":[\"198.18.1.3\"]}}");
        expected.put(offline(),
                "{\"@timestamp\":\"1970-01-01T00:00:00.005Z\",\"host\":{},\"observer\":{\"type\":\"scanner\","
                + "\"vendor\":\"scanfarm\",\"product\":\"scanfarm\"},\"event\":{\"kind\":\"event\","
                + "\"category\":[\"host\"],\"type\":[\"info\"],\"dataset\":\"scanfarm.os\",\"module\":\"scanfarm\","
                + "\"outcome\":\"success\"},\"scanfarm\":{\"status\":\"up\",\"outcome\":\"GUESS\","
                + "\"result\":\"SUCCESS\",\"matches\":[],\"verdict\":[],\"fingerprint\":[\"SEQ(SP=1)\"],"
                + "\"scan_id\":\"\",\"agent\":\"\",\"segment\":\"\"}}");
        ObjectMapper json = new ObjectMapper();
        for (Map.Entry<OsVerdict, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), new String(VerdictEcs.bytes(e.getKey()), StandardCharsets.UTF_8));
            assertEquals(e.getValue(), json.writeValueAsString(VerdictEcs.of(e.getKey())));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"Linux, linux", "Windows, windows", "Mac OS X, macos", "iOS, ios", "Android, android", "FreeBSD, unix",
        "OpenBSD, unix", "Solaris, unix", "embedded, ''", "IOS, ios"})
    void mapsNmapFamiliesToEcsOsTypes(String family, String type) {
        String got = VerdictEcs.ecsType(family);
        assertEquals(type.isEmpty() ? null : type, got);
    }
}
