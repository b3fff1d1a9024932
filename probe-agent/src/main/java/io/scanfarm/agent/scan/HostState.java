package io.scanfarm.agent.scan;

import io.scanfarm.agent.net.PcapLink;
import io.scanfarm.agent.net.RouteTable;
import io.scanfarm.agent.plan.HostProbeValues;
import io.scanfarm.agent.plan.ProbeSpec;
import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.ProbeRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Everything the scheduler knows about one host in flight. Touched only by the scheduler thread. */
final class HostState {

    /** SEQ and FOLLOW: sending that kind of plan phase; WAIT: every probe is out, the last answers may come. */
    enum Phase { RESOLVING, DISCOVERY, SEQ, FOLLOW, WAIT, DONE }

    /**
     * One transmission of a probe and what answered it; the bytes are resent unchanged. Its time is set when word
     * comes from the sender thread that it left (a host does not finish before that); 0 until then.
     */
    static final class Sent {
        final String id;
        final byte[] bytes;
        long micros;
        /** When it left on the scheduler's monotonic clock, which its timers run on (a wall-clock step moves none). */
        long leftMono;
        /** What answered it; most transmissions have one answer or none, so no list grows until a second comes. */
        private List<Capture> answers = List.of();

        Sent(String id, byte[] bytes) {
            this.id = id;
            this.bytes = bytes;
        }

        boolean left() {
            return micros != 0;
        }

        int answerCount() {
            return answers.size();
        }

        void addAnswer(Capture c) {
            if (answers.isEmpty()) {
                answers = List.of(c);
                return;
            }
            if (answers.size() == 1) {
                answers = new ArrayList<>(answers);
            }
            answers.add(c);
        }
    }

    final String address;
    final int target;
    final RouteTable.Path4 path;
    PcapLink link;
    byte[] nextHopMac;
    HostProbeValues values;
    Phase phase = Phase.RESOLVING;
    long startEpochSeconds;
    int arpTries;
    java.util.function.Consumer<HostResult> onDone;

    /**
     * Discovery, per probed port (the scan's ports in order, index i's SYN leaving from source port
     * tcpPortBase + DISCOVERY_PORT_OFFSET + i): when its SYN left and when its answer came in (0: not yet; the RTT
     * is taken once both are known), and what the port turned out to be. Null until discovery starts.
     */
    long[] discoverySentMicros;
    long[] discoveryAnsweredMicros;
    byte[] portStates;
    static final byte PORT_UNKNOWN = 0;
    static final byte PORT_OPEN = 1;
    static final byte PORT_CLOSED = 2;
    int discoveryTries;
    long rttMicros = -1;

    int openPort = -1;
    int closedPort = -1;
    boolean closedKnown;
    int closedUdpPort = -1;

    /** Every transmission in the order handed to the sender, and the latest one of each probe by its index. */
    private final List<Sent> sent = new ArrayList<>();
    private final Sent[] latest;
    /** The plan's phases for this host (set when discovery ends), and the index of the one under way. */
    Phases phases;
    int phaseIndex = -1;

    /**
     * A plan's phases as a host runs them, in phase order, with the probes it cannot send left out: {@code kinds}
     * and {@code probes} per phase, and {@code follow}, every follow-up probe of every phase in plan order. There
     * are two per scan (with and without an open port), shared by all hosts.
     */
    record Phases(List<ProbeSpec.Phase> kinds, List<List<ProbeSpec>> probes, List<ProbeSpec> follow) {
    }

    /**
     * Per probe of the plan, by its index there ({@link #probeIndex}): how often it was sent, and whether it was
     * answered, skipped or given up. Two small arrays rather than maps keyed by probe id: thousands of hosts are
     * in flight, and each map entry was one more object for every young collection to copy.
     */
    private final Map<String, Integer> probeIndex;
    private final int[] transmissions;
    private final byte[] flags;
    private static final byte ANSWERED = 1;
    /** A conditional probe not sent because its condition was met (OPS i after an answered SEQ i). */
    private static final byte SKIPPED = 2;
    /** A follow-up probe whose last transmission went unanswered for a full timeout. */
    private static final byte GIVEN_UP = 4;
    boolean finishCheckPending;
    int sendFailures;
    /** Packets handed to the sender thread whose leaving has not been reported yet. */
    int sendsInFlight;
    long timeoutMicros = 1_000_000;
    /** When the host's latest packet left, on the scheduler's monotonic clock. */
    long lastSendMono;

    /** {@code probeIndex}: the plan's probe ids and their indexes, shared by all hosts of a scan. */
    HostState(String address, int target, RouteTable.Path4 path, Map<String, Integer> probeIndex) {
        this.address = address;
        this.target = target;
        this.path = path;
        this.probeIndex = probeIndex;
        this.transmissions = new int[probeIndex.size()];
        this.flags = new byte[probeIndex.size()];
        this.latest = new Sent[probeIndex.size()];
    }

    void startDiscovery(int ports) {
        discoverySentMicros = new long[ports];
        discoveryAnsweredMicros = new long[ports];
        portStates = new byte[ports];
    }

    /** How many of the probed ports answered. */
    int portsKnown() {
        int n = 0;
        for (byte state : portStates) {
            if (state != PORT_UNKNOWN) {
                n++;
            }
        }
        return n;
    }

    int transmissions(String id) {
        return transmissions[index(id)];
    }

    void transmitted(String id) {
        transmissions[index(id)]++;
    }

    boolean answered(String id) {
        return has(id, ANSWERED);
    }

    void markAnswered(String id) {
        flags[index(id)] |= ANSWERED;
    }

    boolean skipped(String id) {
        return has(id, SKIPPED);
    }

    void skip(String id) {
        flags[index(id)] |= SKIPPED;
    }

    boolean givenUp(String id) {
        return has(id, GIVEN_UP);
    }

    void giveUp(String id) {
        flags[index(id)] |= GIVEN_UP;
    }

    private boolean has(String id, byte flag) {
        Integer i = probeIndex.get(id);
        return i != null && (flags[i] & flag) != 0;
    }

    private int index(String id) {
        Integer i = probeIndex.get(id);
        if (i == null) {
            throw new IllegalArgumentException("no probe " + id + " in the plan");
        }
        return i;
    }

    /** A transmission handed to the sender: from now on an answer to it can come. */
    void add(Sent s) {
        int i = index(s.id); // refuses an id not in the plan before anything is recorded
        sent.add(s);
        latest[i] = s;
    }

    /** The probe's latest transmission, or null before its first (or for an id not in the plan). */
    Sent latest(String id) {
        Integer i = probeIndex.get(id);
        return i == null ? null : latest[i];
    }

    List<ProbeRecord> records() {
        List<ProbeRecord> out = new ArrayList<>();
        for (Sent s : sent) {
            out.add(new ProbeRecord(s.id, s.bytes, s.micros, s.answers));
        }
        return out;
    }
}
