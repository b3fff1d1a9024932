package io.scanfarm.matcher.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.fuzz.FuzzBudget;
import io.scanfarm.fuzz.FuzzTally;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.RankedMatch;
import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.ProbeRecord;
import io.scanfarm.matcher.oracle.OracleMatcher;
import io.scanfarm.matcher.packet.Bytes;
import io.scanfarm.matcher.report.HostReport;
import io.scanfarm.matcher.report.OsSection;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import io.scanfarm.matcher.subject.SubjectParser;
import io.scanfarm.wire.AddressBlock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The fingerprint computation over hostile observations made from the recorded exchanges: it completes, its
 * printed lines (one per test, and Nmap's wrapped form) read back with the subject parser as the same
 * fingerprint, and it can be matched and reported. Invariants on top: a duplicated answer, an answer from
 * another address or to another port, and the order in which captures are listed change nothing.
 */
@AddLifecycleHook(FuzzBudget.class)
class FingerprintComputerFuzzTest {

    @Property(tries = 1200)
    void hostileObservationsGiveAFingerprintThatParsesAndMatches(@ForAll("hostile") HostileObservations.Mutant m) {
        ComputedFingerprint fp = FingerprintComputer.compute(m.observation(), "fuzz");
        checkUsable(m.observation(), fp);
        Set<String> ops = new LinkedHashSet<>();
        m.edits().forEach(e -> ops.add(e.op().name()));
        ops.forEach(op -> FuzzTally.count("observation " + op, "fingerprinted"));
        fp.side().malformedResponses().forEach((kind, n) -> FuzzTally.count("malformed response " + kind, "counted, not used"));
    }

    @Property(tries = 300)
    void anAnswerThatCannotBeReadIsCountedAndNotUsed(@ForAll("base") HostileObservations.Mutant m, @ForAll @IntRange(max = 63) int probe,
                                                    @ForAll("damage") List<Object> edits) {
        Observation o = m.observation();
        List<int[]> answered = answered(o);
        Assume.that(!answered.isEmpty());
        int[] at = answered.get(Math.floorMod(probe, answered.size()));
        ProbeRecord p = o.probes().get(at[0]);
        byte[] b = p.responses().get(Math.floorMod(probe * 7, p.responses().size())).packet();
        for (Object e : edits) {
            b = io.scanfarm.matcher.packet.HostilePackets.apply(e, b);
        }
        String kind = MalformedResponses.kind(b);
        Assume.that(kind != null);
        ComputedFingerprint before = FingerprintComputer.compute(o, "fuzz");
        List<Capture> rs = new ArrayList<>(p.responses());
        rs.add(0, new Capture(b, first(o) - 1));
        ComputedFingerprint after = FingerprintComputer.compute(replace(o, at[0], HostileObservations.with(p, rs)), "fuzz");
        assertEquals(before.lines(), after.lines(), "never used");
        Map<String, Integer> expected = new java.util.TreeMap<>(before.side().malformedResponses());
        expected.merge(kind, 1, Integer::sum);
        assertEquals(expected, after.side().malformedResponses(), "counted by what is wrong with it");
        FuzzTally.count("unreadable answer " + kind, "counted, not used");
    }

    @Property(tries = 300)
    void aDuplicatedAnswerChangesNothing(@ForAll("base") HostileObservations.Mutant m, @ForAll @IntRange(max = 63) int probe,
                                         @ForAll @IntRange(max = 63) int response) {
        Observation o = m.observation();
        List<int[]> answered = answered(o);
        Assume.that(!answered.isEmpty());
        int[] at = answered.get(Math.floorMod(probe, answered.size()));
        ProbeRecord p = o.probes().get(at[0]);
        List<Capture> rs = new ArrayList<>(p.responses());
        int ri = Math.floorMod(response, rs.size());
        rs.add(ri + 1, rs.get(ri));
        Observation dup = replace(o, at[0], HostileObservations.with(p, rs));
        assertEquals(FingerprintComputer.compute(o, "fuzz").lines(), FingerprintComputer.compute(dup, "fuzz").lines());
        FuzzTally.count("duplicated answer to " + p.id().replaceAll("[0-9]", ""), "unchanged");
    }

    @Property(tries = 300)
    void anAnswerFromAnotherAddressIsNotUsed(@ForAll("base") HostileObservations.Mutant m, @ForAll @IntRange(max = 63) int probe,
                                             @ForAll int salt) {
        Observation o = m.observation();
        List<int[]> answered = answered(o);
        Assume.that(!answered.isEmpty());
        int[] at = answered.get(Math.floorMod(probe, answered.size()));
        ProbeRecord p = o.probes().get(at[0]);
        Capture c = p.responses().get(Math.floorMod(salt, p.responses().size()));
        byte[] b = telling(c.packet());
        Assume.that(b.length >= 20);
        int target = (int) AddressBlock.address(o.target(), o.target());
        int other = target ^ (salt | 1);
        b[12] = (byte) (other >>> 24);
        b[13] = (byte) (other >>> 16);
        b[14] = (byte) (other >>> 8);
        b[15] = (byte) other;
        assertUnchangedByAdding(o, at[0], new Capture(b, first(o) - 1 - Math.floorMod(salt, 5000)));
        FuzzTally.count("answer from another address to " + p.id().replaceAll("[0-9]", ""), "not used");
    }

    @Property(tries = 300)
    void anAnswerToAnotherPortOrEchoIdIsNotUsed(@ForAll("base") HostileObservations.Mutant m, @ForAll @IntRange(max = 63) int probe,
                                                @ForAll int salt) {
        Observation o = m.observation();
        List<int[]> answered = answered(o);
        Assume.that(!answered.isEmpty());
        int[] at = answered.get(Math.floorMod(probe, answered.size()));
        ProbeRecord p = o.probes().get(at[0]);
        Capture c = p.responses().get(Math.floorMod(salt, p.responses().size()));
        Redirected r = redirected(p.sent(), telling(c.packet()), salt);
        Assume.that(r != null);
        assertUnchangedByAdding(o, at[0], new Capture(r.bytes(), first(o) - 1 - Math.floorMod(salt, 5000)));
        FuzzTally.count(r.kind(), "not used");
    }

    @Property(tries = 300)
    void theOrderCapturesAreListedInChangesNothing(@ForAll("contentOnly") HostileObservations.Mutant m, @ForAll long shuffle) {
        Observation o = m.observation();
        Set<Long> times = new HashSet<>();
        int captures = 0;
        for (ProbeRecord p : o.probes()) {
            for (Capture c : p.responses()) {
                times.add(c.micros());
                captures++;
            }
        }
        Assume.that(times.size() == captures); // equal times: the listing is the arrival order, and it may decide
        Observation shuffled = reorder(o, new Random(shuffle));
        assertEquals(FingerprintComputer.compute(o, "fuzz").lines(), FingerprintComputer.compute(shuffled, "fuzz").lines());
        FuzzTally.count("captures and probes listed in another order", "unchanged");
    }

    /** The computed fingerprint reads back as itself, in both printed forms, and can be matched and reported. */
    static void checkUsable(Observation obs, ComputedFingerprint fp) {
        SubjectFingerprint lines = SubjectParser.parseOne(String.join("\n", fp.lines()));
        assertEquals(fp.subject().tests(), lines.tests(), "one test per line reads back");
        assertEquals(fp.subject().scan(), lines.scan(), "the SCAN line reads back");
        SubjectFingerprint wrapped = SubjectParser.parseOne(fp.wrapped());
        assertEquals(fp.subject().tests(), wrapped.tests(), "the wrapped OS: form reads back");
        MatchResult r = OracleMatcher.get().match(fp.subject());
        for (RankedMatch x : r.matches()) {
            assertTrue(x.score() >= 0 && x.score() <= 1, "a score is a fraction: " + x.score());
        }
        HostReport.lines(obs, fp, r);
        OsSection.withDistance(r, fp.subject().scan());
    }

    /**
     * A copy of an answer that would change the fingerprint if it were used (another TTL, DF bit and IP ID);
     * added before every other capture, it would be the first answer.
     */
    private static byte[] telling(byte[] answer) {
        byte[] b = answer.clone();
        if (b.length >= 20) {
            b[8] = (byte) ((b[8] & 0xFF) <= 128 ? 200 : 30);
            b[6] ^= 0x40;
            b[4] ^= 0x12;
            b[5] ^= 0x34;
        }
        return b;
    }

    /** The earliest capture time in the observation. */
    private static long first(Observation o) {
        long min = Long.MAX_VALUE;
        for (ProbeRecord p : o.probes()) {
            for (Capture c : p.responses()) {
                min = Math.min(min, c.micros());
            }
        }
        return Math.max(min, Long.MIN_VALUE + 5001);
    }

    /** An answer changed so that it answers another port or echo id, and what kind of change it was. */
    private record Redirected(String kind, byte[] bytes) {
    }

    /**
     * A copy of the answer that no longer answers the probe: another port (TCP), echo id (ICMP echo) or quoted
     * port (ICMP port unreachable); null when the answer is none of those for this probe.
     */
    private static Redirected redirected(byte[] sent, byte[] answer, int salt) {
        if (sent.length < 20 || answer.length < 20) {
            return null;
        }
        int sihl = (sent[0] & 0x0F) * 4;
        int aihl = (answer[0] & 0x0F) * 4;
        int flip = 1 + Math.floorMod(salt, 0xFFFF);
        byte[] b = answer.clone();
        if (sent[9] == 6 && answer[9] == 6 && sent.length >= sihl + 4 && answer.length >= aihl + 4) {
            boolean dst = (salt & 0x10000) == 0;
            int want = Bytes.u16(sent, sihl + (dst ? 0 : 2)); // our source port is its destination, and the reverse
            put16(b, aihl + (dst ? 2 : 0), want ^ flip);
            return new Redirected("TCP answer to another " + (dst ? "destination" : "source") + " port", b);
        }
        if (sent[9] == 1 && answer[9] == 1 && sent.length >= sihl + 8 && answer.length >= aihl + 8 && (answer[aihl] & 0xFF) == 0) {
            put16(b, aihl + 4, Bytes.u16(sent, sihl + 4) ^ flip);
            return new Redirected("echo reply with another id", b);
        }
        if (sent[9] == 17 && answer[9] == 1 && sent.length >= sihl + 4 && answer.length >= aihl + 8 + 20 && (answer[aihl] & 0xFF) == 3) {
            int qihl = (answer[aihl + 8] & 0x0F) * 4;
            boolean src = (salt & 0x10000) == 0;
            if (answer.length < aihl + 8 + qihl + 4) {
                return null;
            }
            put16(b, aihl + 8 + qihl + (src ? 0 : 2), Bytes.u16(sent, sihl + (src ? 0 : 2)) ^ flip);
            return new Redirected("port unreachable quoting another " + (src ? "source" : "destination") + " port", b);
        }
        return null;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void assertUnchangedByAdding(Observation o, int probe, Capture extra) {
        ProbeRecord p = o.probes().get(probe);
        List<Capture> rs = new ArrayList<>(p.responses());
        rs.add(extra);
        Observation more = replace(o, probe, HostileObservations.with(p, rs));
        assertEquals(FingerprintComputer.compute(o, "fuzz").lines(), FingerprintComputer.compute(more, "fuzz").lines());
    }

    /** {probe index} of each probe with at least one answer. */
    private static List<int[]> answered(Observation o) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < o.probes().size(); i++) {
            if (!o.probes().get(i).responses().isEmpty()) {
                out.add(new int[] {i});
            }
        }
        return out;
    }

    private static Observation replace(Observation o, int index, ProbeRecord p) {
        List<ProbeRecord> probes = new ArrayList<>(o.probes());
        probes.set(index, p);
        return new Observation(o.target(), o.openTcpPort(), o.closedTcpPort(), o.closedTcpKnown(), o.closedUdpPort(),
                o.route(), o.targetMac(), o.startEpochSeconds(), probes);
    }

    /**
     * The probes in another order (retransmissions of one probe keep theirs: the first is the first sent) and
     * each probe's captures in another order.
     */
    private static Observation reorder(Observation o, Random random) {
        Map<String, List<ProbeRecord>> byId = new LinkedHashMap<>();
        List<String> slots = new ArrayList<>();
        for (ProbeRecord p : o.probes()) {
            byId.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(p);
            slots.add(p.id());
        }
        Collections.shuffle(slots, random);
        Map<String, Integer> next = new LinkedHashMap<>();
        List<ProbeRecord> out = new ArrayList<>();
        for (String id : slots) {
            ProbeRecord p = byId.get(id).get(next.merge(id, 1, Integer::sum) - 1);
            List<Capture> rs = new ArrayList<>(p.responses());
            Collections.shuffle(rs, random);
            out.add(HostileObservations.with(p, rs));
        }
        return new Observation(o.target(), o.openTcpPort(), o.closedTcpPort(), o.closedTcpKnown(), o.closedUdpPort(),
                o.route(), o.targetMac(), o.startEpochSeconds(), out);
    }

    @Provide
    Arbitrary<HostileObservations.Mutant> hostile() {
        return HostileObservations.mutants(1, 6);
    }

    @Provide
    Arbitrary<List<Object>> damage() {
        return HostileObservations.packetEdits().list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<HostileObservations.Mutant> base() {
        return HostileObservations.mutants(0, 3);
    }

    @Provide
    Arbitrary<HostileObservations.Mutant> contentOnly() {
        List<HostileObservations.Op> ops = new ArrayList<>(HostileObservations.CONTENT_ONLY);
        ops.addAll(List.of(HostileObservations.Op.DROP_RESPONSE, HostileObservations.Op.MOVE_RESPONSE,
                HostileObservations.Op.DROP_PROBE, HostileObservations.Op.PORTS, HostileObservations.Op.ROUTE));
        return HostileObservations.mutants(ops, 0, 3);
    }
}
