package io.scanfarm.matcher.tests;

import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.ProbeRecord;
import io.scanfarm.matcher.observation.Route;
import io.scanfarm.matcher.packet.Icmp;
import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.MalformedPacketException;
import io.scanfarm.matcher.packet.PcapFile;
import io.scanfarm.matcher.packet.Tcp;
import io.scanfarm.matcher.packet.Udp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a capture of a real {@code nmap -O} run into an {@link Observation}: Nmap's OS probes are recognised by
 * their documented shapes (flags, windows, ICMP codes, the 300-byte UDP probe), answers are tied to them by
 * ports and echo ids. Lets the fingerprint computation be checked against Nmap's own output for the same packets.
 */
final class NmapCapture {

    private NmapCapture() {
    }

    static Observation toObservation(List<PcapFile.Frame> frames, String target, int openPort, int closedPort) throws MalformedPacketException {
        Map<String, ProbeRecord> probes = new LinkedHashMap<>();
        Map<String, List<Capture>> answers = new LinkedHashMap<>();
        Map<String, Ipv4> sent = new LinkedHashMap<>();
        byte[] targetMac = null;
        int closedUdp = -1;
        long start = frames.isEmpty() ? 0 : frames.get(0).micros();
        List<PcapFile.Frame> fromTarget = new ArrayList<>();
        for (PcapFile.Frame f : frames) {
            Ipv4 ip = Ipv4.parse(f.ip());
            if (ip.srcText().equals(target)) {
                targetMac = f.srcMac();
                fromTarget.add(f);
                continue;
            }
            if (!ip.dstText().equals(target)) {
                continue;
            }
            String id = classify(ip, openPort, closedPort);
            if (id == null || sent.containsKey(id)) {
                continue;
            }
            if (id.equals("U1")) {
                closedUdp = Udp.parse(ip).dstPort();
            }
            sent.put(id, ip);
            probes.put(id, new ProbeRecord(id, f.ip(), f.micros(), List.of()));
            answers.put(id, new ArrayList<>());
        }
        for (PcapFile.Frame f : fromTarget) {
            Ipv4 ip = Ipv4.parse(f.ip());
            for (Map.Entry<String, Ipv4> e : sent.entrySet()) {
                if (answers(ip, e.getValue())) {
                    answers.get(e.getKey()).add(new Capture(f.ip(), f.micros()));
                }
            }
        }
        List<ProbeRecord> out = new ArrayList<>();
        for (ProbeRecord p : probes.values()) {
            out.add(new ProbeRecord(p.id(), p.sent(), p.sentMicros(), answers.get(p.id())));
        }
        return new Observation(target, openPort, closedPort, true, closedUdp, Route.DIRECT, targetMac, start / 1_000_000, out);
    }

    /** Which OS probe a packet Nmap sent is, by the parameters Nmap documents for each; null for other traffic. */
    static String classify(Ipv4 ip, int openPort, int closedPort) throws MalformedPacketException {
        if (ip.protocol() == Ipv4.ICMP) {
            Icmp icmp = Icmp.parse(ip);
            if (icmp.type() != Icmp.ECHO_REQUEST) {
                return null;
            }
            return icmp.code() == 9 ? "IE1" : ip.tos() == 4 ? "IE2" : null;
        }
        if (ip.protocol() == Ipv4.UDP) {
            return Udp.parse(ip).length() == 308 ? "U1" : null;
        }
        Tcp t = Tcp.parse(ip);
        if (t.optionsLength() < 12) {
            return null; // the port scan's SYNs carry only an MSS option
        }
        int f = t.flags();
        int w = t.window();
        if (t.dstPort() == openPort) {
            if (f == (Tcp.SYN | Tcp.ECE | Tcp.CWR)) {
                return "ECN";
            }
            if (f == Tcp.SYN) {
                return switch (w) {
                    case 1 -> "SEQ1";
                    case 63 -> "SEQ2";
                    case 4 -> t.optionsLength() == 20 ? "SEQ3" : "SEQ4";
                    case 16 -> "SEQ5";
                    case 512 -> "SEQ6";
                    default -> null;
                };
            }
            if (f == 0 && w == 128) {
                return "T2";
            }
            if (f == (Tcp.SYN | Tcp.FIN | Tcp.URG | Tcp.PSH) && w == 256) {
                return "T3";
            }
            if (f == Tcp.ACK && w == 1024) {
                return "T4";
            }
        } else if (t.dstPort() == closedPort) {
            if (f == Tcp.SYN && w == 31337) {
                return "T5";
            }
            if (f == Tcp.ACK && w == 32768) {
                return "T6";
            }
            if (f == (Tcp.FIN | Tcp.PSH | Tcp.URG) && w == 65535) {
                return "T7";
            }
        }
        return null;
    }

    private static boolean answers(Ipv4 reply, Ipv4 probe) throws MalformedPacketException {
        if (probe.protocol() == Ipv4.TCP && reply.protocol() == Ipv4.TCP) {
            Tcp p = Tcp.parse(probe);
            Tcp r = Tcp.parse(reply);
            return r.dstPort() == p.srcPort() && r.srcPort() == p.dstPort();
        }
        if (probe.protocol() == Ipv4.ICMP && reply.protocol() == Ipv4.ICMP) {
            Icmp r = Icmp.parse(reply);
            return r.type() == Icmp.ECHO_REPLY && r.echoId() == Icmp.parse(probe).echoId();
        }
        if (probe.protocol() == Ipv4.UDP && reply.protocol() == Ipv4.ICMP) {
            Icmp r = Icmp.parse(reply);
            return r.type() == Icmp.DEST_UNREACHABLE;
        }
        return false;
    }
}
