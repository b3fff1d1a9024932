package io.scanfarm.matcher.tests;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.ProbeRecord;
import io.scanfarm.matcher.observation.Route;
import io.scanfarm.matcher.observation.UnusableObservationException;
import io.scanfarm.matcher.packet.Bytes;
import io.scanfarm.matcher.packet.Icmp;
import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.MalformedPacketException;
import io.scanfarm.matcher.packet.Tcp;
import io.scanfarm.matcher.packet.Udp;
import io.scanfarm.matcher.report.SubmissionReason;
import io.scanfarm.matcher.subject.ScanInfo;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import io.scanfarm.wire.AddressBlock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Computes Nmap 7.93's second-generation fingerprint (SEQ, OPS, WIN, ECN, T1-T7, U1, IE and the SCAN line)
 * from an {@link Observation}'s raw probes and responses (osscan2.cc: processResp, makeTSeqFP, makeTWinFP,
 * makeTOpsFP, makeFP). Responses are checked against the probe they answer (source address, ports, echo id,
 * quoted ports); anything else is ignored, never trusted.
 */
public final class FingerprintComputer {

    /** Tests Nmap looks at for a TTL, in the order it derives the distance guess from them. */
    private static final List<String> TTL_ORDER = List.of("ECN", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "U1", "IE");

    private final Observation obs;
    private final int target;
    private final Map<String, List<ProbeRecord>> probes = new HashMap<>();
    private final Map<String, Integer> rawTtl = new HashMap<>();
    private final Map<String, List<Reply<Tcp>>> tcpReplies = new HashMap<>();

    private FingerprintComputer(Observation obs) {
        this.obs = obs;
        this.target = parseAddress(obs.target());
        for (ProbeRecord p : obs.probes()) {
            probes.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(p);
        }
    }

    public static ComputedFingerprint compute(Observation obs, String version) {
        return new FingerprintComputer(obs).run(version);
    }

    private ComputedFingerprint run(String version) {
        Map<String, List<Attr>> tests = new LinkedHashMap<>();
        for (String name : List.of("SEQ", "OPS", "WIN", "ECN", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "U1", "IE")) {
            tests.put(name, null);
        }

        // SEQ replies: SYN+ACK only, not RST, and not a repeat of the previous reply's IP ID.
        List<SeqSample> seq = new ArrayList<>();
        Tcp[] opsReplies = new Tcp[6];
        List<Reply<Tcp>> seqReplies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            for (Reply<Tcp> r : tcpReplies("SEQ" + (i + 1))) {
                seqReplies.add(new Reply<>(r.probe, r.packet, r.micros, i));
            }
        }
        seqReplies.sort((a, b) -> Long.compare(a.micros, b.micros));
        boolean[] filled = new boolean[6];
        int lastIpId = 0;
        for (Reply<Tcp> r : seqReplies) {
            Tcp t = r.packet;
            if (opsReplies[r.slot] == null) {
                opsReplies[r.slot] = t;
            }
            // As processTSeqResp: a repeat of the previous reply's non-zero IP ID is a duplicate; the ID is noted
            // for every reply, before the RST, SYN/ACK and filled-slot checks.
            if (lastIpId != 0 && t.ip().id() == lastIpId) {
                continue;
            }
            lastIpId = t.ip().id();
            if (filled[r.slot] || t.has(Tcp.RST) || !(t.has(Tcp.SYN) && t.has(Tcp.ACK))) {
                continue;
            }
            filled[r.slot] = true;
            seq.add(new SeqSample(r.slot, r.probe.sentMicros(), r.micros, t.seq(), t.ip().id(), OptionString.timestamp(t)));
        }
        for (int i = 0; i < 6; i++) {
            if (opsReplies[i] == null) {
                Reply<Tcp> r = first(tcpReplies("OPS" + (i + 1)));
                opsReplies[i] = r == null ? null : r.packet;
            }
        }

