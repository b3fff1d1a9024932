package io.scanfarm.matcher.tests.gen1;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.packet.Tcp;
import java.util.List;

/**
 * One of T1-T7 from the reply to its probe (osscan.cc fingerprint_iptcppacket): Resp=Y, DF, W (window in hex),
 * ACK (S++ when it acknowledges the probe's sequence number plus one, S when it acknowledges it, else O), Flags in
 * Nmap's fixed order B (the bogus bit 64, ECE) U A P R S F, and Ops.
 */
public final class TcpReplyLine {

    private TcpReplyLine() {
    }

    public static List<Attr> of(Tcp reply, long probeSeq) {
        long ack = reply.ack();
        String a = ack == ((probeSeq + 1) & 0xFFFF_FFFFL) ? "S++" : ack == probeSeq ? "S" : "O";
        return List.of(
                new Attr("Resp", "Y"),
                new Attr("DF", reply.ip().df() ? "Y" : "N"),
                new Attr("W", Integer.toHexString(reply.window()).toUpperCase()),
                new Attr("ACK", a),
                new Attr("Flags", flags(reply)),
                new Attr("Ops", OpsString.of(reply)));
    }

    /** Flag letters in fingerprint_iptcppacket's order; CWR (128) has no letter. */
    static String flags(Tcp t) {
        StringBuilder sb = new StringBuilder();
        char[] letters = {'B', 'U', 'A', 'P', 'R', 'S', 'F'};
        int[] bits = {Tcp.ECE, Tcp.URG, Tcp.ACK, Tcp.PSH, Tcp.RST, Tcp.SYN, Tcp.FIN};
        for (int i = 0; i < bits.length; i++) {
            if (t.has(bits[i])) {
                sb.append(letters[i]);
            }
        }
        return sb.toString();
    }
}
