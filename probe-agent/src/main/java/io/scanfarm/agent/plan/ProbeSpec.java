package io.scanfarm.agent.plan;

/**
 * One probe of a plan, as data: what to send and where. Per-host random values (sequence base, ack value,
 * source-port base, echo id, IP IDs, TTLs) are drawn by the scheduler; the spec only says how each is used.
 *
 * @param id            the probe's name in observations (SEQ1, IE1, T5, U1, ...)
 * @param phase         SEQ probes go one at a time, a SEQ spacing apart, and are never resent; FOLLOW probes go
 *                      together at the follow spacing and are resent while unanswered. The plan says which
 *                      phase goes first.
 * @param kind          TCP, ICMP echo or UDP
 * @param port          which of the host's ports it goes to
 * @param srcPortOffset added to the host's source-port base
 * @param flags         TCP flags
 * @param window        TCP window, or {@link #WINDOW_FROM_TTL}
 * @param options       TCP option bytes, exactly as sent
 * @param reserved      the TCP reserved nibble (low 4 bits of header byte 12)
 * @param urgent        TCP urgent pointer
 * @param seqOffset     added to the host's sequence base
 * @param zeroAck       send an acknowledgement field of 0 instead of the host's ack value
 * @param df            IP don't-fragment bit
 * @param tos           IP type of service
 * @param icmpCode      echo request code
 * @param icmpSeq       echo sequence number
 * @param icmpIdOffset  added to the host's echo id
 * @param payloadLength payload bytes (ICMP data or UDP payload)
 * @param payloadByte   the value of every payload byte, or {@link #HOST_PATTERN_BYTE}
 * @param fixedIpId     IP ID to use, -1 for a fresh random one, or {@link #HOST_IP_ID}
 * @param udpTtl        use the host's fixed UDP TTL instead of a fresh random TTL
 * @param onlyIfUnanswered send this probe only when the probe with this id got no answer (null: always)
 */
public record ProbeSpec(String id, Phase phase, Kind kind, PortRole port, int srcPortOffset, int flags, int window,
                        byte[] options, int reserved, int urgent, int seqOffset, boolean zeroAck, boolean df, int tos,
                        int icmpCode, int icmpSeq, int icmpIdOffset, int payloadLength, int payloadByte,
                        int fixedIpId, boolean udpTtl, String onlyIfUnanswered) {

    /** The window Nmap's send_tcp_raw gives a probe sent with window 0: 1024 * (TTL % 4 + 1), from that packet's TTL. */
    public static final int WINDOW_FROM_TTL = -1;
    /** One payload byte drawn per host in 65-124 (first-generation send_closedudp_probe draws it once, 'A' to '|'). */
    public static final int HOST_PATTERN_BYTE = -1;
    /** One non-zero IP ID drawn per host (first-generation send_closedudp_probe keeps one, never 0). */
    public static final int HOST_IP_ID = -2;

    public enum Phase { SEQ, FOLLOW }

    public enum Kind { TCP, ICMP_ECHO, UDP }

    public enum PortRole { OPEN_TCP, CLOSED_TCP, CLOSED_UDP, NONE }
}
