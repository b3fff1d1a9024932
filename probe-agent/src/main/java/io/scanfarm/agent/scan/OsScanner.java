package io.scanfarm.agent.scan;

import io.scanfarm.agent.net.PcapLink;
import io.scanfarm.agent.net.RawIpSocket;
import io.scanfarm.agent.net.RouteTable;
import io.scanfarm.agent.packet.PacketBuilder;
import io.scanfarm.agent.plan.HostProbeValues;
import io.scanfarm.agent.plan.ProbePlan;
import io.scanfarm.agent.plan.ProbeSpec;
import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.Route;
import io.scanfarm.matcher.packet.Bytes;
import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.Tcp;
import io.scanfarm.wire.AddressBlock;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes many hosts at once with one scheduler thread, one sender thread and one capture thread per interface:
 * ARP for the next hop where the link needs it, a SYN to each candidate port to find an open and a closed one,
 * then the probe plan phase by phase in the plan's order (SEQ probes one at a time at their spacing; FOLLOW probes
 * one turn apart, unanswered ones resent within the timeout; a FOLLOW phase that is not the last ends once each
 * of its probes is answered or given up). The scheduler decides; the sender makes the system calls and reports
 * when each packet left, since probe times are send times.
 * Answers are tied to hosts and probes by the address they come from and the port or echo id they answer, so
 * no table of outstanding packets is searched. It records raw packets; it never decides an OS.
 */
