package io.scanfarm.agent.scan;

import io.scanfarm.agent.net.PcapLink;
import io.scanfarm.agent.net.RouteTable;
import io.scanfarm.agent.plan.HostProbeValues;
import io.scanfarm.agent.plan.ProbeSpec;
import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.ProbeRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        final List<Capture> answers = new ArrayList<>();

        Sent(String id, byte[] bytes) {
            this.id = id;
            this.bytes = bytes;
        }

        boolean left() {
            return micros != 0;
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

    /** Discovery: our source port per probed port, and what each port turned out to be. */
    final Map<Integer, Integer> discoveryPortBySource = new LinkedHashMap<>();
    final Map<Integer, Long> discoverySentMicros = new LinkedHashMap<>();
    /** When each probed port's answer came in (the RTT is taken once its SYN's send time is known too). */
    final Map<Integer, Long> discoveryAnsweredMicros = new LinkedHashMap<>();
    final TreeMap<Integer, Boolean> portOpen = new TreeMap<>();
    int discoveryTries;
    long rttMicros = -1;

    int openPort = -1;
    int closedPort = -1;
    boolean closedKnown;
    int closedUdpPort = -1;

    final List<Sent> sent = new ArrayList<>();
    /** The plan's phases for this host, in plan order (probes it cannot send left out), and the one under way. */
    final List<ProbeSpec.Phase> phaseKinds = new ArrayList<>();
    final List<List<ProbeSpec>> phases = new ArrayList<>();
    int phaseIndex = -1;
    /** Every follow-up probe of every phase, in plan order. */
    final List<ProbeSpec> queue = new ArrayList<>();
    final Map<String, Integer> transmissions = new LinkedHashMap<>();
    final Map<String, Boolean> answered = new LinkedHashMap<>();
    /** Conditional probes not sent because their condition was met (OPS i after an answered SEQ i). */
    final java.util.Set<String> skipped = new java.util.HashSet<>();
    /** Follow-up probes whose last transmission went unanswered for a full timeout. */
    final java.util.Set<String> givenUp = new java.util.HashSet<>();
    boolean finishCheckPending;
    int sendFailures;
    /** Packets handed to the sender thread whose leaving has not been reported yet. */
    int sendsInFlight;
    long timeoutMicros = 1_000_000;
    long lastSendMicros;

    HostState(String address, int target, RouteTable.Path4 path) {
        this.address = address;
        this.target = target;
        this.path = path;
    }

    Sent latest(String id) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).id.equals(id)) {
                return sent.get(i);
            }
        }
        return null;
    }

    List<ProbeRecord> records() {
        List<ProbeRecord> out = new ArrayList<>();
        for (Sent s : sent) {
            out.add(new ProbeRecord(s.id, s.bytes, s.micros, s.answers));
        }
        return out;
    }
}
