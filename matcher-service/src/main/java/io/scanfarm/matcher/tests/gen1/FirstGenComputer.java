package io.scanfarm.matcher.tests.gen1;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.ProbeRecord;
import io.scanfarm.matcher.observation.Route;
import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.MalformedPacketException;
import io.scanfarm.matcher.packet.Tcp;
import io.scanfarm.matcher.packet.Udp;
import io.scanfarm.wire.AddressBlock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes Nmap 3.x-4.2x's first-generation fingerprint from an {@link Observation} of the NMAP1 probes
 * (TSEQ1-TSEQ6, T1-T7, PU), as osscan.cc get_fingerprint did from one try: TSeq from the sequence SYNs' replies,
 * T1-T7 from the first reply to each test, PU from the first port unreachable that quotes its ports. A test
 * whose probe was sent and got no answer prints Resp=N; a probe never sent (no open port: T1-T4 and the SYNs)
 * gives no line. Replies must come from the target to the probe's ports; anything else is ignored.
 */
public final class FirstGenComputer {

    private static final List<String> TCP_TESTS = List.of("T1", "T2", "T3", "T4", "T5", "T6", "T7");

    private final Observation obs;
    private final int target;
    private final Map<String, List<ProbeRecord>> probes = new HashMap<>();

    private FirstGenComputer(Observation obs) {
        this.obs = obs;
        this.target = (int) AddressBlock.address(obs.target(), obs.target());
        for (ProbeRecord p : obs.probes()) {
            probes.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(p);
        }
    }

    /** The fingerprint, its SInfo line naming {@code version} (V=). */
    public static FirstGenFingerprint compute(Observation obs, String version) {
        return new FirstGenComputer(obs).run(version);
    }

    private FirstGenFingerprint run(String version) {
        List<FpTest> tests = new ArrayList<>();
        TSeqAnalysis.Result seq = sequence();
        if (seq.attrs() != null) {
            tests.add(new FpTest("TSeq", seq.attrs()));
        }
        for (String name : TCP_TESTS) {
            if (probes.containsKey(name)) {
                tests.add(new FpTest(name, tcpTest(name)));
            }
        }
        if (probes.containsKey("PU")) {
            tests.add(new FpTest("PU", portUnreachable()));
        }
        return new FirstGenFingerprint(sInfo(version), tests, seq);
    }

    // ---- TSeq ----

    private TSeqAnalysis.Result sequence() {
        List<ProbeRecord> syns = new ArrayList<>();
        for (int i = 1; i <= 6 && probes.containsKey("TSEQ" + i); i++) {
            syns.add(probes.get("TSEQ" + i).get(0));
        }
        boolean localhost = obs.route() == Route.LOCALHOST;
        Tcp first = syns.isEmpty() ? null : sentTcp(syns.get(0));
        if (first == null) {
            return TSeqAnalysis.analyse(List.of(), TimestampClass.UNKNOWN, localhost);
        }
        long base = (first.seq() - 1) & 0xFFFF_FFFFL; // TSEQ i carries the sequence base + i
        long[] sendMicros = new long[syns.size()];
        List<SeqSlots.Reply> replies = new ArrayList<>();
        for (int i = 0; i < syns.size(); i++) {
            sendMicros[i] = syns.get(i).sentMicros();
            for (Reply r : tcpReplies(syns.get(i))) {
                replies.add(new SeqSlots.Reply(r.tcp, r.micros));
            }
        }
        replies.sort((a, b) -> Long.compare(a.capturedMicros(), b.capturedMicros()));
        SeqSlots.Result filed = SeqSlots.file(base, sendMicros, replies);
        return TSeqAnalysis.analyse(filed.samples(), filed.readClass(), localhost);
    }

    // ---- T1-T7 ----

    private List<Attr> tcpTest(String name) {
        Reply best = null;
        for (ProbeRecord p : probes.get(name)) {
            for (Reply r : tcpReplies(p)) {
                if (best == null || r.micros < best.micros) {
                    best = r;
                }
            }
        }
        return best == null ? noResponse() : TcpReplyLine.of(best.tcp, best.probeSeq);
    }

