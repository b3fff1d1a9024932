package io.scanfarm.matcher.tests;

import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.ProbeRecord;
import io.scanfarm.matcher.packet.Icmp;
import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.MalformedPacketException;
import io.scanfarm.matcher.packet.Tcp;
import io.scanfarm.matcher.packet.Udp;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The responses of an observation that cannot be read as what they claim to be, counted by what is wrong with
 * them: their IPv4 header, the TCP, UDP or ICMP header their protocol field announces, or the header a port
 * unreachable quotes ({@code quoted_} names). The fingerprint never uses them; the verdict carries the counts,
 * so a hostile or broken answer is seen rather than silently lost. A packet of another protocol is not malformed.
 */
public final class MalformedResponses {

    private MalformedResponses() {
    }

    /** Each kind of malformed response and how many of the observation's captures are of it. */
    public static SortedMap<String, Integer> count(Observation obs) {
        SortedMap<String, Integer> out = new TreeMap<>();
        for (ProbeRecord p : obs.probes()) {
            for (Capture c : p.responses()) {
                String kind = kind(c.packet());
                if (kind != null) {
                    out.merge(kind, 1, Integer::sum);
                }
            }
        }
        return out;
    }

    /** What is wrong with one captured packet as the fingerprint tests read it, or null when nothing is. */
    public static String kind(byte[] packet) {
        Ipv4 ip;
        try {
            ip = Ipv4.parse(packet);
        } catch (MalformedPacketException e) {
            return e.kind().label();
        }
        try {
            switch (ip.protocol()) {
                case Ipv4.TCP -> Tcp.parse(ip);
                case Ipv4.UDP -> Udp.parse(ip);
                case Ipv4.ICMP -> {
                    Icmp icmp = Icmp.parse(ip);
                    if (icmp.type() == Icmp.DEST_UNREACHABLE) {
                        return quoteKind(icmp);
                    }
                }
                default -> {
                    return null;
                }
            }
        } catch (MalformedPacketException e) {
            return e.kind().label();
        }
        return null;
    }

    private static String quoteKind(Icmp icmp) {
        try {
            FingerprintComputer.quotedIp(icmp);
            return null;
        } catch (MalformedPacketException e) {
            return e.kind() == MalformedPacketException.Kind.SHORT_ICMP_QUOTE ? e.kind().label() : "quoted_" + e.kind().label();
        }
    }
}
