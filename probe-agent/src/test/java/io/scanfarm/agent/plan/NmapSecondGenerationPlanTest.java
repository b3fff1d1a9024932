package io.scanfarm.agent.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.packet.Bytes;
import io.scanfarm.matcher.packet.Icmp;
import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.PcapFile;
import io.scanfarm.matcher.packet.Tcp;
import io.scanfarm.matcher.packet.Udp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each probe our plan builds has the shape of the probe nmap 7.93 itself sent in a recorded lab scan
 * (matcher-service's test captures): flags, window, option bytes, reserved bits, urgent pointer, DF, TOS,
 * lengths, ICMP code and sequence, UDP payload and fixed IP ID. Only what Nmap draws at random may differ.
 */
class NmapSecondGenerationPlanTest {

    private static final Path CAPTURE = Path.of("..", "matcher-service", "src", "test", "resources", "captures", "default.pcap");
    private static final Map<String, Ipv4> NMAP = new HashMap<>();
    private static HostProbeValues values;

    @BeforeAll
    static void readNmapProbes() throws Exception {
        for (PcapFile.Frame f : PcapFile.parse(Files.readAllBytes(CAPTURE))) {
            Ipv4 ip = Ipv4.parse(f.ip());
            if (ip.dstText().equals("198.18.1.2")) {
                String id = nmapProbeId(ip);
                if (id != null) {
                    NMAP.putIfAbsent(id, ip);
                }
            }
        }
        values = new HostProbeValues(new Random(7), 0xC6120101, 0xC6120102, 1_764_000_000L);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SEQ1", "SEQ2", "SEQ3", "SEQ4", "SEQ5", "SEQ6", "IE1", "IE2", "U1", "ECN", "T2", "T3", "T4", "T5", "T6", "T7"})
    void probeHasNmapsShape(String id) throws Exception {
        Ipv4 nmap = NMAP.get(id);
        assertNotNull(nmap, "nmap's " + id + " is in the capture");
        ProbeSpec spec = NmapSecondGenerationPlan.create().probe(id);
        Ipv4 ours = Ipv4.parse(values.build(spec, id.startsWith("T") && id.compareTo("T5") >= 0 ? 1 : 80));
        assertEquals(nmap.totalLength(), ours.totalLength(), "IP total length");
        assertEquals(nmap.df(), ours.df(), "DF");
        assertEquals(nmap.tos(), ours.tos(), "TOS");
        assertEquals(nmap.protocol(), ours.protocol(), "protocol");
        assertEquals(0, Bytes.internetChecksum(ours.bytes(), 0, 20, 0), "IP header checksum verifies");
        switch (nmap.protocol()) {
            case Ipv4.TCP -> {
                Tcp n = Tcp.parse(nmap);
                Tcp o = Tcp.parse(ours);
                assertEquals(n.flags(), o.flags(), "flags");
                assertEquals(n.window(), o.window(), "window");
                assertEquals(n.reserved(), o.reserved(), "reserved bits");
                assertEquals(n.urgentPointer(), o.urgentPointer(), "urgent pointer");
                assertArrayEquals(Arrays.copyOfRange(nmap.bytes(), n.optionsOffset(), n.dataOffset()),
                        Arrays.copyOfRange(ours.bytes(), o.optionsOffset(), o.dataOffset()), "option bytes");
                assertEquals(n.ack() == 0, o.ack() == 0, "zero or random ack field");
                assertTrue(o.srcPort() >= 33000, "source port from Nmap's range");
                assertEquals(0, transportChecksum(ours), "TCP checksum verifies");
            }
            case Ipv4.ICMP -> {
                Icmp n = Icmp.parse(nmap);
                Icmp o = Icmp.parse(ours);
                assertEquals(n.type(), o.type());
                assertEquals(n.code(), o.code(), "ICMP code");
                assertEquals(n.echoSeq(), o.echoSeq(), "echo sequence");
                assertArrayEquals(n.body(), o.body(), "echo payload");
                assertEquals(0, Bytes.internetChecksum(ours.bytes(), 20, ours.totalLength() - 20, 0), "ICMP checksum verifies");
            }
            default -> {
                Udp n = Udp.parse(nmap);
                Udp o = Udp.parse(ours);
                assertEquals(n.length(), o.length(), "UDP length");
                assertEquals(nmap.id(), ours.id(), "U1's fixed IP ID");
                assertArrayEquals(Arrays.copyOfRange(nmap.bytes(), 28, nmap.totalLength()),
                        Arrays.copyOfRange(ours.bytes(), 28, ours.totalLength()), "UDP payload");
                assertEquals(0, transportChecksum(ours), "UDP checksum verifies");
            }
        }
        if (!id.equals("U1")) {
            assertTrue(ours.ttl() >= 37 && ours.ttl() <= 59, "random TTL in Nmap's 37-59: " + ours.ttl());
        }
    }

    private static int transportChecksum(Ipv4 ip) {
        int len = ip.totalLength() - 20;
        long pseudo = ((ip.src() >>> 16) & 0xFFFF) + (ip.src() & 0xFFFF) + ((ip.dst() >>> 16) & 0xFFFF) + (ip.dst() & 0xFFFF)
                + ip.protocol() + len;
        return Bytes.internetChecksum(ip.bytes(), 20, len, pseudo);
    }

    /** Recognises nmap's probes in the capture by the facts that tell them apart (as the matcher's test does). */
    private static String nmapProbeId(Ipv4 ip) throws Exception {
        if (ip.protocol() == Ipv4.ICMP) {
            Icmp i = Icmp.parse(ip);
            return i.type() != 8 ? null : i.code() == 9 ? "IE1" : "IE2";
        }
        if (ip.protocol() == Ipv4.UDP) {
            return "U1";
        }
        Tcp t = Tcp.parse(ip);
        if (t.optionsLength() < 12) {
            return null;
        }
        for (ProbeSpec p : NmapSecondGenerationPlan.create().probes()) {
            if (p.kind() == ProbeSpec.Kind.TCP && p.flags() == t.flags() && p.window() == t.window()
                    && p.options().length == t.optionsLength()) {
                return p.id();
            }
        }
        return null;
    }

}
