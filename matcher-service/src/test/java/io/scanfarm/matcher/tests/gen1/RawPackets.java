package io.scanfarm.matcher.tests.gen1;

import io.scanfarm.matcher.packet.Bytes;
import java.util.HexFormat;

/** Hand-built IPv4 packets for the first-generation tests, checksums right unless a test spoils them. */
final class RawPackets {

    static final int TARGET = 0xC6120102; // 198.18.1.2
    static final int AGENT = 0xC6120101;  // 198.18.1.1

    private RawPackets() {
    }

    /** A TCP segment; {@code options} in hex (a multiple of 4 bytes), {@code data} after the header. */
    static byte[] tcp(int src, int dst, int srcPort, int dstPort, long seq, long ack, int flags, int window, int ipId,
                      boolean df, String options, byte[] data) {
        byte[] opt = HexFormat.of().parseHex(options.replace(" ", ""));
        int tcpLen = 20 + opt.length + data.length;
        byte[] b = ip(src, dst, 6, 20 + tcpLen, ipId, df, 0, 64);
        put16(b, 20, srcPort);
        put16(b, 22, dstPort);
        put32(b, 24, seq);
        put32(b, 28, ack);
        b[32] = (byte) (((20 + opt.length) / 4) << 4);
        b[33] = (byte) flags;
        put16(b, 34, window);
        System.arraycopy(opt, 0, b, 40, opt.length);
        System.arraycopy(data, 0, b, 40 + opt.length, data.length);
        put16(b, 36, Bytes.internetChecksum(b, 20, tcpLen, pseudo(src, dst, 6, tcpLen)));
        return b;
    }

    /** A UDP datagram of {@code payloadLength} copies of {@code fill}. */
    static byte[] udp(int src, int dst, int srcPort, int dstPort, int ipId, int fill, int payloadLength) {
        int udpLen = 8 + payloadLength;
        byte[] b = ip(src, dst, 17, 20 + udpLen, ipId, false, 0, 55);
        put16(b, 20, srcPort);
        put16(b, 22, dstPort);
        put16(b, 24, udpLen);
        for (int i = 28; i < b.length; i++) {
            b[i] = (byte) fill;
        }
        put16(b, 26, Bytes.internetChecksum(b, 20, udpLen, pseudo(src, dst, 17, udpLen)));
        return b;
    }

    /**
     * An ICMP destination unreachable (type 3, {@code code}) from {@code src} quoting the first {@code quoteLength}
     * bytes of {@code quoted}.
     */
    static byte[] unreachable(int src, int dst, int code, byte[] quoted, int quoteLength, boolean df, int tos) {
        int len = 20 + 8 + quoteLength;
        byte[] b = ip(src, dst, 1, len, 0x1234, df, tos, 64);
        b[20] = 3;
        b[21] = (byte) code;
        System.arraycopy(quoted, 0, b, 28, Math.min(quoteLength, quoted.length));
        put16(b, 22, Bytes.internetChecksum(b, 20, len - 20, 0));
        return b;
    }

    /** Recomputes the IPv4 header checksum of the header at {@code off}. */
    static void fixIpChecksum(byte[] b, int off) {
        b[off + 10] = 0;
        b[off + 11] = 0;
        put16(b, off + 10, Bytes.internetChecksum(b, off, 20, 0));
    }

    static byte[] ip(int src, int dst, int protocol, int total, int id, boolean df, int tos, int ttl) {
        byte[] b = new byte[total];
        b[0] = 0x45;
        b[1] = (byte) tos;
        put16(b, 2, total);
        put16(b, 4, id);
        put16(b, 6, df ? 0x4000 : 0);
        b[8] = (byte) ttl;
        b[9] = (byte) protocol;
        put32(b, 12, src & 0xFFFF_FFFFL);
        put32(b, 16, dst & 0xFFFF_FFFFL);
        fixIpChecksum(b, 0);
        return b;
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void put32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static long pseudo(int src, int dst, int protocol, int length) {
        return ((src >>> 16) & 0xFFFF) + (src & 0xFFFF) + ((dst >>> 16) & 0xFFFF) + (dst & 0xFFFF) + protocol + length;
    }
}
