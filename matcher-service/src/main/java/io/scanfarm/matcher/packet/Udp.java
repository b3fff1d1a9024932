package io.scanfarm.matcher.packet;

import io.scanfarm.matcher.packet.MalformedPacketException.Kind;

/** A read-only view of a UDP datagram inside an IPv4 packet. */
public record Udp(Ipv4 ip, int srcPort, int dstPort, int length, int checksum) {

    public static Udp parse(Ipv4 ip) throws MalformedPacketException {
        if (ip.protocol() != Ipv4.UDP) {
            throw new MalformedPacketException(Kind.OTHER_PROTOCOL, "not UDP (protocol " + ip.protocol() + ")");
        }
        if (ip.payloadLength() < 8) {
            throw new MalformedPacketException(Kind.TRUNCATED_UDP_HEADER, "truncated UDP header");
        }
        byte[] b = ip.bytes();
        int off = ip.payloadOffset();
        return new Udp(ip, Bytes.u16(b, off), Bytes.u16(b, off + 2), Bytes.u16(b, off + 4), Bytes.u16(b, off + 6));
    }
}