    private record Reply(Tcp tcp, long micros, long probeSeq) {
    }

    /** TCP packets from the target's probed port to the probe's source port, in capture order. */
    private List<Reply> tcpReplies(ProbeRecord p) {
        List<Reply> out = new ArrayList<>();
        Tcp sent = sentTcp(p);
        if (sent == null) {
            return out;
        }
        for (Capture c : p.responses()) {
            try {
                Ipv4 ip = Ipv4.parse(c.packet());
                if (ip.protocol() != Ipv4.TCP || ip.src() != target) {
                    continue;
                }
                Tcp t = Tcp.parse(ip);
                if (t.dstPort() == sent.srcPort() && t.srcPort() == sent.dstPort()) {
                    out.add(new Reply(t, c.micros(), sent.seq()));
                }
            } catch (MalformedPacketException e) {
                // a packet we cannot read answers nothing
            }
        }
        return out;
    }

    // ---- PU ----

    private List<Attr> portUnreachable() {
        List<Attr> best = null;
        long bestMicros = Long.MAX_VALUE;
        for (ProbeRecord p : probes.get("PU")) {
            Ipv4 sent = sentUdp(p);
            if (sent == null) {
                continue;
            }
            for (Capture c : p.responses()) {
                if (c.micros() >= bestMicros) {
                    continue;
                }
                try {
                    List<Attr> attrs = PortUnreachableLine.of(Ipv4.parse(c.packet()), target, sent);
                    if (attrs != null) {
                        best = attrs;
                        bestMicros = c.micros();
                    }
                } catch (MalformedPacketException e) {
                    // a packet we cannot read answers nothing
                }
            }
        }
        return best == null ? noResponse() : best;
    }

    // ---- SInfo ----

    /**
     * SInfo(V=version%P=platform%D=month/day%Tm=hex time%O=open port%C=closed port[%M=MAC prefix]), as Nmap 3.x-4.20
     * wrote it (osscan.cc WriteSInfo); -1 for a port it did not have, C only for a port seen closed.
     */
    private FpTest sInfo(String version) {
        long epoch = Math.max(0, Math.min(obs.startEpochSeconds(), 0xFFFF_FFFFL));
        ZonedDateTime when = Instant.ofEpochSecond(epoch).atZone(ZoneOffset.UTC);
        List<Attr> a = new ArrayList<>();
        a.add(new Attr("V", version));
        a.add(new Attr("P", "scanfarm"));
        a.add(new Attr("D", when.getMonthValue() + "/" + when.getDayOfMonth()));
        a.add(new Attr("Tm", Long.toHexString(epoch).toUpperCase()));
        a.add(new Attr("O", Integer.toString(obs.openTcpPort() > 0 ? obs.openTcpPort() : -1)));
        a.add(new Attr("C", Integer.toString(obs.closedTcpKnown() && obs.closedTcpPort() > 0 ? obs.closedTcpPort() : -1)));
        byte[] mac = obs.targetMac();
        if (mac != null && mac.length >= 3) {
            a.add(new Attr("M", String.format("%02X%02X%02X", mac[0] & 0xFF, mac[1] & 0xFF, mac[2] & 0xFF)));
        }
        return new FpTest("SInfo", a);
    }

    // ---- helpers ----

    private static List<Attr> noResponse() {
        return List.of(new Attr("Resp", "N"));
    }

    private static Tcp sentTcp(ProbeRecord p) {
        try {
            Ipv4 ip = Ipv4.parse(p.sent());
            return ip.protocol() == Ipv4.TCP ? Tcp.parse(ip) : null;
        } catch (MalformedPacketException e) {
            return null;
        }
    }

    private static Ipv4 sentUdp(ProbeRecord p) {
        try {
            Ipv4 ip = Ipv4.parse(p.sent());
            if (ip.protocol() != Ipv4.UDP) {
                return null;
            }
            Udp.parse(ip);
            return ip;
        } catch (MalformedPacketException e) {
            return null;
        }
    }
}
