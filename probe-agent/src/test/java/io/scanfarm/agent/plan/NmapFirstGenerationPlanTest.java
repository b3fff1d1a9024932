package io.scanfarm.agent.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.packet.Bytes;
import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.Tcp;
import io.scanfarm.matcher.packet.Udp;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each NMAP1 probe, built to bytes, against the facts of Nmap 3.x-4.2x's osscan.cc get_fingerprint and
 * send_closedudp_probe and tcpip.cc build_tcp_raw, field by field. The expected values are written here from
 * those facts, not read from the plan.
 */
class NmapFirstGenerationPlanTest {

    private static final int OPEN = 135;
    private static final int CLOSED = 1;
    private static final int CLOSED_UDP = 40125;
    private static final long NOW = 1_764_000_003L;
    /** WScale 10, NOP, MSS 265, timestamp TSval 0x3F3F3F3F TSecr 0, EOL, pad: osscan.cc's 20 option bytes. */
    private static final byte[] OPTIONS = HexFormat.of().parseHex("03030A0102040109080A3F3F3F3F000000000000");

    /** id, destination port, source-port offset from the TCP base, TCP flags, sequence offset from the base. */
    static Stream<Arguments> tcpProbes() {
        return Stream.of(
                Arguments.of("T1", OPEN, 7, 0x42, 0),    // SYN plus the bogus flag 64
                Arguments.of("T2", OPEN, 8, 0x00, 0),    // no flags at all
                Arguments.of("T3", OPEN, 9, 0x2B, 0),    // SYN FIN URG PSH
                Arguments.of("T4", OPEN, 10, 0x10, 0),   // ACK
                Arguments.of("T5", CLOSED, 11, 0x02, 0), // SYN
                Arguments.of("T6", CLOSED, 12, 0x10, 0), // ACK
                Arguments.of("T7", CLOSED, 13, 0x29, 0), // FIN PSH URG
                Arguments.of("TSEQ1", OPEN, 1, 0x02, 1),
                Arguments.of("TSEQ2", OPEN, 2, 0x02, 2),
                Arguments.of("TSEQ3", OPEN, 3, 0x02, 3),
                Arguments.of("TSEQ4", OPEN, 4, 0x02, 4),
                Arguments.of("TSEQ5", OPEN, 5, 0x02, 5),
                Arguments.of("TSEQ6", OPEN, 6, 0x02, 6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tcpProbes")
    void tcpProbeHasNmapsFields(String id, int dstPort, int srcOffset, int flags, int seqOffset) throws Exception {
        HostProbeValues values = values(11);
        Ipv4 ip = Ipv4.parse(values.build(NmapFirstGenerationPlan.create().probe(id), dstPort));
        Tcp t = Tcp.parse(ip);
        assertEquals(60, ip.totalLength(), "20 IP + 20 TCP + 20 option bytes");
        assertEquals(Ipv4.TCP, ip.protocol());
        assertFalse(ip.df(), "no DF");
        assertEquals(0, ip.tos(), "TOS 0");
        assertTrue(ip.ttl() >= 37 && ip.ttl() <= 59, "random TTL 37-59: " + ip.ttl());
        assertEquals(1024 * (ip.ttl() % 4 + 1), t.window(), "window 1024 * (TTL % 4 + 1)");
        assertEquals(flags, t.flags(), "flags");
        assertEquals(0, t.ack(), "acknowledgement field 0");
        assertEquals((values.seqBase + seqOffset) & 0xFFFF_FFFFL, t.seq(), "sequence base + " + seqOffset);
        assertEquals(values.tcpPortBase + srcOffset, t.srcPort(), "source port = magic port + " + srcOffset);
        assertEquals(dstPort, t.dstPort());
        assertEquals(0, t.reserved(), "reserved bits");
        assertEquals(0, t.urgentPointer(), "urgent pointer 0, URG or not");
        assertArrayEquals(OPTIONS, Arrays.copyOfRange(ip.bytes(), t.optionsOffset(), t.dataOffset()), "option bytes");
        assertEquals(0, Bytes.internetChecksum(ip.bytes(), 0, 20, 0), "IP checksum verifies");
        assertEquals(0, transportChecksum(ip), "TCP checksum verifies");
    }

    @Test
    void udpProbeHasNmapsFields() throws Exception {
        HostProbeValues values = values(11);
        ProbeSpec pu = NmapFirstGenerationPlan.create().probe("PU");
        Ipv4 ip = Ipv4.parse(values.build(pu, CLOSED_UDP));
        Udp u = Udp.parse(ip);
        assertEquals(328, ip.totalLength(), "20 IP + 8 UDP + 300 data");
        assertEquals(308, u.length(), "UDP length");
        assertFalse(ip.df(), "no DF");
        assertEquals(0, ip.tos(), "TOS 0");
        assertEquals((int) (NOW % 14) + 51, ip.ttl(), "TTL (time % 14) + 51");
        assertNotEquals(0, ip.id(), "a non-zero IP ID");
        assertEquals(CLOSED_UDP, u.dstPort());
        assertEquals(values.udpPortBase, u.srcPort());
        int pattern = ip.bytes()[28] & 0xFF;
        assertTrue(pattern >= 65 && pattern <= 124, "pattern byte 65-124: " + pattern);
        for (int i = 28; i < 328; i++) {
            assertEquals(pattern, ip.bytes()[i] & 0xFF, "payload byte " + (i - 28));
        }
        assertEquals(0, transportChecksum(ip), "UDP checksum verifies");
        Ipv4 again = Ipv4.parse(values.build(pu, CLOSED_UDP));
        assertEquals(ip.id(), again.id(), "one IP ID per host (a static in send_closedudp_probe)");
        assertEquals(pattern, again.bytes()[28] & 0xFF, "one pattern byte per host");
    }

    @Test
    void patternByteAndIpIdVaryFromHostToHost() throws Exception {
        ProbeSpec pu = NmapFirstGenerationPlan.create().probe("PU");
        Set<Integer> patterns = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        for (int seed = 0; seed < 200; seed++) {
            Ipv4 ip = Ipv4.parse(values(seed).build(pu, CLOSED_UDP));
            patterns.add(ip.bytes()[28] & 0xFF);
            ids.add(ip.id());
            assertNotEquals(0, ip.id());
        }
        assertTrue(patterns.size() > 30, "drawn, not fixed: " + patterns.size() + " distinct pattern bytes");
        assertTrue(ids.size() > 150, "drawn, not fixed: " + ids.size() + " distinct IP IDs");
    }

    @Test
    void windowsFollowTheTtlAcrossTheFourValues() throws Exception {
        Set<Integer> windows = new HashSet<>();
        HostProbeValues values = values(3);
        ProbeSpec t1 = NmapFirstGenerationPlan.create().probe("T1");
        for (int i = 0; i < 100; i++) {
            windows.add(Tcp.parse(Ipv4.parse(values.build(t1, OPEN))).window());
        }
        assertEquals(Set.of(1024, 2048, 3072, 4096), windows, "the four windows the founding trace shows");
    }

    @Test
    void planSendsTheTestsAndPuBeforeTheSequenceSyns() {
        ProbePlan plan = NmapFirstGenerationPlan.create();
        assertEquals("NMAP1", plan.name());
        assertEquals(List.of("T1", "T2", "T3", "T4", "T5", "T6", "T7", "PU", "TSEQ1", "TSEQ2", "TSEQ3", "TSEQ4",
                "TSEQ5", "TSEQ6"), plan.sendOrder().stream().map(ProbeSpec::id).toList());
        assertEquals(List.of(ProbeSpec.Phase.FOLLOW, ProbeSpec.Phase.SEQ), plan.phaseOrder());
        assertEquals(110_000, plan.seqSpacingMicros(), "osscan.cc: 110 ms between sequence SYNs");
        assertEquals(0, plan.followSpacingMicros(), "tests 1-8 leave back to back");
        assertEquals(1, plan.maxRetransmits(), "an unanswered test is sent a second time");
    }

    @Test
    void sourcePortOffsetsNeverCollide() {
        Set<Integer> offsets = new HashSet<>();
        for (ProbeSpec p : NmapFirstGenerationPlan.create().probes()) {
            if (p.kind() == ProbeSpec.Kind.TCP) {
                assertTrue(offsets.add(p.srcPortOffset()), "one probe per TCP offset: " + p.id());
                assertTrue(p.srcPortOffset() < 20, "below the discovery ports: " + p.id());
            }
        }
    }

    private static HostProbeValues values(long seed) {
        return new HostProbeValues(new Random(seed), 0x7F000001, 0x7F000001, NOW);
    }

    private static int transportChecksum(Ipv4 ip) {
        int len = ip.totalLength() - 20;
        long pseudo = ((ip.src() >>> 16) & 0xFFFF) + (ip.src() & 0xFFFF) + ((ip.dst() >>> 16) & 0xFFFF) + (ip.dst() & 0xFFFF)
                + ip.protocol() + len;
        return Bytes.internetChecksum(ip.bytes(), 20, len, pseudo);
    }
}
