package io.scanfarm.agent.plan;

import io.scanfarm.agent.plan.ProbeSpec.Kind;
import io.scanfarm.agent.plan.ProbeSpec.Phase;
import io.scanfarm.agent.plan.ProbeSpec.PortRole;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Nmap 7.93's second-generation IPv4 OS probes (osscan2.cc), parameter for parameter, in Nmap's order: six SEQ
 * SYNs 100 ms apart with their windows and option lists; then two ICMP echoes, the UDP probe to a closed port,
 * an OPS probe for each SEQ probe that got no answer (same shape, sent again from another port), the ECN SYN, T1
 * (only when SEQ1, whose answer is T1, got none) and T2-T7. Source ports follow Nmap's layout from a per-host
 * base: SEQ i at base+i, OPS i at base+6+i, ECN at base+12, T1-T7 at base+13..19.
 */
public final class NmapSecondGenerationPlan {

    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;
    private static final int URG = 0x20;
    private static final int ECE = 0x40;
    private static final int CWR = 0x80;

    /** TCP option lists, byte for byte (TSval 0xFFFFFFFF, TSecr 0). */
    private static final String[] SEQ_OPTIONS = {
        "03030A0102040 5B4080AFFFFFFFF000000000402",
        "020405780303000402080AFFFFFFFF0000000000",
        "080AFFFFFFFF0000000001010303050102040280",
        "0402080AFFFFFFFF000000000303 0A00",
        "020402180402080AFFFFFFFF000000000303 0A00",
        "020401090402080AFFFFFFFF00000000",
    };
    private static final int[] SEQ_WINDOWS = {1, 63, 4, 4, 16, 512};
    private static final String ECN_OPTIONS = "03030A01020405B404020101";
    private static final String T_OPTIONS = "03030A0102040109080AFFFFFFFF000000000402";
    private static final String T7_OPTIONS = "03030F0102040109080AFFFFFFFF000000000402";

    /** Nmap's fixed IP ID and filler byte for U1. */
    public static final int U1_IP_ID = 0x1042;
    public static final int U1_FILLER = 0x43;

    private NmapSecondGenerationPlan() {
    }

    public static ProbePlan create() {
        List<ProbeSpec> p = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            p.add(tcp("SEQ" + (i + 1), Phase.SEQ, PortRole.OPEN_TCP, i, SYN, SEQ_WINDOWS[i], SEQ_OPTIONS[i], 0, 0, i, false, false, null));
        }
        p.add(new ProbeSpec("IE1", Phase.FOLLOW, Kind.ICMP_ECHO, PortRole.NONE, 0, 0, 0, new byte[0], 0, 0, 0, false,
                true, 0, 9, 295, 0, 120, 0, -1, false, null));
        p.add(new ProbeSpec("IE2", Phase.FOLLOW, Kind.ICMP_ECHO, PortRole.NONE, 0, 0, 0, new byte[0], 0, 0, 0, false,
                false, 0x04, 0, 296, 1, 150, 0, -1, false, null));
        p.add(new ProbeSpec("U1", Phase.FOLLOW, Kind.UDP, PortRole.CLOSED_UDP, 0, 0, 0, new byte[0], 0, 0, 0, false,
                false, 0, 0, 0, 0, 300, U1_FILLER, U1_IP_ID, true, null));
        for (int i = 0; i < 6; i++) {
            p.add(tcp("OPS" + (i + 1), Phase.FOLLOW, PortRole.OPEN_TCP, 6 + i, SYN, SEQ_WINDOWS[i], SEQ_OPTIONS[i], 0, 0, 0,
                    false, false, "SEQ" + (i + 1)));
        }
        p.add(tcp("ECN", Phase.FOLLOW, PortRole.OPEN_TCP, 12, CWR | ECE | SYN, 3, ECN_OPTIONS, 0x8, 0xF7F5, 0, true, false, null));
        p.add(tcp("T1", Phase.FOLLOW, PortRole.OPEN_TCP, 13, SYN, SEQ_WINDOWS[0], SEQ_OPTIONS[0], 0, 0, 0, false, false, "SEQ1"));
        p.add(tcp("T2", Phase.FOLLOW, PortRole.OPEN_TCP, 14, 0, 128, T_OPTIONS, 0, 0, 0, false, true, null));
        p.add(tcp("T3", Phase.FOLLOW, PortRole.OPEN_TCP, 15, SYN | FIN | URG | PSH, 256, T_OPTIONS, 0, 0, 0, false, false, null));
        p.add(tcp("T4", Phase.FOLLOW, PortRole.OPEN_TCP, 16, ACK, 1024, T_OPTIONS, 0, 0, 0, false, true, null));
        p.add(tcp("T5", Phase.FOLLOW, PortRole.CLOSED_TCP, 17, SYN, 31337, T_OPTIONS, 0, 0, 0, false, false, null));
        p.add(tcp("T6", Phase.FOLLOW, PortRole.CLOSED_TCP, 18, ACK, 32768, T_OPTIONS, 0, 0, 0, false, true, null));
        p.add(tcp("T7", Phase.FOLLOW, PortRole.CLOSED_TCP, 19, FIN | PSH | URG, 65535, T7_OPTIONS, 0, 0, 0, false, false, null));
        return new ProbePlan("NMAP2", p, List.of(Phase.SEQ, Phase.FOLLOW), 100_000, 25_000, 1_000_000, 3);
    }

    private static ProbeSpec tcp(String id, Phase phase, PortRole port, int srcOffset, int flags, int window,
                                 String options, int reserved, int urgent, int seqOffset, boolean zeroAck, boolean df,
                                 String onlyIfUnanswered) {
        return new ProbeSpec(id, phase, Kind.TCP, port, srcOffset, flags, window, hex(options), reserved, urgent,
                seqOffset, zeroAck, df, 0, 0, 0, 0, 0, 0, -1, false, onlyIfUnanswered);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }
}
