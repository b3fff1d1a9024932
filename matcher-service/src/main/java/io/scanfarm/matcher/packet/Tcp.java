package io.scanfarm.matcher.packet;

import io.scanfarm.matcher.packet.MalformedPacketException.Kind;

/** A read-only view of a TCP segment inside an IPv4 packet. Options and data are byte ranges of the packet. */
public record Tcp(Ipv4 ip, int srcPort, int dstPort, long seq, long ack, int headerLength, int reserved,
                  int flags, int window, int checksum, int urgentPointer) {

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    public static Tcp parse(Ipv4 ip) throws MalformedPacketException {
        if (ip.protocol() != Ipv4.TCP) {
            throw new MalformedPacketException(Kind.OTHER_PROTOCOL, "not TCP (protocol " + ip.protocol() + ")");
        }
        byte[] b = ip.bytes();
        int off = ip.payloadOffset();
        if (ip.payloadLength() < 20) {
            throw new MalformedPacketException(Kind.TRUNCATED_TCP_HEADER,
                    "truncated TCP header (" + ip.payloadLength() + " bytes)");
        }
        int doff = ((b[off + 12] & 0xF0) >> 4) * 4;
        if (doff < 20) {
            throw new MalformedPacketException(Kind.DATA_OFFSET_BELOW_20, "TCP data offset " + doff + " below 20");
        }
        if (doff > ip.payloadLength()) {
            throw new MalformedPacketException(Kind.DATA_OFFSET_PAST_END,
                    "TCP data offset " + doff + " past the end of the segment");
        }
        return new Tcp(ip, Bytes.u16(b, off), Bytes.u16(b, off + 2), Bytes.u32(b, off + 4), Bytes.u32(b, off + 8),
                doff, b[off + 12] & 0x0F, b[off + 13] & 0xFF, Bytes.u16(b, off + 14), Bytes.u16(b, off + 16),
                Bytes.u16(b, off + 18));
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public int optionsOffset() {
        return ip.payloadOffset() + 20;
    }

    public int optionsLength() {
        return headerLength - 20;
    }

    public int dataOffset() {
        return ip.payloadOffset() + headerLength;
    }

    /** Data length as the IP header claims it (total length minus headers), which may exceed the capture. */
    public int claimedDataLength() {
        return ip.totalLength() - ip.headerLength() - headerLength;
    }
}
