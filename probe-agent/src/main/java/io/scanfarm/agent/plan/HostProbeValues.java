package io.scanfarm.agent.plan;

import io.scanfarm.agent.packet.PacketBuilder;
import io.scanfarm.agent.packet.PacketBuilder.IpFields;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The per-host values Nmap draws for one OS-detection try (osscan2.cc HostOsScan::reInitScanSystem and the probe
 * senders): sequence base, ack value, source-port bases, echo id and the UDP probe's TTL; and the turning of a
 * {@link ProbeSpec} into bytes with them. Fresh IP IDs and TTLs (37-59) are drawn per packet.
 */
public final class HostProbeValues {

    private final RandomGenerator random;
    public final int source;
    public final int target;
    public final long seqBase;
    public final long ackValue;
    public final int tcpPortBase;
    public final int udpPortBase;
    public final int echoId;
    public final int udpTtl;
    private int patternByte = -1;
    private int hostIpId = -1;

    public HostProbeValues(RandomGenerator random, int source, int target, long nowEpochSeconds) {
        this.random = random;
        this.source = source;
        this.target = target;
        this.seqBase = random.nextLong() & 0xFFFF_FFFFL;
        this.ackValue = random.nextLong() & 0xFFFF_FFFFL;
        int magic = 33000 + random.nextInt(31000);
        this.tcpPortBase = Math.min(magic + random.nextInt(256), 65535 - 20);
        this.udpPortBase = Math.min(magic + random.nextInt(256), 65535 - 1);
        this.echoId = random.nextInt(0xFFFF); // never 0xFFFF: IE2's id (+1) must not wrap to 0
        this.udpTtl = (int) (nowEpochSeconds % 14) + 51;
    }

    public int sourcePort(ProbeSpec p) {
        return (p.kind() == ProbeSpec.Kind.UDP ? udpPortBase : tcpPortBase) + p.srcPortOffset();
    }

    /** The probe's bytes, from the IP header on, for a destination port (ignored for ICMP). */
    public byte[] build(ProbeSpec p, int dstPort) {
        int ttl = p.udpTtl() ? udpTtl : 37 + random.nextInt(23);
        int id = p.fixedIpId() >= 0 ? p.fixedIpId() : p.fixedIpId() == ProbeSpec.HOST_IP_ID ? hostIpId() : random.nextInt(0x10000);
        IpFields ip = new IpFields(source, target, ttl, id, p.df(), p.tos());
        byte[] payload = new byte[p.payloadLength()];
        Arrays.fill(payload, (byte) (p.payloadByte() == ProbeSpec.HOST_PATTERN_BYTE ? patternByte() : p.payloadByte()));
        // tcpip.cc build_tcp_raw: a probe sent with window 0 goes out with 1024 times (its TTL mod 4, plus 1).
        int window = p.window() == ProbeSpec.WINDOW_FROM_TTL ? 1024 * (ttl % 4 + 1) : p.window();
        return switch (p.kind()) {
            case TCP -> PacketBuilder.tcp(ip, sourcePort(p), dstPort, (seqBase + p.seqOffset()) & 0xFFFF_FFFFL,
                    p.zeroAck() ? 0 : ackValue, p.flags(), window, p.reserved(), p.urgent(), p.options());
            case UDP -> PacketBuilder.udp(ip, sourcePort(p), dstPort, payload);
            case ICMP_ECHO -> PacketBuilder.icmpEcho(ip, p.icmpCode(), (echoId + p.icmpIdOffset()) & 0xFFFF, p.icmpSeq(), payload);
        };
    }

    /** osscan.cc send_closedudp_probe: one filler byte for every UDP probe, 65 plus a random number below 60. */
    private int patternByte() {
        if (patternByte < 0) {
            patternByte = 65 + random.nextInt(60);
        }
        return patternByte;
    }

    /** osscan.cc send_closedudp_probe: one random IP ID for every UDP probe, redrawn while 0. */
    private int hostIpId() {
        if (hostIpId < 0) {
            hostIpId = 1 + random.nextInt(0xFFFF);
        }
        return hostIpId;
    }
}
