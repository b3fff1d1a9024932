package io.scanfarm.matcher.packet;

import java.util.Locale;

/** A captured packet that cannot be read as what it claims to be; the kind classifies why, the message adds the numbers. */
public final class MalformedPacketException extends Exception {

    /** What is wrong with a packet, in classes stable enough to count. */
    public enum Kind {
        TRUNCATED_IP_HEADER, NOT_IPV4, IHL_BELOW_20, IHL_PAST_END, TOTAL_LENGTH_BELOW_HEADER,
        /** Not the protocol it was read as (a TCP view of an ICMP packet): not malformed in itself. */
        OTHER_PROTOCOL,
        TRUNCATED_TCP_HEADER, DATA_OFFSET_BELOW_20, DATA_OFFSET_PAST_END, TRUNCATED_UDP_HEADER, TRUNCATED_ICMP_HEADER,
        /** An ICMP error quoting less than an IP header and 8 bytes. */
        SHORT_ICMP_QUOTE,
        /** The capture file around the packets (pcap). */
        CAPTURE_FILE;

        /** The name a count is kept under: {@code ihl_past_end}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;

    public MalformedPacketException(Kind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
