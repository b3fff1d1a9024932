package io.scanfarm.agent.packet;

import io.scanfarm.matcher.packet.Bytes;

/**
 * Builds raw IPv4 packets (no IP options) with correct IP, TCP, UDP and ICMP checksums. Every field is given
 * explicitly: the caller decides what is random. Addresses are IPv4 in an int, big-endian order.
 */
public final class PacketBuilder {

    private PacketBuilder() {
    }

    /** Fields of the IPv4 header that vary from probe to probe. */
    public record IpFields(int src, int dst, int ttl, int id, boolean df, int tos) {
    }

    public static byte[] tcp(IpFields ip, int srcPort, int dstPort, long seq, long ack, int flags, int window,
                             int reserved, int urgent, byte[] options) {
        if (options.length % 4 != 0 || options.length > 40) {
            throw new IllegalArgumentException("TCP options must be a multiple of 4 bytes, at most 40: " + options.length);
        }
        int tcpLen = 20 + options.length;
        byte[] b = ipHeader(ip, 6, tcpLen);
        int o = 20;
        put16(b, o, srcPort);
        put16(b, o + 2, dstPort);
        put32(b, o + 4, seq);
        put32(b, o + 8, ack);
        b[o + 12] = (byte) (((tcpLen / 4) << 4) | (reserved & 0x0F));
        b[o + 13] = (byte) flags;
        put16(b, o + 14, window);
        put16(b, o + 18, urgent);
        System.arraycopy(options, 0, b, o + 20, options.length);
        put16(b, o + 16, Bytes.internetChecksum(b, o, tcpLen, pseudoHeaderSum(ip, 6, tcpLen)));
        return b;
    }

    public static byte[] udp(IpFields ip, int srcPort, int dstPort, byte[] payload) {
        int udpLen = 8 + payload.length;
        byte[] b = ipHeader(ip, 17, udpLen);
        put16(b, 20, srcPort);
        put16(b, 22, dstPort);
        put16(b, 24, udpLen);
        System.arraycopy(payload, 0, b, 28, payload.length);
        int sum = Bytes.internetChecksum(b, 20, udpLen, pseudoHeaderSum(ip, 17, udpLen));
        put16(b, 26, sum == 0 ? 0xFFFF : sum);
        return b;
    }

    public static byte[] icmpEcho(IpFields ip, int code, int id, int seq, byte[] payload) {
        int icmpLen = 8 + payload.length;
        byte[] b = ipHeader(ip, 1, icmpLen);
        b[20] = 8;
        b[21] = (byte) code;
        put16(b, 24, id);
        put16(b, 26, seq);
        System.arraycopy(payload, 0, b, 28, payload.length);
        put16(b, 22, Bytes.internetChecksum(b, 20, icmpLen, 0));
        return b;
    }

    private static byte[] ipHeader(IpFields ip, int protocol, int payloadLength) {
        int total = 20 + payloadLength;
        byte[] b = new byte[total];
        b[0] = 0x45;
        b[1] = (byte) ip.tos();
        put16(b, 2, total);
        put16(b, 4, ip.id());
        put16(b, 6, ip.df() ? 0x4000 : 0);
        b[8] = (byte) ip.ttl();
        b[9] = (byte) protocol;
        put32(b, 12, ip.src() & 0xFFFF_FFFFL);
        put32(b, 16, ip.dst() & 0xFFFF_FFFFL);
        put16(b, 10, Bytes.internetChecksum(b, 0, 20, 0));
        return b;
    }

    private static long pseudoHeaderSum(IpFields ip, int protocol, int length) {
        return ((ip.src() >>> 16) & 0xFFFF) + (ip.src() & 0xFFFF) + ((ip.dst() >>> 16) & 0xFFFF) + (ip.dst() & 0xFFFF)
                + protocol + length;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void put32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
