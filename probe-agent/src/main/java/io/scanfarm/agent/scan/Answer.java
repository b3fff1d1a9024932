package io.scanfarm.agent.scan;

import io.scanfarm.matcher.packet.Bytes;
import io.scanfarm.matcher.packet.Icmp;
import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.MalformedPacketException;
import io.scanfarm.matcher.packet.Tcp;

/**
 * What a captured packet may answer, read from its headers alone: a TCP segment from an address to one of our
 * ports, an ICMP echo reply from an address with its id, or an ICMP port unreachable from the address our UDP
 * probe went to, quoting our source port. The capture loop looks the key up among the hosts in flight; any
 * other packet, malformed ones included, answers nothing ({@link #of} gives null and never throws on content).
 *
 * @param address  the probed address the packet is about
 * @param protocol the protocol of the probe it answers (TCP, ICMP for echo, UDP for U1)
 * @param port     our port it answers (TCP destination, echo id, quoted UDP source port)
 * @param tcp      the TCP view for a TCP answer, else null
 */
record Answer(int address, int protocol, int port, Tcp tcp) {

    static Answer of(byte[] packet) {
        try {
            Ipv4 ip = Ipv4.parse(packet);
            if (ip.protocol() == Ipv4.TCP) {
                Tcp t = Tcp.parse(ip);
                return new Answer(ip.src(), Ipv4.TCP, t.dstPort(), t);
            }
            if (ip.protocol() != Ipv4.ICMP) {
                return null;
            }
            Icmp icmp = Icmp.parse(ip);
            if (icmp.type() == Icmp.ECHO_REPLY) {
                return new Answer(ip.src(), Ipv4.ICMP, icmp.echoId(), null);
            }
            if (icmp.type() != Icmp.DEST_UNREACHABLE) {
                return null;
            }
            byte[] q = icmp.body();
            if (q.length < 28) {
                return null;
            }
            Ipv4 quoted = Ipv4.parseQuoted(q);
            // Only the probed host's own port unreachable counts, not a router's about it.
            if (quoted.protocol() != Ipv4.UDP || q.length < quoted.headerLength() + 8 || ip.src() != quoted.dst()) {
                return null;
            }
            return new Answer(quoted.dst(), Ipv4.UDP, Bytes.u16(q, quoted.headerLength()), null);
        } catch (MalformedPacketException e) {
            return null; // not ours to judge: a packet we cannot read answers nothing
        }
    }

    /** The lookup key of a probe: the address probed, the protocol and our port (or echo id). */
    static long key(int address, int protocol, int port) {
        return ((address & 0xFFFF_FFFFL) << 24) | ((long) protocol << 16) | (port & 0xFFFF);
    }

    long key() {
        return key(address, protocol, port);
    }
}
