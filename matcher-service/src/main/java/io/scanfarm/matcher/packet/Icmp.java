package io.scanfarm.matcher.packet;

import io.scanfarm.matcher.packet.MalformedPacketException.Kind;

/** A read-only view of an ICMP message inside an IPv4 packet; {@code rest} is header bytes 4..7. */
public record Icmp(Ipv4 ip, int type, int code, int checksum, long rest) {

    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    public static final int PORT_UNREACHABLE = 3;

    public static Icmp parse(Ipv4 ip) throws MalformedPacketException {
        if (ip.protocol() != Ipv4.ICMP) {
            throw new MalformedPacketException(Kind.OTHER_PROTOCOL, "not ICMP (protocol " + ip.protocol() + ")");
        }
        if (ip.payloadLength() < 8) {
            throw new MalformedPacketException(Kind.TRUNCATED_ICMP_HEADER, "truncated ICMP header");
        }
        byte[] b = ip.bytes();
        int off = ip.payloadOffset();
        return new Icmp(ip, b[off] & 0xFF, b[off + 1] & 0xFF, Bytes.u16(b, off + 2), Bytes.u32(b, off + 4));
    }

    /** Echo identifier (bytes 4-5). */
    public int echoId() {
        return (int) (rest >>> 16);
    }

    public int echoSeq() {
        return (int) (rest & 0xFFFF);
    }

    /** The bytes after the 8-byte ICMP header: for an error, the quoted packet (as far as captured). */
    public byte[] body() {
        int from = ip.payloadOffset() + 8;
        return java.util.Arrays.copyOfRange(ip.bytes(), from, Math.max(from, ip.payloadEnd()));
    }
}
