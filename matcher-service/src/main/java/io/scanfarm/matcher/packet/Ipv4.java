package io.scanfarm.matcher.packet;

import io.scanfarm.matcher.packet.MalformedPacketException.Kind;

/**
 * A read-only view of an IPv4 packet (bytes from the IP header on). Lengths claimed by the header are checked
 * against the bytes present: the payload ends at the smaller of the total length and the capture.
 */
public record Ipv4(byte[] bytes, int headerLength, int tos, int totalLength, int id, boolean df, boolean mf,
                   int fragmentOffset, int ttl, int protocol, int checksum, int src, int dst) {

    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;

    public static Ipv4 parse(byte[] b) throws MalformedPacketException {
        return parse(b, true);
    }

    /**
     * The IP header an ICMP error quotes. Its total length is not checked: stacks that mangle it are exactly
     * what the U1 test's RIPL looks for.
     */
    public static Ipv4 parseQuoted(byte[] b) throws MalformedPacketException {
        return parse(b, false);
    }

    private static Ipv4 parse(byte[] b, boolean checkTotal) throws MalformedPacketException {
        if (b == null || b.length < 20) {
            throw new MalformedPacketException(Kind.TRUNCATED_IP_HEADER, "truncated IPv4 header");
        }
        if ((b[0] & 0xF0) != 0x40) {
            throw new MalformedPacketException(Kind.NOT_IPV4, "not IPv4 (version " + ((b[0] & 0xF0) >> 4) + ")");
        }
        int ihl = (b[0] & 0x0F) * 4;
        if (ihl < 20) {
            throw new MalformedPacketException(Kind.IHL_BELOW_20, "IPv4 header length " + ihl + " below 20");
        }
        if (ihl > b.length) {
            throw new MalformedPacketException(Kind.IHL_PAST_END,
                    "IPv4 header length " + ihl + " past the end of " + b.length + " bytes");
        }
        int total = Bytes.u16(b, 2);
        if (checkTotal && total < ihl) {
            throw new MalformedPacketException(Kind.TOTAL_LENGTH_BELOW_HEADER,
                    "IPv4 total length " + total + " shorter than its header");
        }
        int flagsFrag = Bytes.u16(b, 6);
        return new Ipv4(b, ihl, b[1] & 0xFF, total, Bytes.u16(b, 4), (flagsFrag & 0x4000) != 0,
                (flagsFrag & 0x2000) != 0, flagsFrag & 0x1FFF, b[8] & 0xFF, b[9] & 0xFF, Bytes.u16(b, 10),
                Bytes.s32(b, 12), Bytes.s32(b, 16));
    }

    /** Where the payload starts. */
    public int payloadOffset() {
        return headerLength;
    }

    /** Where the payload ends: the total length, or the end of the capture if that comes first. */
    public int payloadEnd() {
        return Math.min(totalLength, bytes.length);
    }

    public int payloadLength() {
        return payloadEnd() - headerLength;
    }

    public String srcText() {
        return Bytes.ipv4Text(src);
    }

    public String dstText() {
        return Bytes.ipv4Text(dst);
    }
}