public final class OsScanner implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(OsScanner.class);
    private static final int DISCOVERY_PORT_OFFSET = 20;
    /**
     * Hosts started per round of the scan loop before it turns to answers and timers: with thousands allowed in
     * flight, the first hosts move on to their SEQ probes (and finish, and reach the matchers) while the rest are
     * still starting, instead of every host waiting until the last one has sent its discovery SYNs.
     */
    static final int START_BATCH = 64;
    /**
     * Without a rate ceiling, no more hosts start while this many packets wait for the sender thread: the hosts
     * already started get their next probes out between the new hosts' discovery SYNs instead of behind all of them
     * (once starting a host got cheap, one test run saw 1,024 hosts hand over their 2,048 SYNs before the first
     * answer was handled, and the first SEQ1 leave after the last of them). Under a ceiling the hand-over is
     * limited anyway (the backlog).
     */
    static final int START_QUEUE_LIMIT = 2 * START_BATCH;
    private static final int MAX_ANSWERS = 4;
    /** Sends that may fail (e.g. a full device queue) before a host is given up as an error. */
    private static final int MAX_SEND_FAILURES = 5;
    private static final int CLOSED_PORT_MIN = 30000;
    private static final int CLOSED_PORT_SPAN = 14781;
    private static final byte[] DISCOVERY_OPTIONS = {0x02, 0x04, 0x05, (byte) 0xB4};

    private final ScanOptions options;
    /** The plan's TCP probes by source-port offset: an answer's destination port says which probe it answers. */
    private final Map<Integer, ProbeSpec> byOffset = new HashMap<>();
    /** The plan's UDP probes by source-port offset: a port unreachable's quoted source port says which. */
    private final Map<Integer, ProbeSpec> udpByOffset = new HashMap<>();
    /** The plan's echo requests by echo-id offset: a reply's echo id says which. */
    private final Map<Integer, ProbeSpec> echoByOffset = new HashMap<>();
    private final RouteTable routes;
    private final SplittableRandom random;
    private final Map<String, PcapLink> links = new HashMap<>();
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    /** Packets for the sender thread, in the order they are to leave; a host-less one ends it. */
    private final LinkedBlockingQueue<Outgoing> outbox = new LinkedBlockingQueue<>();
    private Thread sender;
    private final LongKeyMap<HostState> byKey = new LongKeyMap<>();
    /** The plan's probe ids and their indexes in it, for each host's per-probe state. */
    private final Map<String, Integer> probeIndex = new HashMap<>();
    private final HostState.Phases phasesWithOpenPort;
    private final HostState.Phases phasesWithoutOpenPort;
    private final Map<Integer, List<HostState>> arpWaiters = new HashMap<>();
    /**
     * The kernel's neighbour entries found so far in this scan, by interface and next hop: read once per next hop,
     * not once per host, as the hosts of a routed range all share one. A miss is read again for the next host.
     */
    private final Map<String, byte[]> neighbors = new HashMap<>();
    private final TimerHeap<Timer> timers = new TimerHeap<>();
    /**
     * The packets-per-second ceiling (null: none), kept by the sender thread right before each send call, on the
     * monotonic clock: what leaves is what the ceiling allows, however late the sender runs. (A bucket on the
     * hand-over instead let a sender that fell behind, descheduled or slowed by the kernel's work on a virtual link,
     * which runs inside its send calls, send what had piled up back to back: 608 packets in one 100 ms under a
     * ceiling of 5,000/s, on a busy 2-core virtual machine.)
     */
    private final Pacer pacer;
    /**
     * Under a ceiling, the most packets waiting in the sender's {@link #outbox}: the bucket's ten milliseconds. The
     * rest wait in {@link #backlog}, where the packets of hosts that finish meanwhile are dropped; every packet that
     * leaves wakes the scheduler (through the inbox) to hand over the next.
     */
    private final int handOverLimit;
    private final ArrayDeque<Pending> backlog = new ArrayDeque<>();
    private RawIpSocket raw;
    private final ScanCounters counters;
    private final LongSupplier wallClock;

    /** What runs when a timer is due, unless its host finished meanwhile. */
    private record Timer(HostState host, Runnable action) {
    }

    public OsScanner(ScanOptions options) throws IOException {
        this(options, new ScanCounters());
    }

    /** A scanner that adds what it does to {@code counters} (shared by the scanners of one agent). */
    public OsScanner(ScanOptions options, ScanCounters counters) throws IOException {
        this(options, counters, OsScanner::now);
    }

    /** A scanner whose wall clock (microseconds since the epoch, for what it records) is {@code wallClock}. */
    OsScanner(ScanOptions options, ScanCounters counters, LongSupplier wallClock) throws IOException {
        this.wallClock = wallClock;
        this.options = options;
        this.counters = counters;
        this.routes = RouteTable.load();
        this.random = new SplittableRandom(options.seed());
        this.pacer = options.maxPacketsPerSecond() > 0 ? new Pacer(options.maxPacketsPerSecond(), monotonicMicros()) : null;
        this.handOverLimit = Math.max(2, options.maxPacketsPerSecond() / 100);
        this.phasesWithOpenPort = phases(options.plan(), true);
        this.phasesWithoutOpenPort = phases(options.plan(), false);
        for (ProbeSpec p : options.plan().probes()) {
            probeIndex.put(p.id(), probeIndex.size());
            switch (p.kind()) {
                case TCP -> byOffset.put(p.srcPortOffset(), p);
                case UDP -> udpByOffset.put(p.srcPortOffset(), p);
                case ICMP_ECHO -> echoByOffset.put(p.icmpIdOffset(), p);
            }
        }
    }

    /** Scans the targets (dotted IPv4 addresses), calling {@code done} for each host as it finishes. */
    public void scan(List<String> targets, Consumer<HostResult> done) {
        scan(targets, done, () -> { });
    }

    /**
     * Scans the targets, calling {@code done} for each host as it finishes and {@code tick} between rounds of the
     * loop (at least every 50 ms), where the caller may do periodic work on this thread. An exception from either
     * ends the scan and is thrown from here.
     */
    public void scan(List<String> targets, Consumer<HostResult> done, Runnable tick) {
        Deque<String> pending = new ArrayDeque<>(targets);
        int[] inFlight = {0};
        Consumer<HostResult> finish = r -> {
            inFlight[0]--;
            counters.hostsInFlight.decrementAndGet();
            done.accept(r);
        };
        sender = new Thread(this::sendLoop, "sender-" + Thread.currentThread().getName());
        sender.setDaemon(true);
        sender.start();
        try {
            while (!pending.isEmpty() || inFlight[0] > 0) {
                int started = 0;
                while (!pending.isEmpty() && inFlight[0] < options.maxHostsInFlight() && started++ < START_BATCH
                        && roomToStart()) {
                    inFlight[0]++;
                    counters.hostsInFlight.incrementAndGet();
                    start(pending.poll(), finish);
                }
                long now = monotonicMicros();
                if (pacer != null) {
                    drainBacklog();
                }
                // Waiting for the sender to make room is no reason to spin: each packet it sends wakes this loop.
                boolean moreToStart = !pending.isEmpty() && inFlight[0] < options.maxHostsInFlight() && roomToStart();
                long waitMicros = moreToStart ? 0
                        : timers.isEmpty() ? 50_000 : Math.min(50_000, Math.max(0, timers.firstDue() - now));
                try {
                    Object item = waitMicros == 0 ? inbox.poll() : inbox.poll(waitMicros, TimeUnit.MICROSECONDS);
                    while (item != null) {
                        receive(item, finish);
                        item = inbox.poll();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                now = monotonicMicros();
                while (!timers.isEmpty() && timers.firstDue() <= now) {
                    Timer t = timers.poll();
                    if (t.host.phase != HostState.Phase.DONE) {
                        t.action.run();
                    }
                }
                tick.run();
            }
        } finally {
            counters.hostsInFlight.addAndGet(-inFlight[0]); // hosts left unfinished when the scan ends early
            stopSender();
        }
    }

    /** Whether a host may start now: always under a ceiling; otherwise while the sender's queue is short. */
    private boolean roomToStart() {
        return pacer != null || outbox.size() < START_QUEUE_LIMIT;
    }

    // ---- host life cycle ----

    private void start(String address, Consumer<HostResult> done) {
        int target;
        RouteTable.Path4 path;
        try {
            target = parse(address);
            path = routes.lookup(target);
        } catch (IllegalArgumentException e) {
            done.accept(new HostResult(address, HostResult.Status.ERROR, e.getMessage(), null));
            return;
        }
        if (path == null) {
            done.accept(new HostResult(address, HostResult.Status.UNREACHABLE, "no route to " + address, null));
            return;
        }
        HostState h = new HostState(address, target, path, probeIndex);
        h.startEpochSeconds = wallClock.getAsLong() / 1_000_000;
        h.values = new HostProbeValues(random.split(), path.source(), target, h.startEpochSeconds);
        try {
            h.link = link(path);
        } catch (Exception e) {
            done.accept(new HostResult(address, HostResult.Status.ERROR,
                    "cannot open " + path.iface() + " for capture: " + e.getMessage(), null));
            return;
        }
        h.onDone = done;
        if (!h.link.needsMac() || path.local()) {
            discovery(h);
            return;
        }
        String neighbor = path.iface() + "/" + path.nextHop();
        byte[] cached = neighbors.get(neighbor);
        if (cached == null) {
            cached = kernelNeighbor(path.nextHop(), path.iface());
            if (cached != null) {
                neighbors.put(neighbor, cached);
            }
        }
        if (cached != null) {
            h.nextHopMac = cached;
            discovery(h);
        } else {
            arpWaiters.computeIfAbsent(path.nextHop(), k -> new ArrayList<>()).add(h);
            askArp(h);
        }
    }

    private void askArp(HostState h) {
        if (h.phase != HostState.Phase.RESOLVING) {
            return;
        }
        if (h.arpTries++ >= 3) {
            arpWaiters.getOrDefault(h.path.nextHop(), List.of()).remove(h);
            finish(h, HostResult.Status.DOWN, "no ARP reply from " + Bytes.ipv4Text(h.path.nextHop()) + " on " + h.path.iface());
            return;
        }
        try {
            h.link.sendArpRequest(h.path.source(), h.path.nextHop());
        } catch (Exception e) {
            finish(h, HostResult.Status.ERROR, "cannot send on " + h.path.iface() + ": " + e.getMessage());
            return;
        }
        at(monotonicMicros() + 300_000, h, () -> askArp(h));
    }

    private void discovery(HostState h) {
        h.phase = HostState.Phase.DISCOVERY;
        h.startDiscovery(options.ports().size());
        for (int i = 0; i < options.ports().size(); i++) {
            byKey.put(Answer.key(h.target, Ipv4.TCP, discoverySource(h, i)), h);
        }
        sendDiscovery(h);
    }

    /** The source port of the discovery SYN to the scan's i-th port. */
    private static int discoverySource(HostState h, int i) {
        return h.values.tcpPortBase + DISCOVERY_PORT_OFFSET + i;
    }

    private void sendDiscovery(HostState h) {
        h.discoveryTries++;
        List<Integer> ports = options.ports();
        for (int i = 0; i < ports.size(); i++) {
            if (h.portStates[i] != HostState.PORT_UNKNOWN) {
                continue;
            }
            PacketBuilder.IpFields ip = new PacketBuilder.IpFields(h.path.source(), h.target, 37 + random.nextInt(23),
                    random.nextInt(0x10000), false, 0);
            byte[] syn = PacketBuilder.tcp(ip, discoverySource(h, i), ports.get(i), random.nextLong() & 0xFFFF_FFFFL, 0, Tcp.SYN,
                    1024, 0, 0, DISCOVERY_OPTIONS);
            int index = i;
            transmit(h, syn, null, (wallMicros, monoMicros) -> {
                h.discoverySentMicros[index] = wallMicros; // against the capture's time of its answer
                takeRtt(h, index);
            });
        }
        at(monotonicMicros() + options.discoveryTimeoutMicros(), h, () -> {
            if (h.phase != HostState.Phase.DISCOVERY) {
                return;
            }
            if (h.portsKnown() < ports.size() && h.discoveryTries < options.discoveryTries()) {
                sendDiscovery(h);
            } else {
                endDiscovery(h);
            }
        });
    }

    private void endDiscovery(HostState h) {
        unregisterDiscoveryKeys(h);
        if (h.portsKnown() == 0) {
            finish(h, HostResult.Status.DOWN, "no response: no answer from any of " + options.ports().size()
                    + " TCP port" + (options.ports().size() == 1 ? "" : "s") + " (down or filtered)");
            return;
        }
        for (int i = 0; i < h.portStates.length; i++) { // the lowest open and the lowest closed port, as Nmap picks
            int port = options.ports().get(i);
            if (port == 0) {
                continue;
            }
            if (h.portStates[i] == HostState.PORT_OPEN && (h.openPort < 0 || port < h.openPort)) {
                h.openPort = port;
            }
            if (h.portStates[i] == HostState.PORT_CLOSED && (h.closedPort < 0 || port < h.closedPort)) {
                h.closedPort = port;
            }
        }
        h.closedKnown = h.closedPort > 0;
        if (!h.closedKnown) {
            h.closedPort = CLOSED_PORT_MIN + random.nextInt(CLOSED_PORT_SPAN);
        }
        h.closedUdpPort = CLOSED_PORT_MIN + random.nextInt(CLOSED_PORT_SPAN);
        // Nmap's first RTT sample (timing.cc adjust_timeouts2): srtt = rtt, rttvar = max(5 ms, min(rtt, 2 s)),
        // timeout = srtt + 4 rttvar, kept between --min-rtt-timeout (100 ms) and --max-rtt-timeout (10 s).
        h.timeoutMicros = h.rttMicros < 0 ? 1_000_000
                : Math.max(100_000, Math.min(10_000_000, h.rttMicros + 4 * Math.max(5_000, Math.min(h.rttMicros, 2_000_000))));
        registerProbeKeys(h);
        h.phases = h.openPort < 0 ? phasesWithoutOpenPort : phasesWithOpenPort;
        nextPhase(h);
    }

    private static HostState.Phases phases(ProbePlan plan, boolean openPort) {
        List<ProbeSpec.Phase> kinds = new ArrayList<>();
        List<List<ProbeSpec>> phases = new ArrayList<>();
        List<ProbeSpec> follow = new ArrayList<>();
        for (ProbeSpec.Phase kind : plan.phaseOrder()) {
            List<ProbeSpec> probes = new ArrayList<>();
            for (ProbeSpec p : plan.probesIn(kind)) {
                if (p.port() == ProbeSpec.PortRole.OPEN_TCP && !openPort) {
                    continue; // without an open port Nmap sends none of SEQ, ECN, T1-T4 (nor TSEQ, first generation)
                }
                probes.add(p);
                if (kind == ProbeSpec.Phase.FOLLOW) {
                    follow.add(p);
                }
            }
            kinds.add(kind);
            phases.add(List.copyOf(probes));
        }
        return new HostState.Phases(List.copyOf(kinds), List.copyOf(phases), List.copyOf(follow));
    }

    /** Starts the plan's next phase, or, once every phase is out, waits one timeout for the last answers. */
    private void nextPhase(HostState h) {
        int i = ++h.phaseIndex;
        if (i == h.phases.kinds().size()) {
            // Only after a SEQ phase: a last FOLLOW phase schedules its own finish check.
            h.phase = HostState.Phase.WAIT;
            at(h.lastSendMono + h.timeoutMicros, h, () -> maybeFinish(h));
            return;
        }
        if (h.phases.kinds().get(i) == ProbeSpec.Phase.SEQ) {
            h.phase = HostState.Phase.SEQ;
            sendSeq(h, h.phases.probes().get(i), 0);
        } else {
            startFollow(h, h.phases.probes().get(i));
        }
    }

    private boolean inLastPhase(HostState h) {
        return h.phaseIndex == h.phases.kinds().size() - 1;
    }

    /**
     * SEQ probe i, then the next one a full spacing after this one actually left (Nmap keeps at least 100 ms
     * between a host's SEQ probes): under load or a rate ceiling the probes drift later, never closer. After the
     * last one the phase ends as soon as it is settled.
     */
    private void sendSeq(HostState h, List<ProbeSpec> seq, int i) {
        if (seq.isEmpty()) {
            nextPhase(h);
            return;
        }
        Runnable afterSend = i < seq.size() - 1
                ? () -> at(h.lastSendMono + options.plan().seqSpacingMicros(), h, () -> sendSeq(h, seq, i + 1))
                : () -> endSeqWhenSettled(h);
        sendProbe(h, seq.get(i), afterSend);
    }

    /**
     * Ends the SEQ phase once every SEQ probe is out and each is answered or has waited its timeout, as Nmap's
     * doSeqTests does: when all are answered, at once (not a spacing after the last one).
     */
    private void endSeqWhenSettled(HostState h) {
        if (h.phase != HostState.Phase.SEQ) {
            return;
        }
        long deadline = 0;
        for (ProbeSpec p : h.phases.probes().get(h.phaseIndex)) {
            HostState.Sent s = h.latest(p.id());
            if (s == null || !s.left()) {
                return; // not all out yet: the last one's leaving asks again
            }
            if (!h.answered(p.id())) {
                deadline = Math.max(deadline, s.leftMono + h.timeoutMicros);
            }
        }
        if (deadline <= monotonicMicros()) {
            nextPhase(h);
        } else {
            at(deadline, h, () -> endSeqWhenSettled(h));
        }
    }

    /**
     * Sends the phase's probes one spacing apart. A probe whose stand-in was already answered (OPS i for SEQ i, T1
     * for SEQ1) takes no turn: Nmap leaves it out of the list it builds when the phase starts (buildTUIProbeList).
     * One whose stand-in is answered later, before its turn, is still skipped then.
     */
    private void startFollow(HostState h, List<ProbeSpec> probes) {
        h.phase = HostState.Phase.FOLLOW;
        long t = monotonicMicros();
        int scheduled = 0;
        for (ProbeSpec p : probes) {
            if (standInAnswered(h, p)) {
                h.skip(p.id());
                continue;
            }
            at(t, h, () -> sendProbe(h, p));
            t += options.plan().followSpacingMicros();
            scheduled++;
        }
        if (inLastPhase(h)) {
            // Late SEQ answers still count; the host is done once every follow-up probe is settled.
            at(t + h.timeoutMicros, h, () -> maybeFinish(h));
        } else if (scheduled == 0) {
            nextPhase(h);
        }
    }

    private static boolean standInAnswered(HostState h, ProbeSpec p) {
        return p.onlyIfUnanswered() != null && h.answered(p.onlyIfUnanswered());
    }

    private void sendProbe(HostState h, ProbeSpec p) {
        sendProbe(h, p, () -> { });
    }

    private void sendProbe(HostState h, ProbeSpec p, Runnable afterSend) {
        if (standInAnswered(h, p)) {
            h.skip(p.id()); // e.g. OPS i when SEQ i was answered, T1 when SEQ1 was
            maybeFinish(h);
            afterSend.run();
            return;
        }
        HostState.Sent previous = h.latest(p.id());
        byte[] bytes = previous != null ? previous.bytes : h.values.build(p, destinationPort(h, p));
        if (previous != null) {
            counters.probesRetransmitted.increment();
        }
        h.transmitted(p.id());
        // The record exists from the hand-over to the sender thread (an answer may be in before word that the probe
        // left); its time is when the packet left, which a rate ceiling may delay: SEQ timing depends on it.
        HostState.Sent s = new HostState.Sent(p.id(), bytes);
        transmit(h, bytes, s, (wallMicros, monoMicros) -> {
            s.micros = wallMicros;
            s.leftMono = monoMicros;
            h.lastSendMono = monoMicros;
            afterSend.run();
            if (p.phase() == ProbeSpec.Phase.FOLLOW) {
                at(monoMicros + h.timeoutMicros, h, () -> {
                    boolean answered = h.answered(p.id());
                    if (!answered && h.transmissions(p.id()) <= options.plan().maxRetransmits()) {
                        sendProbe(h, p);
                    } else {
                        if (!answered && h.latest(p.id()) == s) {
                            h.giveUp(p.id()); // its last transmission waited a full timeout in vain
                        }
                        maybeFinish(h);
                    }
                });
            }
        });
    }

    private void maybeFinish(HostState h) {
        if (h.sendsInFlight > 0) {
            return; // checked again when the last of them has left
        }
        if (h.phase == HostState.Phase.FOLLOW && !inLastPhase(h)) {
            // Nmap 3.x/4.x moves on to its sequence SYNs as soon as every test has its answer or its tries are spent.
            for (ProbeSpec p : h.phases.probes().get(h.phaseIndex)) {
                if (!h.answered(p.id()) && !h.skipped(p.id()) && !h.givenUp(p.id())) {
                    return;
                }
            }
            nextPhase(h);
            return;
        }
        if (h.phase != HostState.Phase.FOLLOW && h.phase != HostState.Phase.WAIT) {
            return;
        }
        if (!h.phases.follow().isEmpty() && monotonicMicros() < h.lastSendMono + h.timeoutMicros) {
            return; // the last packet has not waited its timeout (the usual case: this runs after every send)
        }
        for (ProbeSpec p : h.phases.follow()) {
            boolean settled = h.answered(p.id()) || h.skipped(p.id())
                    || h.transmissions(p.id()) > options.plan().maxRetransmits();
            if (!settled) {
                return;
            }
        }
        Route route = h.path.local() ? Route.LOCALHOST : h.path.onLink() && h.nextHopMac != null ? Route.DIRECT : Route.ROUTED;
        Observation obs = new Observation(h.address, h.openPort, h.closedPort, h.closedKnown, h.closedUdpPort, route,
                route == Route.DIRECT ? h.nextHopMac : null, h.startEpochSeconds, h.records());
        unregisterProbeKeys(h);
        h.phase = HostState.Phase.DONE;
        h.onDone.accept(new HostResult(h.address, HostResult.Status.UP, null, obs));
    }

    private void finish(HostState h, HostResult.Status status, String detail) {
        unregisterProbeKeys(h);
        unregisterDiscoveryKeys(h);
        h.phase = HostState.Phase.DONE;
        h.onDone.accept(new HostResult(h.address, status, detail, null));
    }

    private int destinationPort(HostState h, ProbeSpec p) {
        return switch (p.port()) {
            case OPEN_TCP -> h.openPort;
            case CLOSED_TCP -> h.closedPort;
            case CLOSED_UDP -> h.closedUdpPort;
            case NONE -> 0;
        };
    }

    /** A packet waiting for the rate ceiling. */
    private record Pending(HostState host, byte[] ip, HostState.Sent record, Left sent) {
    }

    /** A packet handed to the sender thread, and what it reports back through the inbox once the packet left. */
    private record Outgoing(HostState host, byte[] ip, Left sent) {
    }

    private record SendDone(Outgoing packet, long wallMicros, long monoMicros, Exception error) {
    }

    /**
     * What a packet's sender is told once it left: the wall-clock time, which the observation records and the
     * capture's timestamps compare with, and the monotonic time, which the scheduler's timers run on.
     */
    @FunctionalInterface
    private interface Left {
        void at(long wallMicros, long monoMicros);
    }

    /**
     * Hands the packet to the sender thread now, or queues it behind the rate ceiling. A probe's {@code record}
     * (null for discovery) joins the host's records at the hand-over; {@code sent} runs with the time the packet
     * left (or, after a failed send the retransmission logic will cover, when the failure is known).
     */
    private void transmit(HostState h, byte[] ip, HostState.Sent record, Left sent) {
        if (pacer != null && (!backlog.isEmpty() || outbox.size() >= handOverLimit)) {
            backlog.add(new Pending(h, ip, record, sent));
            return;
        }
        handOver(h, ip, record, sent);
    }

    private void handOver(HostState h, byte[] ip, HostState.Sent record, Left sent) {
        if (record != null) {
            h.add(record); // from now on an answer can come: it must find its probe
        }
        h.sendsInFlight++;
        outbox.add(new Outgoing(h, ip, sent));
    }

    /** Hands the sender what waits in the backlog, in order, up to the limit; skips hosts that finished meanwhile. */
    private void drainBacklog() {
        while (!backlog.isEmpty() && outbox.size() < handOverLimit) {
            Pending p = backlog.poll();
            if (p.host.phase != HostState.Phase.DONE) {
                handOver(p.host, p.ip, p.record, p.sent);
            }
        }
    }

    /**
     * The sender thread: the send system calls (and, on a virtual link, the kernel's work on the packet, which runs
     * inside them) stay off the scheduler's thread. Each packet's send time goes back through the inbox.
     */
    private void sendLoop() {
        while (true) {
            Outgoing o;
            try {
                o = outbox.take();
            } catch (InterruptedException e) {
                return;
            }
            if (o.host == null) {
                return; // the scan ended
            }
            if (pacer != null && !awaitToken()) {
                return; // interrupted: the scan is being stopped
            }
            Exception error = null;
            try {
                if (o.host.path.local()) {
                    rawSocket().send(o.ip);
                } else {
                    o.host.link.send(o.ip, o.host.nextHopMac);
                }
            } catch (Exception e) {
                error = e;
            }
            inbox.add(new SendDone(o, wallClock.getAsLong(), monotonicMicros(), error));
        }
    }

    /** Waits until the ceiling lets one more packet onto the wire and takes its token; false if interrupted. */
    private boolean awaitToken() {
        long t = monotonicMicros();
        while (!pacer.tryTake(t)) {
            LockSupport.parkNanos((pacer.nextMicros(t) - t) * 1000);
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            t = monotonicMicros();
        }
        return true;
    }

    private static long monotonicMicros() {
        return System.nanoTime() / 1000;
    }

    /** Word from the sender thread that a packet left (or could not). */
    private void sendDone(SendDone d) {
        HostState h = d.packet.host;
        h.sendsInFlight--;
        if (h.phase == HostState.Phase.DONE) {
            return;
        }
        if (d.error == null) {
            counters.probesSent.increment();
        } else if (++h.sendFailures >= MAX_SEND_FAILURES) {
            finish(h, HostResult.Status.ERROR, "cannot send on " + h.path.iface() + ": " + d.error.getMessage());
            return;
        } // else counted as a lost probe: the retransmission logic covers it
        d.packet.sent.at(d.wallMicros, d.monoMicros);
        if (h.phase == HostState.Phase.DISCOVERY) {
            maybeEndDiscovery(h);
        } else if (h.phase == HostState.Phase.FOLLOW || h.phase == HostState.Phase.WAIT) {
            maybeFinish(h);
        }
    }

    // ---- answers ----

    private void registerProbeKeys(HostState h) {
        for (int off = 0; off < DISCOVERY_PORT_OFFSET; off++) {
            byKey.put(Answer.key(h.target, Ipv4.TCP, h.values.tcpPortBase + off), h);
        }
        for (int off : echoByOffset.keySet()) {
            byKey.put(Answer.key(h.target, Ipv4.ICMP, (h.values.echoId + off) & 0xFFFF), h);
        }
        for (int off : udpByOffset.keySet()) {
            byKey.put(Answer.key(h.target, Ipv4.UDP, h.values.udpPortBase + off), h);
        }
    }

    private void unregisterDiscoveryKeys(HostState h) {
        if (h.portStates == null) {
            return; // discovery never started
        }
        for (int i = 0; i < h.portStates.length; i++) {
            byKey.remove(Answer.key(h.target, Ipv4.TCP, discoverySource(h, i)), h);
        }
    }

    private void unregisterProbeKeys(HostState h) {
        if (h.values == null) {
            return;
        }
        for (int off = 0; off < DISCOVERY_PORT_OFFSET; off++) {
            byKey.remove(Answer.key(h.target, Ipv4.TCP, h.values.tcpPortBase + off), h);
        }
        for (int off : echoByOffset.keySet()) {
            byKey.remove(Answer.key(h.target, Ipv4.ICMP, (h.values.echoId + off) & 0xFFFF), h);
        }
        for (int off : udpByOffset.keySet()) {
            byKey.remove(Answer.key(h.target, Ipv4.UDP, h.values.udpPortBase + off), h);
        }
    }

    private void receive(Object item, Consumer<HostResult> done) {
        if (item instanceof SendDone d) {
            sendDone(d);
            return;
        }
        if (item instanceof PcapLink.ArpReply arp) {
            List<HostState> waiting = arpWaiters.remove(arp.ip());
            if (waiting != null) {
                for (HostState h : waiting) {
                    if (h.phase == HostState.Phase.RESOLVING) {
                        h.nextHopMac = arp.mac();
                        discovery(h);
                    }
                }
            }
            return;
        }
        PcapLink.Received r = (PcapLink.Received) item;
        Answer a = Answer.of(r.ip());
        HostState h = a == null ? null : byKey.get(a.key());
        if (h == null) {
            return;
        }
        switch (a.protocol()) {
            case Ipv4.TCP -> tcpAnswer(h, a.tcp(), r);
            case Ipv4.ICMP -> {
                // The plan's echo probes by id offset (IE1, IE2 in the second generation).
                ProbeSpec echo = echoByOffset.get((a.port() - h.values.echoId) & 0xFFFF);
                if (echo != null) {
                    answer(h, echo.id(), r);
                }
            }
            default -> {
                // The plan's UDP probes by source-port offset (U1, or the first generation's PU).
                ProbeSpec udp = udpByOffset.get(a.port() - h.values.udpPortBase);
                if (udp != null) {
                    answer(h, udp.id(), r);
                }
            }
        }
    }

    private void tcpAnswer(HostState h, Tcp t, PcapLink.Received r) {
        int port = t.dstPort();
        int i = port - h.values.tcpPortBase - DISCOVERY_PORT_OFFSET;
        if (h.phase == HostState.Phase.DISCOVERY && i >= 0 && i < h.portStates.length) {
            if (t.srcPort() == options.ports().get(i) && h.portStates[i] == HostState.PORT_UNKNOWN) {
                if (t.has(Tcp.SYN) && t.has(Tcp.ACK)) {
                    h.portStates[i] = HostState.PORT_OPEN;
                } else if (t.has(Tcp.RST)) {
                    h.portStates[i] = HostState.PORT_CLOSED;
                } else {
                    return;
                }
                h.discoveryAnsweredMicros[i] = r.micros();
                takeRtt(h, i);
                maybeEndDiscovery(h);
            }
            return;
        }
        ProbeSpec probe = byOffset.get(port - h.values.tcpPortBase);
        // Only the probed port answers a probe: on loopback our own outgoing probes are captured too.
        if (probe != null && t.srcPort() == destinationPort(h, probe)) {
            answer(h, probe.id(), r);
        }
    }

    /**
     * The host's first RTT: from the first discovery answer and its SYN's send time, once both are known (the
     * answer can be in before word that the SYN left).
     */
    private static void takeRtt(HostState h, int i) {
        long sentAt = h.discoverySentMicros[i];
        long answeredAt = h.discoveryAnsweredMicros[i];
        if (sentAt != 0 && answeredAt != 0 && h.rttMicros < 0) {
            h.rttMicros = Math.max(1, answeredAt - sentAt);
        }
    }

    /** Ends discovery once every probed port answered and every discovery SYN is reported sent. */
    private void maybeEndDiscovery(HostState h) {
        if (h.phase == HostState.Phase.DISCOVERY && h.sendsInFlight == 0
                && h.portsKnown() == h.portStates.length) {
            endDiscovery(h);
        }
    }

    private void answer(HostState h, String id, PcapLink.Received r) {
        HostState.Sent s = h.latest(id);
        if (s == null || s.answerCount() >= MAX_ANSWERS) {
            return; // Nmap uses the first answer; a flood of copies must not grow the observation
        }
        s.addAnswer(new Capture(r.ip(), r.micros()));
        counters.answersReceived.increment();
        h.markAnswered(id);
        if (h.phase == HostState.Phase.SEQ) {
            endSeqWhenSettled(h);
        } else if (h.phase == HostState.Phase.FOLLOW && !inLastPhase(h)) {
            maybeFinish(h);
        } else if (h.phase == HostState.Phase.FOLLOW && !h.finishCheckPending) {
            h.finishCheckPending = true;
            at(h.lastSendMono + h.timeoutMicros, h, () -> {
                h.finishCheckPending = false;
                maybeFinish(h);
            });
        }
    }

    // ---- plumbing ----

    private void stopSender() {
        if (sender == null) {
            return;
        }
        outbox.clear();
        outbox.add(new Outgoing(null, null, null));
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender = null;
        backlog.clear();
    }

    private RawIpSocket rawSocket() throws IOException {
        if (raw == null) {
            raw = RawIpSocket.open();
        }
        return raw;
    }

    private PcapLink link(RouteTable.Path4 path) throws Exception {
        PcapLink l = links.get(path.iface());
        if (l == null) {
            String src = Bytes.ipv4Text(path.source());
            String filter = "arp or (dst host " + src + " and ((tcp and dst portrange 33000-65535) or icmp))";
            l = PcapLink.open(path.iface(), filter, inbox::add, inbox::add);
            links.put(path.iface(), l);
        }
        return l;
    }

    /** The kernel's own neighbour entry, if it has one (saves an ARP round trip). */
    private static byte[] kernelNeighbor(int ip, String iface) {
        try {
            String want = Bytes.ipv4Text(ip);
            for (String line : Files.readAllLines(Path.of("/proc/net/arp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 6 && f[0].equals(want) && f[5].equals(iface) && !f[2].equals("0x0")) {
                    String[] hex = f[3].split(":");
                    byte[] mac = new byte[6];
                    for (int i = 0; i < 6; i++) {
                        mac[i] = (byte) Integer.parseInt(hex[i], 16);
                    }
                    return mac;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /**
     * Runs {@code action} at {@code monoMicros} on the monotonic clock ({@link #monotonicMicros}), unless the host
     * is done by then. The timers never read the wall clock: were it stepped back (NTP at a sensor's boot, an
     * operator's date), timers on it would wait the step's length, and stepped forward they would all fire at once.
     */
    private void at(long monoMicros, HostState h, Runnable action) {
        timers.add(monoMicros, new Timer(h, action));
    }

    /** The wall clock in microseconds since the epoch: what the observation records, as libpcap's timestamps are. */
    static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
    }

    private static int parse(String dotted) {
        return (int) AddressBlock.address(dotted, dotted);
    }

    @Override
    public void close() {
        stopSender();
        for (PcapLink l : links.values()) {
            long dropped = l.dropped();
            if (dropped > 0) {
                LOG.warn("the capture on {} dropped {} packets: answers from some hosts may be missing", l.iface(), dropped);
            }
            l.close();
        }
        links.clear();
        if (raw != null) {
            raw.close();
        }
    }
}
