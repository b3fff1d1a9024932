package io.scanfarm.agent.plan;

import io.scanfarm.agent.plan.ProbeSpec.Kind;
import io.scanfarm.agent.plan.ProbeSpec.Phase;
import io.scanfarm.agent.plan.ProbeSpec.PortRole;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Nmap 3.x-4.2x's first-generation IPv4 OS probes (osscan.cc get_fingerprint), parameter for parameter, in the
 * order Nmap sent them: T1-T7 and the UDP probe PU at once, then, once those are answered or given up, six
 * sequence SYNs TSEQ1-TSEQ6 at least 110 ms apart. Every TCP probe carries the same 20 option bytes, an
 * acknowledgement field of 0, no DF, and the window send_tcp_raw derives from its random TTL. Source ports
 * follow Nmap's layout from the per-host TCP base (Nmap's magic port): TSEQ i at base+i, T1-T7 at base+7..13;
 * PU leaves from the per-host UDP base (Nmap used the magic port itself; a random port either way).
 */
public final class NmapFirstGenerationPlan {

    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;
    private static final int URG = 0x20;
    /** The "bogus" flag (64) T1 adds to its SYN; later named ECE. */
    private static final int BOGUS = 0x40;

    /** osscan.cc get_fingerprint: window scale 10, NOP, MSS 265, timestamp (TSval 0x3F3F3F3F, TSecr 0), EOL, pad. */
    static final String OPTIONS = "03030A01 02040109 080A3F3F3F3F00000000 0000";
    /** The MSS the options announce; fingerprint_iptcppacket prints E when a reply echoes it. */
    public static final int MSS = 265;
    /** UDP payload length (send_closedudp_probe: 300 bytes of one pattern byte). */
    public static final int UDP_PAYLOAD = 300;
    /** osscan.cc get_fingerprint: the next sequence SYN waits until 110 ms after the previous one left. */
    public static final long TSEQ_SPACING_MICROS = 110_000;

    private NmapFirstGenerationPlan() {
    }

    public static ProbePlan create() {
        List<ProbeSpec> p = new ArrayList<>();
        // Tests 1-7 (osscan.cc get_fingerprint): T1-T4 to the open port, T5-T7 to the closed one, all with the
        // sequence base and ack 0, sent from the magic port + 7..13.
        p.add(tcp("T1", Phase.FOLLOW, PortRole.OPEN_TCP, 7, BOGUS | SYN, 0));
        p.add(tcp("T2", Phase.FOLLOW, PortRole.OPEN_TCP, 8, 0, 0));
        p.add(tcp("T3", Phase.FOLLOW, PortRole.OPEN_TCP, 9, SYN | FIN | URG | PSH, 0));
        p.add(tcp("T4", Phase.FOLLOW, PortRole.OPEN_TCP, 10, ACK, 0));
        p.add(tcp("T5", Phase.FOLLOW, PortRole.CLOSED_TCP, 11, SYN, 0));
        p.add(tcp("T6", Phase.FOLLOW, PortRole.CLOSED_TCP, 12, ACK, 0));
        p.add(tcp("T7", Phase.FOLLOW, PortRole.CLOSED_TCP, 13, FIN | PSH | URG, 0));
        // Test 8 (send_closedudp_probe): 300 bytes of a per-run pattern byte to a closed UDP port, one non-zero
        // IP ID, TTL (time % 14) + 51, no DF, TOS 0.
        p.add(new ProbeSpec("PU", Phase.FOLLOW, Kind.UDP, PortRole.CLOSED_UDP, 0, 0, 0, new byte[0], 0, 0, 0, false,
                false, 0, 0, 0, 0, UDP_PAYLOAD, ProbeSpec.HOST_PATTERN_BYTE, ProbeSpec.HOST_IP_ID, true, null));
        // The sequence SYNs: SYN i (1-6) carries the sequence base + i from the magic port + i, same options.
        for (int i = 1; i <= 6; i++) {
            p.add(tcp("TSEQ" + i, Phase.SEQ, PortRole.OPEN_TCP, i, SYN, i));
        }
        // Nmap repeats unanswered tests 1-8 in rounds, always twice and on while a round brings a new answer;
        // here each is resent once (Nmap's guaranteed second round). T1-T7 and PU leave back to back.
        return new ProbePlan("NMAP1", p, List.of(Phase.FOLLOW, Phase.SEQ), TSEQ_SPACING_MICROS, 0, 1_000_000, 1);
    }

    /** The option bytes every first-generation TCP probe carries. */
    public static byte[] options() {
        return HexFormat.of().parseHex(OPTIONS.replace(" ", ""));
    }

    private static ProbeSpec tcp(String id, Phase phase, PortRole port, int srcOffset, int flags, int seqOffset) {
        return new ProbeSpec(id, phase, Kind.TCP, port, srcOffset, flags, ProbeSpec.WINDOW_FROM_TTL, options(), 0, 0,
                seqOffset, true, false, 0, 0, 0, 0, 0, 0, -1, false, null);
    }
}