        SeqAnalysis.Result sa = SeqAnalysis.analyse(seq);
        double timingRatio = timingRatio(seq);
        boolean localhost = obs.route() == Route.LOCALHOST;
        List<Integer> tcpIds = new ArrayList<>();
        seq.stream().sorted((a, b) -> Integer.compare(a.slot(), b.slot())).forEach(s -> tcpIds.add(s.ipId()));
        List<Integer> closedIds = new ArrayList<>();
        for (String t : List.of("T5", "T6", "T7")) {
            Reply<Tcp> r = first(tcpReplies(t));
            if (r != null) {
                closedIds.add(r.packet.ip().id());
            }
        }
        Reply<Icmp> ie1 = echoReply("IE1");
        Reply<Icmp> ie2 = echoReply("IE2");
        List<Integer> icmpIds = new ArrayList<>();
        for (String id : List.of("IE1", "IE2")) {
            Reply<Icmp> r = id.equals("IE1") ? ie1 : ie2;
            if (r != null && probes.get(id).size() == 1) {
                icmpIds.add(r.packet.ip().id()); // Nmap keeps the ID only when the probe was not retransmitted
            }
        }
        IpIdClass ti = tcpIds.size() >= 3 ? IpIdClass.of(tcpIds, localhost) : IpIdClass.UNKNOWN;
        IpIdClass ci = closedIds.size() >= 2 ? IpIdClass.of(closedIds, localhost) : IpIdClass.UNKNOWN;
        IpIdClass ii = icmpIds.size() >= 2 ? IpIdClass.of(icmpIds, localhost) : IpIdClass.UNKNOWN;
        List<Attr> seqLine = new ArrayList<>();
        add(seqLine, "SP", sa.sp());
        add(seqLine, "GCD", sa.gcd());
        add(seqLine, "ISR", sa.isr());
        add(seqLine, "TI", ti.printed(tcpIds));
        add(seqLine, "CI", ci.printed(closedIds));
        add(seqLine, "II", ii.printed(icmpIds));
        if (ti.countsForSharedSequence() && ii.countsForSharedSequence()) {
            long last = tcpIds.get(tcpIds.size() - 1) & 0xFFFF_FFFFL;
            long avg = ((last - tcpIds.get(0)) & 0xFFFF_FFFFL) / (tcpIds.size() - 1);
            long bound = (last + 3 * avg) & 0xFFFF_FFFFL;
            seqLine.add(new Attr("SS", Long.compareUnsigned(icmpIds.get(0), bound) < 0 ? "S" : "O"));
        }
        add(seqLine, "TS", sa.ts());
        if (!seqLine.isEmpty()) {
            tests.put("SEQ", seqLine);
        }

