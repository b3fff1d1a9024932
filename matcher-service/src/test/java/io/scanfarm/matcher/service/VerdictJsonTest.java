package io.scanfarm.matcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsClassInfo;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.Outcome;
import io.scanfarm.proto.RankedMatch;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static OsVerdict up(int matches) {
        OsVerdict.Builder v = OsVerdict.newBuilder().setTarget("198.18.1.2").setHostStatus(HostStatus.UP).setOutcome(Outcome.GUESS)
                .setNmapResult("SUCCESS").setScanId("scan-1").setAgentId("agent-7").setSegment("lab")
                .setFingerprint("SCAN(V=x%D=1/1)\nSEQ(SP=1)\n\nOPS(O1=M5B4)\n")
                .addVerdictLines("Aggressive OS guesses: Linux 5.3 - 5.4 (96%)")
                .putMalformedResponses("truncated_tcp_header", 1).putMalformedResponses("ihl_past_end", 2);
        for (int i = 0; i < matches; i++) {
            v.addMatches(RankedMatch.newBuilder().setName("OS " + i).setAccuracy(96 - i).setScore(0.969 - i / 100.0).setLine(100 + i)
                    .addClasses(OsClassInfo.newBuilder().setVendor("Linux").setFamily("Linux").setGeneration("5.X")
                            .setDeviceType("general purpose").addCpe("cpe:/o:linux:linux_kernel:5").addCpe("cpe:/o:linux:linux_kernel:" + i))
                    .addClasses(OsClassInfo.newBuilder().setVendor("AXIS").setFamily("embedded").setDeviceType("webcam")
                            .addCpe("cpe:/h:axis:" + i)));
        }
        return v.build();
    }

    private static String written(OsVerdict v, String target) throws Exception {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.getFactory().createGenerator(w)) {
            VerdictJson.write(v, target, g);
        }
        return w.toString();
    }

    @Test
    void anUpHostCarriesItsFirstTenMatchesItsLinesAndItsFingerprint() throws Exception {
        JsonNode d = JSON.readTree(written(up(12), null));
        List<String> fields = new ArrayList<>();
        d.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("ip", "status", "outcome", "result", "matches", "verdict", "malformed_responses", "fingerprint",
                "scan", "scan_id", "agent", "segment"), fields, "db_sha256 and target only when there are any");
        assertEquals("198.18.1.2", d.get("ip").asText());
        assertEquals("up", d.get("status").asText());
        assertEquals("GUESS", d.get("outcome").asText());
        assertEquals(10, d.get("matches").size());
        JsonNode m = d.at("/matches/9");
        assertEquals("OS 9", m.get("name").asText());
        assertEquals(87, m.get("accuracy").asInt());
        assertEquals(0.879, m.get("score").asDouble(), 1e-12);
        assertEquals(109, m.get("line").asInt());
        assertEquals("5.X", m.at("/classes/0/generation").asText());
        assertTrue(m.at("/classes/1/generation").isNull(), "a class without a generation has null");
        assertEquals("webcam", m.at("/classes/1/type").asText());
        assertEquals("[\"cpe:/o:linux:linux_kernel:5\",\"cpe:/o:linux:linux_kernel:9\",\"cpe:/h:axis:9\"]", m.get("cpe").toString(),
                "the CPEs of all classes, in order");
        assertEquals("[\"Aggressive OS guesses: Linux 5.3 - 5.4 (96%)\"]", d.get("verdict").toString());
        assertEquals("{\"ihl_past_end\":2,\"truncated_tcp_header\":1}", d.get("malformed_responses").toString(), "sorted by name");
        assertEquals("[\"SEQ(SP=1)\",\"OPS(O1=M5B4)\"]", d.get("fingerprint").toString());
        assertEquals("SCAN(V=x%D=1/1)", d.get("scan").asText());
    }

    @Test
    void theNameGivenOnTheCommandLineAndTheDatabaseDigestComeWhenThereAreAny() throws Exception {
        JsonNode d = JSON.readTree(written(up(1).toBuilder().setDbSha256("abc").build(), "host.example"));
        assertEquals("abc", d.get("db_sha256").asText());
        assertEquals("host.example", d.get("target").asText());
    }

    @Test
    void aHostThatIsNotUpCarriesWhyAndNoMatches() throws Exception {
        OsVerdict down = OsVerdict.newBuilder().setTarget("198.18.1.3").setHostStatus(HostStatus.DOWN).setOutcome(Outcome.UNRELIABLE)
                .setDetail("no answer to discovery").setScanId("scan-1").build();
        JsonNode d = JSON.readTree(written(down, null));
        assertEquals("down", d.get("status").asText());
        assertEquals("no answer to discovery", d.get("detail").asText());
        assertFalse(d.has("matches"));
        assertFalse(d.has("fingerprint"));
    }

    @Test
    void theTreeIsTheWrittenObject() throws Exception {
        OsVerdict v = up(3);
        assertEquals(written(v, null), JSON.writeValueAsString(VerdictJson.of(v)));
    }
}
