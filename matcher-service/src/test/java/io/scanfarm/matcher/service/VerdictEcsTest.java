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

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"Linux, linux", "Windows, windows", "Mac OS X, macos", "iOS, ios", "Android, android", "FreeBSD, unix",
        "OpenBSD, unix", "Solaris, unix", "embedded, ''", "IOS, ios"})
    void mapsNmapFamiliesToEcsOsTypes(String family, String type) {
        String got = VerdictEcs.ecsType(family);
        assertEquals(type.isEmpty() ? null : type, got);
    }
}
