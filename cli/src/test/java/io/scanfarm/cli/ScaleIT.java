package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.MalformedPacketException;
import io.scanfarm.matcher.packet.PcapFile;
import io.scanfarm.matcher.packet.Tcp;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import io.scanfarm.matcher.subject.SubjectParser;
import io.scanfarm.matcher.tests.SeqAnalysis;
import io.scanfarm.matcher.tests.SeqSample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many hosts at once against the lab's range namespace: the packet rate ceiling holds on the wire, the first hosts
 * are probed while the rest are still starting, a host's probes wait only where Nmap's wait, and a host's
 * fingerprint is the same whether it is scanned alone or among many (the run-to-run SEQ values in their class, and
 * computed from send times that are the wire's).
 */
class ScaleIT {

    private static final String HOST = "198.18.16.77";
    private static final String OURS = LabSupport.RANGE_OURS;
    /** The windows of SEQ1-SEQ6 (OPS1-6 repeat them, but only after SEQ6 and only where a SEQ probe went unanswered). */
    private static final Set<Integer> SEQ_WINDOWS = Set.of(1, 63, 4, 16, 512);

    @BeforeAll
    static void lab() throws Exception {
        LabSupport.requireRoot();
        LabSupport.up();
    }

    @AfterAll
    static void down() throws Exception {
        LabSupport.down();
    }

    @Test
    void theRateCeilingHoldsOnTheWire() throws Exception {
        // 1,024 hosts want far more than 5,000 packets/s, so the ceiling, not the hosts, sets the pace.
        int limit = 5000;
        List<Long> times = new ArrayList<>();
        Map<Integer, Long> lastToHost = new HashMap<>();
        for (Sent p : ourPackets("--hosts-in-flight", "1024", "--max-rate", String.valueOf(limit), "198.18.16.0/22")) {
            times.add(p.micros());
            lastToHost.put(p.ip().dst(), p.micros());
        }
        assertTrue(times.size() > 10_000, "enough packets to measure: " + times.size());
        // The pace while the ceiling binds: from the 10th percentile of the packets (discovery has filled the
        // backlog) until the first host has sent its last packet: until then every one of the 1,024 hosts has
        // probes left to send, far more than 5,000/s. After it, hosts finish and what is left (the last resends,
        // a timeout apart) no longer fills the ceiling. Measured up to the 90th percentile instead, a scan with the
        // JVM's default flags, as this test's JVM has (its compilers and the matchers busy as hosts finish), sent
        // 5,041, 4,859, 5,000, 5,000, 3,144 and 1,495 packets in its six seconds: 4,538 pps over that window, 4,963
        // over this one; this test run alone, in a fresh JVM, measured 4,604 pps that way twice.
        int lo = times.size() / 10;
        long firstDone = Collections.min(lastToHost.values());
        int hi = lo;
        while (hi + 1 < times.size() && times.get(hi + 1) <= firstDone) {
            hi++;
        }
        assertTrue(hi - lo >= times.size() / 2, "the ceiling bound for half the packets at least: the first host was done after "
                + hi + " of " + times.size());
        double seconds = (times.get(hi) - times.get(lo)) / 1e6;
        double rate = (hi - lo) / seconds;
        // And never above the ceiling: the busiest 100 ms window, allowing the 10 ms burst the bucket holds.
        int busiest = LabSupport.busiest100Ms(times);
        System.out.printf("rate ceiling %d pps: %d packets; %.1f pps while every host had probes to send (packets %d to %d);"
                + " busiest 100 ms: %d packets%n", limit, times.size(), rate, lo, hi, busiest);
        assertTrue(Math.abs(rate - limit) <= 0.05 * limit, "measured " + rate + " pps against a ceiling of " + limit);
        assertTrue(busiest <= limit / 10 * 1.05 + limit / 100, "busiest 100 ms held " + busiest + " packets");
    }

    @Test
    void theFirstHostsMoveOnWhileTheRestAreStillStarting() throws Exception {
        List<Sent> sent = ourPackets("--hosts-in-flight", "1024", "198.18.16.0/22");
        // Discovery SYNs carry window 1024 and SEQ1 window 1 (no other SYN of the plan has either).
        Map<Integer, Long> discoveredAt = new HashMap<>();
        long firstSeq1 = Long.MAX_VALUE;
        for (Sent p : sent) {
            Tcp t = p.tcp();
            if (t != null && t.flags() == Tcp.SYN && t.window() == 1024) {
                discoveredAt.putIfAbsent(p.ip().dst(), p.micros());
            } else if (t != null && t.flags() == Tcp.SYN && t.window() == 1) {
                firstSeq1 = Math.min(firstSeq1, p.micros());
            }
        }
        assertEquals(1024, discoveredAt.size(), "every host of the /22 was asked");
        long lastStarted = Collections.max(discoveredAt.values());
        // All 1,024 fit in flight at once; still the first host's SEQ probes leave before the last host is asked.
        assertTrue(firstSeq1 < lastStarted, "first SEQ1 " + (firstSeq1 - lastStarted) + " us after the last host's discovery SYN");
    }

    @Test
    void aHostsProbesWaitOnlyWhereNmapWaits() throws Exception {
        // SEQ probes leave at least 100 ms apart. Every SEQ probe of a lab host is answered at once, so, as in Nmap,
        // the follow-up probes start as soon as SEQ6's answer is in (they used to wait another 100 ms spacing), and
        // OPS 1-6 and T1 are left out of them: ECN takes the turn after U1 (it used to wait seven 25 ms turns, one
        // per left-out probe).
        List<Long> seq = new ArrayList<>();
        long ie1 = -1;
        long u1 = -1;
        long ecn = -1;
        for (Sent p : ourPackets(HOST)) {
            Tcp t = p.tcp();
            if (seq.size() < 6 && isSeqProbe(t)) {
                seq.add(p.micros());
            } else if (ie1 < 0 && p.ip().protocol() == Ipv4.ICMP) {
                ie1 = p.micros();
            } else if (u1 < 0 && p.ip().protocol() == Ipv4.UDP) {
                u1 = p.micros();
            } else if (ecn < 0 && t != null && t.has(Tcp.SYN) && t.has(Tcp.ECE) && t.has(Tcp.CWR)) {
                ecn = p.micros();
            }
        }
        assertTrue(seq.size() == 6 && ie1 > 0 && u1 > 0 && ecn > 0, "SEQ1-6, IE1, U1 and ECN were sent: " + seq.size()
                + " SEQ, IE1 " + (ie1 > 0) + ", U1 " + (u1 > 0) + ", ECN " + (ecn > 0));
        for (int i = 1; i < 6; i++) {
            // Never closer than Nmap's 100 ms (the next one is due 100 ms after the sender reported this one left).
            assertTrue(seq.get(i) - seq.get(i - 1) >= 99_900, "SEQ" + (i + 1) + " " + (seq.get(i) - seq.get(i - 1)) + " us after SEQ" + i);
        }
        long seq6 = seq.get(5);
        assertTrue(ie1 > seq6 && ie1 - seq6 < 50_000, "IE1 " + (ie1 - seq6) + " us after SEQ6");
        assertTrue(ecn > u1 && ecn - u1 < 100_000, "ECN " + (ecn - u1) + " us after U1; one turn is 25 ms");
    }

    @Test
    void aHostHasTheSameFingerprintAloneAndAmongMany() throws Exception {
        Scanned alone = scanned(HOST);
        Scanned among = scanned("198.18.16.0/20"); // the whole range: 4,096 hosts in flight at once
        // SEQ.II depends on timing under load: Linux takes an echo reply's IP ID from hashed counters that jump by a
        // random amount below the jiffies since their last use (ip_idents_reserve, net/ipv4/route.c), and Nmap calls
        // two replies incremental only when less than 10 apart.
        // The further apart a host's two replies leave, the likelier the jump: with the whole /20 in flight on a busy
        // 2-core VM, 88, 91, 251 and 418 hosts of 4,096 had no II in four runs (the namespace answered every echo it
        // got), and this host once among them. So II is left out of the host's comparison, and checked over the
        // range: where a host has one it is the host alone's, and most hosts have one.
        FingerprintAgreement agreement = new FingerprintAgreement(Set.of("SEQ.II"));
        agreement.compare(HOST, alone.fingerprints().get(HOST), among.fingerprints().get(HOST));
        assertEquals(List.of(), agreement.differences);
        String ii = alone.fingerprints().get(HOST).test("SEQ").value("II");
        assertTrue(ii != null, "the host alone has a SEQ.II");
        Map<String, Integer> iis = new TreeMap<>(); // II value -> hosts among the 4,096 with it (hosts without one: none)
        for (SubjectFingerprint f : among.fingerprints().values()) {
            String v = f.test("SEQ") == null ? null : f.test("SEQ").value("II");
            if (v != null) {
                iis.merge(v, 1, Integer::sum);
            }
        }
        System.out.printf("SEQ.II %s alone; among 4,096 (value: hosts): %s, %d without one%n", ii, iis,
                among.fingerprints().size() - iis.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(Set.of(ii), iis.keySet(), "SEQ.II among 4,096 is the host alone's or none: " + iis);
        assertTrue(iis.get(ii) >= 4096 / 2, "SEQ.II " + ii + " for most hosts: " + iis);

        // SP and ISR are drawn afresh each run from the host's random ISNs, so two runs agree only loosely (above).
        // What load could spoil is the send times they are computed from: they must be the wire's, here checked
        // by computing both from the captured packets with the matcher's own SEQ code. A step of SP or ISR is a
        // 9% change of a rate, some 8 ms of a 100 ms spacing; a stalled thread between a send and its clock
        // reading is what moves one host by more.
        Map<Integer, Integer> alonesOff = offFromTheWire(alone);
        assertTrue(alonesOff.equals(Map.of(0, 1)) || alonesOff.equals(Map.of(1, 1)) || alonesOff.equals(Map.of(-1, 1)),
                "host alone: steps off the wire's SP or ISR (step: hosts) " + alonesOff);
        Map<Integer, Integer> off = offFromTheWire(among);
        int compared = off.values().stream().mapToInt(Integer::intValue).sum();
        int withinOne = off.entrySet().stream().filter(e -> Math.abs(e.getKey()) <= 1).mapToInt(Map.Entry::getValue).sum();
        System.out.printf("SP and ISR of %d hosts among 4,096 against the wire's (largest step off: hosts): %s%n", compared, off);
        assertTrue(compared >= 0.99 * 4096, "captured whole SEQ exchanges of " + compared + " hosts");
        assertTrue(withinOne >= 0.999 * compared, "within a step of the wire's: " + off);
    }

    /** Whether {@code t} is one of SEQ1-SEQ6: a bare SYN with one of their windows (the first six such). */
    private static boolean isSeqProbe(Tcp t) {
        return t != null && t.flags() == Tcp.SYN && SEQ_WINDOWS.contains(t.window());
    }

    /** A packet we sent, as captured on the range's veth. */
    private record Sent(long micros, Ipv4 ip) {
        Tcp tcp() throws MalformedPacketException {
            return ip.protocol() == Ipv4.TCP ? Tcp.parse(ip) : null;
        }
    }

    /**
     * Runs {@code scan --direct} with {@code args} while capturing the range's veth; returns what we sent, in order.
     * The host kernel's own RSTs (answers to SYN/ACKs we did not ask for) are not ours and are left out.
     */
    private static List<Sent> ourPackets(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("scan", "--direct", "--format", "json", "--ports", "80,1",
                "--allow", "198.18.0.0/15", "--os-db", LabSupport.database()));
        command.addAll(List.of(args));
        List<Sent> sent = new ArrayList<>();
        for (PcapFile.Frame f : scan("src host " + OURS + " and not (tcp[13] & 4 != 0) and not arp", command.toArray(String[]::new)).frames()) {
            sent.add(new Sent(f.micros(), Ipv4.parse(f.ip())));
        }
        return sent;
    }

    /** A scan's fingerprints by address, and the TCP packets between us and the range meanwhile. */
    private record Scanned(Map<String, SubjectFingerprint> fingerprints, List<PcapFile.Frame> frames) {
    }

    /** Scans {@code targets} through the embedded farm, all in flight at once, capturing the range's veth. */
    private static Scanned scanned(String targets) throws Exception {
        LabSupport.Captured<MatchCommandTest.Run> c = scan("tcp and host " + OURS, "scan", "--format", "json", "--ports", "80,1", "--allow",
                "198.18.0.0/15", "--os-db", LabSupport.database(), "--hosts-in-flight", "4096", "--job-size", "4096", targets);
        Map<String, SubjectFingerprint> fingerprints = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : c.result().outLines()) {
            JsonNode n = json.readTree(line);
            if (n.has("fingerprint")) {
                StringBuilder fp = new StringBuilder();
                n.get("fingerprint").forEach(t -> fp.append(t.asText()).append('\n'));
                fingerprints.put(n.get("ip").asText(), SubjectParser.parseOne(fp.toString()));
            }
        }
        assertTrue(fingerprints.containsKey(HOST), HOST + " has a fingerprint among the results of " + targets);
        return new Scanned(fingerprints, c.frames());
    }

    /**
     * For each host whose six SEQ probes and their answers were all captured: how many steps its reported SP and
     * ISR are off those computed from the wire (the larger of the two, signed), counted over hosts.
     */
    private static Map<Integer, Integer> offFromTheWire(Scanned s) throws MalformedPacketException {
        Map<String, List<long[]>> probes = new HashMap<>(); // host -> {micros, our port} of SEQ1-SEQ6 in order
        Map<String, long[]> answers = new HashMap<>(); // "host:our port" -> {micros, ISN, IP ID} of its SYN/ACK
        for (PcapFile.Frame f : s.frames()) {
            Ipv4 ip = Ipv4.parse(f.ip());
            Tcp t = Tcp.parse(ip);
            if (ip.srcText().equals(OURS) && isSeqProbe(t)) {
                probes.computeIfAbsent(ip.dstText(), k -> new ArrayList<>()).add(new long[] {f.micros(), t.srcPort()});
            } else if (ip.dstText().equals(OURS) && t.has(Tcp.SYN) && t.has(Tcp.ACK)) {
                answers.putIfAbsent(ip.srcText() + ":" + t.dstPort(), new long[] {f.micros(), t.seq(), ip.id()});
            }
        }
        Map<Integer, Integer> off = new TreeMap<>();
        probes.forEach((host, sent) -> {
            SubjectFingerprint ours = s.fingerprints().get(host);
            List<SeqSample> samples = new ArrayList<>();
            for (int slot = 0; slot < Math.min(6, sent.size()); slot++) {
                long[] a = answers.get(host + ":" + sent.get(slot)[1]);
                if (a != null) {
                    samples.add(new SeqSample(slot, sent.get(slot)[0], a[0], a[1], (int) a[2], null));
                }
            }
            if (ours == null || samples.size() < 6) {
                return;
            }
            SeqAnalysis.Result wire = SeqAnalysis.analyse(samples);
            int sp = Integer.parseInt(ours.test("SEQ").value("SP"), 16) - Integer.parseInt(wire.sp(), 16);
            int isr = Integer.parseInt(ours.test("SEQ").value("ISR"), 16) - Integer.parseInt(wire.isr(), 16);
            off.merge(Math.abs(sp) >= Math.abs(isr) ? sp : isr, 1, Integer::sum);
        });
        return off;
    }

    /** Runs the scanfarm {@code command}, which must succeed, while capturing the range's veth through {@code filter}. */
    private static LabSupport.Captured<MatchCommandTest.Run> scan(String filter, String... command) throws Exception {
        return LabSupport.capturingRange(filter, () -> {
            MatchCommandTest.Run r = MatchCommandTest.run(command);
            assertEquals(0, r.code(), r.err());
            return r;
        });
    }
}
