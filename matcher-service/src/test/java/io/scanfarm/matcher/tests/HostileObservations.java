package io.scanfarm.matcher.tests;

import io.scanfarm.fuzz.Mutations;
import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.ProbeRecord;
import io.scanfarm.matcher.observation.Route;
import io.scanfarm.matcher.packet.HostilePackets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Hostile observations made from the recorded ones: responses with hostile fields or bytes, and the things a
 * network and a capture do to an exchange (duplicated, dropped, late, early, out-of-order responses, responses
 * filed under the wrong probe, retransmitted or missing probes, absurd times, ports and MACs). Answers from the
 * wrong address or to the wrong port are separate edits: the invariants say they must change nothing.
 */
public final class HostileObservations {

    private static final long[] ABSURD_MICROS = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 253_402_300_800_000_000L};
    private static final long[] SHIFT_MICROS = {1, 999, 1_000_000, 60_000_000, 3_600_000_000L, Long.MAX_VALUE / 2};
    private static final int[] ABSURD_PORTS = {-1, 0, 1, 65535, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE};

    private HostileObservations() {
    }

    public enum Op {
        RESPONSE_EDIT, SENT_EDIT, DUPLICATE_RESPONSE, DROP_RESPONSE, MOVE_RESPONSE, LATE_RESPONSE, EARLY_RESPONSE,
        SWAP_TIMES, RETRANSMIT, DROP_PROBE, SHUFFLE, ABSURD_SEND_TIME, ABSURD_START, PORTS, ROUTE, MAC
    }

    /** Edits that only change bytes: they leave every capture time as it was. */
    public static final List<Op> CONTENT_ONLY = List.of(Op.RESPONSE_EDIT, Op.SENT_EDIT);

    /** One edit of an observation; indexes are reduced to what the observation has when applied. */
    public record Edit(Op op, int probe, int response, int arg, Object packetEdit) {

        public Observation apply(Observation o) {
            List<ProbeRecord> probes = new ArrayList<>(o.probes());
            int open = o.openTcpPort();
            int closed = o.closedTcpPort();
            boolean known = o.closedTcpKnown();
            int udp = o.closedUdpPort();
            Route route = o.route();
            byte[] mac = o.targetMac();
            long start = o.startEpochSeconds();
            int pi = probes.isEmpty() ? -1 : Math.floorMod(probe, probes.size());
            ProbeRecord p = pi < 0 ? null : probes.get(pi);
            List<Capture> rs = p == null ? new ArrayList<>() : new ArrayList<>(p.responses());
            int ri = rs.isEmpty() ? -1 : Math.floorMod(response, rs.size());
            switch (op) {
                case RESPONSE_EDIT -> {
                    if (ri >= 0) {
                        rs.set(ri, new Capture(HostilePackets.apply(packetEdit, rs.get(ri).packet()), rs.get(ri).micros()));
                        probes.set(pi, with(p, rs));
                    }
                }
                case SENT_EDIT -> {
                    if (p != null) {
                        probes.set(pi, new ProbeRecord(p.id(), HostilePackets.apply(packetEdit, p.sent()), p.sentMicros(), rs));
                    }
                }
                case DUPLICATE_RESPONSE -> {
                    if (ri >= 0) {
                        rs.add(ri + 1, rs.get(ri));
                        probes.set(pi, with(p, rs));
                    }
                }
                case DROP_RESPONSE -> {
                    if (ri >= 0) {
                        rs.remove(ri);
                        probes.set(pi, with(p, rs));
                    }
                }
                case MOVE_RESPONSE -> {
                    if (ri >= 0) {
                        Capture c = rs.remove(ri);
                        probes.set(pi, with(p, rs));
                        int to = Math.floorMod(arg, probes.size());
                        List<Capture> dest = new ArrayList<>(probes.get(to).responses());
                        dest.add(c);
                        probes.set(to, with(probes.get(to), dest));
                    }
                }
                case LATE_RESPONSE, EARLY_RESPONSE -> {
                    if (ri >= 0) {
                        long shift = SHIFT_MICROS[Math.floorMod(arg, SHIFT_MICROS.length)];
                        long t = rs.get(ri).micros();
                        long moved = op == Op.LATE_RESPONSE ? saturatedAdd(t, shift) : saturatedAdd(t, -shift);
                        rs.set(ri, new Capture(rs.get(ri).packet(), moved));
                        probes.set(pi, with(p, rs));
                    }
                }
                case SWAP_TIMES -> {
                    int qi = Math.floorMod(arg, probes.size());
                    List<Capture> other = new ArrayList<>(probes.get(qi).responses());
                    if (ri >= 0 && !other.isEmpty() && qi != pi) {
                        int oi = Math.floorMod(arg >>> 8, other.size());
                        long a = rs.get(ri).micros();
                        rs.set(ri, new Capture(rs.get(ri).packet(), other.get(oi).micros()));
                        other.set(oi, new Capture(other.get(oi).packet(), a));
                        probes.set(pi, with(p, rs));
                        probes.set(qi, with(probes.get(qi), other));
                    }
                }
                case RETRANSMIT -> {
                    if (p != null) {
                        long later = saturatedAdd(p.sentMicros(), SHIFT_MICROS[Math.floorMod(arg, SHIFT_MICROS.length)]);
                        probes.add(pi + 1, new ProbeRecord(p.id(), p.sent(), later, (arg & 1) == 0 ? List.of() : rs));
                    }
                }
                case DROP_PROBE -> {
                    if (p != null) {
                        probes.remove(pi);
                    }
                }
                case SHUFFLE -> {
                    Random random = new Random(arg);
                    Collections.shuffle(probes, random);
                    for (int i = 0; i < probes.size(); i++) {
                        List<Capture> c = new ArrayList<>(probes.get(i).responses());
                        Collections.shuffle(c, random);
                        probes.set(i, with(probes.get(i), c));
                    }
                }
                case ABSURD_SEND_TIME -> {
                    if (p != null) {
                        probes.set(pi, new ProbeRecord(p.id(), p.sent(), ABSURD_MICROS[Math.floorMod(arg, ABSURD_MICROS.length)], rs));
                    }
                }
                case ABSURD_START -> start = ABSURD_MICROS[Math.floorMod(arg, ABSURD_MICROS.length)];
                case PORTS -> {
                    int v = ABSURD_PORTS[Math.floorMod(arg, ABSURD_PORTS.length)];
                    switch (Math.floorMod(arg >>> 4, 4)) {
                        case 0 -> open = v;
                        case 1 -> closed = v;
                        case 2 -> udp = v;
                        default -> known = !known;
                    }
                }
                case ROUTE -> route = Route.values()[Math.floorMod(arg, Route.values().length)];
                default -> mac = (arg & 3) == 0 ? null : new byte[Math.floorMod(arg, 21)];
            }
            return new Observation(o.target(), open, closed, known, udp, route, mac, start, probes);
        }

        @Override
        public String toString() {
            return op + "(probe " + probe + ", response " + response + ", " + arg + (packetEdit == null ? "" : ", " + packetEdit) + ")";
        }
    }

    static ProbeRecord with(ProbeRecord p, List<Capture> responses) {
        return new ProbeRecord(p.id(), p.sent(), p.sentMicros(), responses);
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    /** A recorded observation and the edits that made this one from it. */
    public record Mutant(String seed, List<Edit> edits, Observation observation) {
        @Override
        public String toString() {
            return seed + " " + edits;
        }
    }

    public static Arbitrary<Object> packetEdits() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, HostilePackets.fieldEdits().map(e -> (Object) e)),
                Tuple.of(2, Mutations.byteEdits().map(e -> (Object) e)));
    }

    public static Arbitrary<Edit> edits(List<Op> ops) {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 63);
        return Combinators.combine(Arbitraries.of(ops), index, index, Arbitraries.integers().between(0, Integer.MAX_VALUE),
                packetEdits()).as(Edit::new);
    }

    /** A recorded observation with {@code min} to {@code max} edits drawn from {@code ops}. */
    public static Arbitrary<Mutant> mutants(List<Op> ops, int min, int max) {
        List<String> seeds = List.copyOf(RecordedObservations.all().keySet());
        return Combinators.combine(Arbitraries.of(seeds), edits(ops).list().ofMinSize(min).ofMaxSize(max)).as((seed, edits) -> {
            Observation o = RecordedObservations.all().get(seed);
            for (Edit e : edits) {
                o = e.apply(o);
            }
            return new Mutant(seed, edits, o);
        });
    }

    public static Arbitrary<Mutant> mutants(int min, int max) {
        return mutants(List.of(Op.values()), min, max);
    }
}
