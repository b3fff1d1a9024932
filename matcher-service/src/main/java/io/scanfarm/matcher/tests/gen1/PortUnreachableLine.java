package io.scanfarm.matcher.tests.gen1;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.packet.Bytes;
import io.scanfarm.matcher.packet.Ipv4;
import java.util.Arrays;
import java.util.List;

/**
 * The PU test from an ICMP port unreachable (osscan.cc fingerprint_portunreach): Resp=Y, DF, TOS, IPLEN (the
 * reply's IP total length), RIPTL (the quoted IP total length), RID, RIPCK, UCK (E: as sent, F: changed, 0: zero),
 * ULEN (the quoted UDP length) and DAT (E when every byte after the quoted UDP header, up to the reply's end, is
 * the probe's pattern byte). Numbers are hex without leading zeros.
 */
public final class PortUnreachableLine {

    private PortUnreachableLine() {
    }

    /**
     * The PU attributes, or null when the packet is not Nmap's answer to this probe: not a port unreachable from
     * the target, captured short of its own total length (get_fingerprint skips it), or quoting other ports.
     */
    public static List<Attr> of(Ipv4 reply, int target, Ipv4 sent) {
        byte[] b = reply.bytes();
        if (reply.protocol() != Ipv4.ICMP || reply.src() != target || b.length < reply.totalLength()) {
            return null;
        }
        int icmp = reply.headerLength();
        int quoted = icmp + 8;
        int udp = quoted + 20; // fingerprint_portunreach takes the quoted IP header to be 20 bytes, options or not
        if (udp + 8 > reply.totalLength() || (b[icmp] & 0xFF) != 3 || (b[icmp + 1] & 0xFF) != 3) {
            return null;
        }
        byte[] s = sent.bytes();
        int sentUdp = sent.headerLength();
        if (Bytes.u16(b, udp) != Bytes.u16(s, sentUdp) || Bytes.u16(b, udp + 2) != Bytes.u16(s, sentUdp + 2)) {
            return null;
        }
        int quotedId = Bytes.u16(b, quoted + 4);
        int quotedSum = Bytes.u16(b, quoted + 10);
        String ripck;
        if (quotedSum == 0) {
            ripck = "0";
        } else {
            byte[] header = Arrays.copyOfRange(b, quoted, quoted + 20);
            header[10] = 0;
            header[11] = 0;
            ripck = Bytes.internetChecksum(header, 0, 20, 0) == quotedSum ? "E" : "F";
        }
        int udpSum = Bytes.u16(b, udp + 6);
        int pattern = s.length > sentUdp + 8 ? s[sentUdp + 8] & 0xFF : -1;
        boolean intact = true;
        for (int i = udp + 8; i < reply.totalLength() && intact; i++) {
            intact = (b[i] & 0xFF) == pattern;
        }
        return List.of(
                new Attr("Resp", "Y"),
                new Attr("DF", reply.df() ? "Y" : "N"),
                new Attr("TOS", hex(reply.tos())),
                new Attr("IPLEN", hex(reply.totalLength())),
                new Attr("RIPTL", hex(Bytes.u16(b, quoted + 2))),
                new Attr("RID", quotedId == 0 ? "0" : quotedId == sent.id() ? "E" : "F"),
                new Attr("RIPCK", ripck),
                new Attr("UCK", udpSum == 0 ? "0" : udpSum == Bytes.u16(s, sentUdp + 6) ? "E" : "F"),
                new Attr("ULEN", hex(Bytes.u16(b, udp + 4))),
                new Attr("DAT", intact ? "E" : "F"));
    }

    private static String hex(int v) {
        return Integer.toHexString(v).toUpperCase();
    }
}