        boolean allOps = true;
        for (Tcp t : opsReplies) {
            allOps &= t != null;
        }
        if (allOps) {
            List<Attr> ops = new ArrayList<>();
            List<Attr> win = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ops.add(new Attr("O" + (i + 1), OptionString.of(opsReplies[i])));
                win.add(new Attr("W" + (i + 1), hex(opsReplies[i].window())));
            }
            tests.put("OPS", ops);
            tests.put("WIN", win);
        }

        boolean openProbed = probes.containsKey("SEQ1") || probes.containsKey("ECN") || probes.containsKey("T2");
        tests.put("ECN", ecn(openProbed));
        // T1 is the first answer to SEQ1 or, when SEQ1 went unanswered, to the T1 probe: whichever came first.
        Reply<Tcp> t1 = earliest(first(tcpReplies("SEQ1")), first(tcpReplies("T1")));
        if (t1 != null || probes.containsKey("SEQ1") || probes.containsKey("T1")) {
            tests.put("T1", t1 == null ? noReply() : tcpTest("T1", t1, false));
        }
        for (int i = 2; i <= 7; i++) {
            String name = "T" + i;
            Reply<Tcp> r = first(tcpReplies(name));
            boolean sent = probes.containsKey(name);
            boolean closedSide = i >= 5;
            if (r != null) {
                tests.put(name, tcpTest(name, r, true));
            } else if (sent && (!closedSide || obs.closedTcpKnown())) {
                tests.put(name, noReply()); // an unanswered probe to a guessed closed port is left out
            }
        }

        int udpDistance = -1;
        U1Reply u1 = portUnreachable();
        if (u1 != null) {
            tests.put("U1", u1Test(u1));
            udpDistance = sentTtl(u1.probe) - u1.quoted.ttl() + 1;
        } else if (probes.containsKey("U1")) {
            tests.put("U1", noReply());
        }
        if (ie1 != null && ie2 != null) {
            tests.put("IE", ieTest(ie1, ie2));
        } else if (probes.containsKey("IE1") || probes.containsKey("IE2")) {
            tests.put("IE", noReply());
        }

        // T while U1 gave the hop distance, else TG: the guessed initial TTL (osscan2.cc makeFP).
        for (String name : TTL_ORDER) {
            List<Attr> line = tests.get(name);
            Integer ttl = rawTtl.get(name);
            if (line == null || ttl == null) {
                continue;
            }
            for (int k = 0; k < line.size(); k++) {
                if (line.get(k).name().equals("T")) {
                    // Nmap prints the T value through a 16-bit format: a negative distance wraps there.
                    line.set(k, udpDistance != -1 ? new Attr("T", hex((ttl + udpDistance - 1) & 0xFFFF))
                            : new Attr("TG", hex(initialTtlGuess(ttl))));
                }
            }
        }

        int distance;
        String method;
        switch (obs.route() == null ? Route.ROUTED : obs.route()) {
            case LOCALHOST -> {
                distance = 0;
                method = "L";
            }
            case DIRECT -> {
                distance = 1;
                method = "D";
            }
            default -> {
                distance = udpDistance;
                method = udpDistance == -1 ? null : "I";
            }
        }
        int closedUdp = u1 != null ? obs.closedUdpPort() : -1;
        String reason = notIdealBecause(distance, timingRatio, closedUdp);

        List<FpTest> out = new ArrayList<>();
        for (Map.Entry<String, List<Attr>> e : tests.entrySet()) {
            if (e.getValue() != null) {
                out.add(new FpTest(e.getKey(), e.getValue()));
            }
        }
        FpTest scan = scanLine(version, distance, method, reason == null, closedUdp);
        SideResults side = new SideResults(distance, method, ti, sa.index(), sa.lastBootSeconds(), sa.responses(), reason,
                MalformedResponses.count(obs));
        return new ComputedFingerprint(new SubjectFingerprint(new ScanInfo(scan), out), side);
    }

    /**
     * Nmap's timing ratio (osscan2.cc HostOsScan::timingRatio): milliseconds from the first good SEQ sample's
     * send time (SEQ1's when none) to SEQ6's, in whole milliseconds, over the ideal 500; 0 without SEQ6.
     */
    private double timingRatio(List<SeqSample> accepted) {
        List<ProbeRecord> seq6 = probes.get("SEQ6");
        if (seq6 == null) {
            return 0;
        }
        long first = -1;
        int firstSlot = Integer.MAX_VALUE;
        for (SeqSample s : accepted) {
            if (s.isn() != 0 && s.slot() < firstSlot) {
                firstSlot = s.slot();
                first = s.sentMicros();
            }
        }
        if (first < 0) {
            List<ProbeRecord> seq1 = probes.get("SEQ1");
            if (seq1 == null) {
                return 0;
            }
            first = seq1.get(0).sentMicros();
        }
        long last = seq6.get(0).sentMicros();
        long ms = (last / 1_000_000 - first / 1_000_000) * 1000 + (last % 1_000_000 - first % 1_000_000) / 1000;
        return ms / 500.0;
    }


    private List<Attr> ecn(boolean openProbed) {
        Reply<Tcp> r = first(tcpReplies("ECN"));
        if (r == null) {
            return probes.containsKey("ECN") && openProbed ? noReply() : null;
        }
        Tcp t = r.packet;
        List<Attr> line = new ArrayList<>();
        line.add(new Attr("R", "Y"));
        line.add(new Attr("DF", t.ip().df() ? "Y" : "N"));
        line.add(new Attr("T", ""));
        rawTtl.put("ECN", t.ip().ttl());
        line.add(new Attr("W", hex(t.window())));
        line.add(new Attr("O", OptionString.of(t)));
        boolean ece = t.has(Tcp.ECE);
        boolean cwr = t.has(Tcp.CWR);
        line.add(new Attr("CC", ece && cwr ? "S" : ece ? "Y" : cwr ? "O" : "N"));
        line.add(new Attr("Q", quirks(t)));
        return line;
    }

    private List<Attr> tcpTest(String name, Reply<Tcp> reply, boolean withWindowAndOptions) {
        Tcp t = reply.packet;
        Tcp probe = sentTcp(reply.probe);
        List<Attr> line = new ArrayList<>();
        line.add(new Attr("R", "Y"));
        line.add(new Attr("DF", t.ip().df() ? "Y" : "N"));
        line.add(new Attr("T", ""));
        rawTtl.put(name, t.ip().ttl());
        if (withWindowAndOptions) {
            line.add(new Attr("W", hex(t.window())));
        }
        long probeAck = probe == null ? -1 : probe.ack();
        long probeSeq = probe == null ? -1 : probe.seq();
        String s = t.seq() == 0 ? "Z" : t.seq() == probeAck ? "A" : t.seq() == ((probeAck + 1) & 0xFFFF_FFFFL) ? "A+" : "O";
        String a = t.ack() == 0 ? "Z" : t.ack() == probeSeq ? "S" : t.ack() == ((probeSeq + 1) & 0xFFFF_FFFFL) ? "S+" : "O";
        line.add(new Attr("S", s));
        line.add(new Attr("A", a));
        line.add(new Attr("F", flagLetters(t)));
        if (withWindowAndOptions) {
            line.add(new Attr("O", OptionString.of(t)));
        }
        line.add(new Attr("RD", resetData(t)));
        line.add(new Attr("Q", quirks(t)));
        return line;
    }

    private List<Attr> u1Test(U1Reply reply) {
        Icmp icmp = reply.packet;
        Ipv4 outer = icmp.ip();
        Ipv4 quoted = reply.quoted;
        Ipv4 sentIp = parseSent(reply.probe);
        Udp sentUdp = sentIp == null ? null : udpOrNull(sentIp);
        byte[] q = quoted.bytes();
        List<Attr> line = new ArrayList<>();
        line.add(new Attr("R", "Y"));
        line.add(new Attr("DF", outer.df() ? "Y" : "N"));
        line.add(new Attr("T", ""));
        rawTtl.put("U1", outer.ttl());
        line.add(new Attr("IPL", hex(outer.totalLength())));
        line.add(new Attr("UN", hex((int) (icmp.rest() & 0xFFFF)))); // 7.93 prints the unused field through a 16-bit format
        line.add(new Attr("RIPL", sentIp != null && quoted.totalLength() == sentIp.totalLength() ? "G" : hex(quoted.totalLength())));
        line.add(new Attr("RID", sentIp != null && quoted.id() == sentIp.id() ? "G" : hex(quoted.id())));
        String ripck;
        if (quoted.checksum() == 0) {
            ripck = "Z";
        } else {
            byte[] header = java.util.Arrays.copyOf(q, 20);
            header[10] = 0;
            header[11] = 0;
            ripck = Bytes.internetChecksum(header, 0, 20, 0) == quoted.checksum() ? "G" : "I";
        }
        line.add(new Attr("RIPCK", ripck));
        int quotedUdpOff = quoted.headerLength();
        int quotedUdpChecksum = Bytes.u16(q, quotedUdpOff + 6);
        line.add(new Attr("RUCK", sentUdp != null && quotedUdpChecksum == sentUdp.checksum() ? "G" : hex(quotedUdpChecksum)));
        line.add(new Attr("RUD", returnedDataIntact(icmp, quoted, sentIp) ? "G" : "I"));
        return line;
    }

    /** Every quoted UDP payload byte up to the end of the outer packet must be the probe's filler byte. */
    private boolean returnedDataIntact(Icmp icmp, Ipv4 quoted, Ipv4 sentIp) {
        if (sentIp == null) {
            return false;
        }
        int fillerAt = sentIp.headerLength() + 8;
        byte filler = fillerAt < sentIp.bytes().length ? sentIp.bytes()[fillerAt] : 0;
        byte[] outer = icmp.ip().bytes();
        int start = icmp.ip().payloadOffset() + 8 + quoted.headerLength() + 8;
        int end = Math.min(icmp.ip().totalLength(), outer.length);
        for (int i = start; i < end; i++) {
            if (outer[i] != filler) {
                return false;
            }
        }
        return true;
    }

    private List<Attr> ieTest(Reply<Icmp> r1, Reply<Icmp> r2) {
        List<Attr> line = new ArrayList<>();
        line.add(new Attr("R", "Y"));
        boolean df1 = r1.packet.ip().df();
        boolean df2 = r2.packet.ip().df();
        line.add(new Attr("DFI", df1 && df2 ? "Y" : df1 ? "S" : !df2 ? "N" : "O"));
        line.add(new Attr("T", ""));
        rawTtl.put("IE", r1.packet.ip().ttl());
        int c1 = r1.packet.code();
        int c2 = r2.packet.code();
        String cd = c1 == c2 ? (c1 == 0 ? "Z" : hex(c1)) : (c1 == 9 && c2 == 0 ? "S" : "O");
        line.add(new Attr("CD", cd));
        return line;
    }

    private String notIdealBecause(int distance, double timingRatio, int closedUdp) {
        return SubmissionReason.of(obs.openTcpPort(), obs.closedTcpKnown() ? obs.closedTcpPort() : -1, distance,
                timingRatio, closedUdp);
    }

    private FpTest scanLine(String version, int distance, String method, boolean good, int closedUdp) {
        long epoch = Math.max(0, Math.min(obs.startEpochSeconds(), 253_402_300_799L)); // years 1970-9999
        ZonedDateTime when = Instant.ofEpochSecond(epoch).atZone(ZoneOffset.UTC);
        List<Attr> a = new ArrayList<>();
        a.add(new Attr("V", version));
        a.add(new Attr("E", "4"));
        a.add(new Attr("D", when.getMonthValue() + "/" + when.getDayOfMonth()));
        a.add(new Attr("OT", obs.openTcpPort() > 0 ? Integer.toString(obs.openTcpPort()) : ""));
        a.add(new Attr("CT", obs.closedTcpKnown() && obs.closedTcpPort() > 0 ? Integer.toString(obs.closedTcpPort()) : ""));
        a.add(new Attr("CU", closedUdp > 0 ? Integer.toString(closedUdp) : ""));
        a.add(new Attr("PV", isPrivate(target) ? "Y" : "N"));
        if (distance != -1) {
            a.add(new Attr("DS", Integer.toString(distance)));
        }
        if (method != null) {
            a.add(new Attr("DC", method));
        }
        a.add(new Attr("G", good ? "Y" : "N"));
        byte[] mac = obs.targetMac();
        if (mac != null && mac.length >= 3) {
            a.add(new Attr("M", String.format("%02X%02X%02X", mac[0] & 0xFF, mac[1] & 0xFF, mac[2] & 0xFF)));
        }
        a.add(new Attr("TM", Long.toHexString(epoch).toUpperCase()));
        a.add(new Attr("P", "scanfarm"));
        return new FpTest("SCAN", a);
    }

    // ---- responses tied to probes ----

    private record Reply<P>(ProbeRecord probe, P packet, long micros, int slot) {
    }

    private record U1Reply(ProbeRecord probe, Icmp packet, Ipv4 quoted, long micros) {
    }

    private static <P> Reply<P> earliest(Reply<P> a, Reply<P> b) {
        return a == null ? b : b == null ? a : b.micros < a.micros ? b : a;
    }

    private static <P> Reply<P> first(List<Reply<P>> replies) {
        return replies.isEmpty() ? null : replies.get(0);
    }

    /** TCP replies from the target to a probe's ports, earliest first, over all transmissions (read once per probe). */
    private List<Reply<Tcp>> tcpReplies(String id) {
        return tcpReplies.computeIfAbsent(id, this::readTcpReplies);
    }

    private List<Reply<Tcp>> readTcpReplies(String id) {
        List<Reply<Tcp>> out = new ArrayList<>();
        for (ProbeRecord p : probes.getOrDefault(id, List.of())) {
            Tcp sent = sentTcp(p);
            if (sent == null) {
                continue;
            }
            for (Capture c : p.responses()) {
                try {
                    Ipv4 ip = Ipv4.parse(c.packet());
                    Tcp t = Tcp.parse(ip);
                    if (ip.src() == target && t.dstPort() == sent.srcPort() && t.srcPort() == sent.dstPort()) {
                        out.add(new Reply<>(p, t, c.micros(), 0));
                        continue;
                    }
                } catch (MalformedPacketException e) {
                    // a packet we cannot read answers nothing
                }
            }
        }
        out.sort((a, b) -> Long.compare(a.micros, b.micros));
        return out;
    }

    private Reply<Icmp> echoReply(String id) {
        Reply<Icmp> best = null;
        for (ProbeRecord p : probes.getOrDefault(id, List.of())) {
            Ipv4 sentIp = parseSent(p);
            Icmp sent = null;
            try {
                sent = sentIp == null ? null : Icmp.parse(sentIp);
            } catch (MalformedPacketException e) {
                // not an echo probe
            }
            if (sent == null) {
                continue;
            }
            for (Capture c : p.responses()) {
                try {
                    Icmp icmp = Icmp.parse(Ipv4.parse(c.packet()));
                    if (icmp.ip().src() == target && icmp.type() == Icmp.ECHO_REPLY && icmp.echoId() == sent.echoId()) {
                        if (best == null || c.micros() < best.micros) {
                            best = new Reply<>(p, icmp, c.micros(), 0);
                        }
                        continue;
                    }
                } catch (MalformedPacketException e) {
                    // a packet we cannot read answers nothing
                }
            }
        }
        return best;
    }

    /** The first ICMP port unreachable quoting U1's ports, with the lengths Nmap insists on. */
    private U1Reply portUnreachable() {
        U1Reply best = null;
        for (ProbeRecord p : probes.getOrDefault("U1", List.of())) {
            Ipv4 sentIp = parseSent(p);
            Udp sent = sentIp == null ? null : udpOrNull(sentIp);
            if (sent == null) {
                continue;
            }
            for (Capture c : p.responses()) {
                try {
                    Icmp icmp = Icmp.parse(Ipv4.parse(c.packet()));
                    if (icmp.ip().src() == target && icmp.type() == Icmp.DEST_UNREACHABLE && icmp.code() == Icmp.PORT_UNREACHABLE) {
                        Ipv4 quoted = quotedIp(icmp);
                        byte[] q = quoted.bytes();
                        int udpOff = quoted.headerLength();
                        if (q.length >= udpOff + 8 && Bytes.u16(q, udpOff) == sent.srcPort()
                                && Bytes.u16(q, udpOff + 2) == sent.dstPort()) {
                            if (best == null || c.micros() < best.micros) {
                                best = new U1Reply(p, icmp, quoted, c.micros());
                            }
                            continue;
                        }
                    }
                } catch (MalformedPacketException e) {
                    // a packet we cannot read answers nothing
                }
            }
        }
        return best;
    }

    /** The IP packet an ICMP error quotes; at least 28 bytes, and 8 beyond its own header, or malformed. */
    static Ipv4 quotedIp(Icmp icmp) throws MalformedPacketException {
        byte[] body = icmp.body();
        if (body.length < 28) {
            throw new MalformedPacketException(MalformedPacketException.Kind.SHORT_ICMP_QUOTE,
                    "ICMP error quotes fewer than 28 bytes");
        }
        Ipv4 q = Ipv4.parseQuoted(body);
        if (body.length < q.headerLength() + 8) {
            throw new MalformedPacketException(MalformedPacketException.Kind.SHORT_ICMP_QUOTE,
                    "ICMP error quotes fewer than 8 bytes past the IP header");
        }
        return q;
    }

    private static Tcp sentTcp(ProbeRecord p) {
        Ipv4 ip = parseSent(p);
        try {
            return ip == null ? null : Tcp.parse(ip);
        } catch (MalformedPacketException e) {
            return null;
        }
    }

    private static Udp udpOrNull(Ipv4 ip) {
        try {
            return Udp.parse(ip);
        } catch (MalformedPacketException e) {
            return null;
        }
    }

    private static Ipv4 parseSent(ProbeRecord p) {
        try {
            return Ipv4.parse(p.sent());
        } catch (MalformedPacketException e) {
            return null;
        }
    }

    private static int sentTtl(ProbeRecord p) {
        Ipv4 ip = parseSent(p);
        return ip == null ? 0 : ip.ttl();
    }

    // ---- value formatting ----

    private static List<Attr> noReply() {
        List<Attr> line = new ArrayList<>();
        line.add(new Attr("R", "N"));
        return line;
    }

    private static void add(List<Attr> line, String name, String value) {
        if (value != null) {
            line.add(new Attr(name, value));
        }
    }

    private static String flagLetters(Tcp t) {
        StringBuilder sb = new StringBuilder();
        if (t.has(Tcp.ECE)) {
            sb.append('E');
        }
        if (t.has(Tcp.URG)) {
            sb.append('U');
        }
        if (t.has(Tcp.ACK)) {
            sb.append('A');
        }
        if (t.has(Tcp.PSH)) {
            sb.append('P');
        }
        if (t.has(Tcp.RST)) {
            sb.append('R');
        }
        if (t.has(Tcp.SYN)) {
            sb.append('S');
        }
        if (t.has(Tcp.FIN)) {
            sb.append('F');
        }
        return sb.toString();
    }

    private static String quirks(Tcp t) {
        String q = t.reserved() != 0 ? "R" : "";
        return t.urgentPointer() != 0 && !t.has(Tcp.URG) ? q + "U" : q;
    }

    /** CRC-32 of the data a RST carries (7.93 prints it as eight hex digits), 0 when there is none. */
    private static String resetData(Tcp t) {
        int len = t.claimedDataLength();
        if (!t.has(Tcp.RST) || len <= 0) {
            return "0";
        }
        int from = t.dataOffset();
        int to = Math.min(from + len, Math.min(t.ip().bytes().length, t.ip().payloadEnd()));
        CRC32 crc = new CRC32();
        crc.update(t.ip().bytes(), from, Math.max(0, to - from));
        return String.format("%08X", crc.getValue());
    }

    static int initialTtlGuess(int ttl) {
        return ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
    }

    private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

    /** Upper-case hex of v as an unsigned number (Long.toHexString then toUpperCase made two strings of it). */
    private static String hex(long v) {
        char[] buf = new char[16];
        int i = buf.length;
        do {
            buf[--i] = HEX_DIGITS[(int) (v & 0xF)];
            v >>>= 4;
        } while (v != 0);
        return new String(buf, i, buf.length - i);
    }

    /** RFC 1918 and link-local, the ranges Nmap 7.93 calls private (PV=Y). */
    private static boolean isPrivate(int a) {
        int b0 = (a >>> 24) & 0xFF;
        int b1 = (a >>> 16) & 0xFF;
        return b0 == 10 || (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 169 && b1 == 254) || (b0 == 192 && b1 == 168);
    }

    private static int parseAddress(String dotted) {
        try {
            return (int) AddressBlock.address(dotted, dotted);
        } catch (IllegalArgumentException e) {
            throw new UnusableObservationException("the target " + e.getMessage());
        }
    }
}
