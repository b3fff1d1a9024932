package io.scanfarm.matcher.tests.gen1;

import io.scanfarm.matcher.packet.Bytes;
import io.scanfarm.matcher.packet.Tcp;

/**
 * The first generation's Ops attribute (osscan.cc fingerprint_iptcppacket): one letter per option, no values.
 * M for MSS followed by E when it echoes the probes' 265, W window scale, N no-op, T timestamp, L end of list
 * (reading stops there). Sizes are assumed, length bytes ignored; any other kind (SACK-permitted, ...) adds
 * nothing and advances a single byte, so its length byte is read as the next kind: Nmap's quirk, kept.
 */
public final class OpsString {

    /** The MSS every first-generation probe announces (osscan.cc: fingerprint_iptcppacket(ip, 265, ...)). */
    public static final int PROBE_MSS = 265;

    private OpsString() {
    }

    public static String of(Tcp tcp) {
        byte[] b = tcp.ip().bytes();
        int p = tcp.optionsOffset();
        int remaining = tcp.optionsLength();
        StringBuilder out = new StringBuilder();
        // Nmap also stops near its 128-byte value buffer; 40 option bytes never spell that much.
        while (remaining > 0 && p < b.length) {
            int kind = b[p++] & 0xFF;
            remaining--;
            if (kind == 0) {
                out.append('L');
                break;
            } else if (kind == 1) {
                out.append('N');
            } else if (kind == 2) {
                out.append('M');
                // The value sits after the length byte, even when the options end first (Nmap reads on).
                if (p + 3 <= b.length && Bytes.u16(b, p + 1) == PROBE_MSS) {
                    out.append('E');
                }
                p += 3;
                remaining -= 3;
            } else if (kind == 3) {
                out.append('W');
                p += 2;
                remaining -= 2;
            } else if (kind == 8) {
                out.append('T');
                p += 9;
                remaining -= 9;
            }
        }
        return out.toString();
    }
}
