package io.scanfarm.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.agent.plan.NmapSecondGenerationPlan;
import io.scanfarm.matcher.observation.ProbeRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's timers run on the monotonic clock: a wall clock stepped back an hour in the middle of a scan (NTP
 * at a sensor's boot, say) changes the times the observation records and nothing else. Real packets on loopback.
 */
class OsScannerClockTest {

    private static final long HOUR_MICROS = 3_600_000_000L;

    @Test
    void aWallClockSteppedBackAnHourMidScanNeitherStallsTheScanNorLosesAProbe() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: needs root for raw packets on loopback (CI runs as root)");
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            // Reads: the host's start, its two discovery SYNs leaving; from the first SEQ probe on, an hour earlier.
            AtomicInteger reads = new AtomicInteger();
            LongSupplier steppedBack = () -> OsScanner.now() - (reads.incrementAndGet() > 3 ? HOUR_MICROS : 0);
            long realStart = OsScanner.now();
            HostResult r = scanLoopback(open, steppedBack);
            Set<String> sent = new TreeSet<>();
            for (ProbeRecord p : r.observation().probes()) {
                sent.add(p.id());
            }
            assertTrue(sent.containsAll(Set.of("SEQ1", "SEQ2", "SEQ3", "SEQ4", "SEQ5", "SEQ6", "IE1", "IE2", "U1",
                    "ECN", "T2", "T3", "T4", "T5", "T6", "T7")), "every probe went out: " + sent);
            // The step did happen: what left after it is recorded an hour back, with the SEQ probes still 100 ms apart.
            ProbeRecord seq1 = record(r, "SEQ1");
            ProbeRecord seq2 = record(r, "SEQ2");
            assertTrue(seq1.sentMicros() < realStart - HOUR_MICROS / 2, "SEQ1 recorded at " + seq1.sentMicros());
            long spacing = seq2.sentMicros() - seq1.sentMicros();
            assertTrue(spacing >= 100_000 && spacing < 1_000_000, "SEQ1 to SEQ2: " + spacing + " us");
        }
    }

    /**
     * The SEQ phase's end when some SEQ probe goes unanswered: it waits one timeout after the last one left, on the
     * monotonic clock. Once discovery has found the open port, the listener's accept queue is filled, so the target's
     * kernel drops every later SYN to it (Linux's listen overflow): no SEQ probe is answered.
     */
    @Test
    void unansweredSeqProbesEndTheirPhaseOneTimeoutLaterWhateverTheWallClockDoes() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: needs root for raw packets on loopback (CI runs as root)");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<Socket> queued = new CopyOnWriteArrayList<>(); // filled on the sender thread, closed on this one
        try (ServerSocket open = new ServerSocket(0, 1, loopback)) {
            AtomicInteger reads = new AtomicInteger();
            AtomicReference<RuntimeException> fillFailed = new AtomicReference<>();
            LongSupplier steppedBack = () -> {
                int read = reads.incrementAndGet();
                // Read 3 (on the sender thread): both discovery SYNs have left, and on loopback the open port has
                // normally answered inside the send call already (the assertion on the open port below says if not).
                if (read == 3) {
                    try {
                        fillAcceptQueue(open, queued);
                    } catch (RuntimeException e) {
                        fillFailed.set(e); // thrown here it would end the sender thread, and the scan would hang
                    }
                }
                return OsScanner.now() - (read > 3 ? HOUR_MICROS : 0);
            };
            HostResult r = scanLoopback(open, steppedBack);
            if (fillFailed.get() != null) {
                throw fillFailed.get();
            }
            assertEquals(open.getLocalPort(), r.observation().openTcpPort(),
                    "discovery found no open port: its SYN met the full accept queue");
            long lastSeq = Long.MIN_VALUE;
            for (int i = 1; i <= 6; i++) {
                ProbeRecord seq = record(r, "SEQ" + i);
                assertTrue(seq.responses().isEmpty(), "SEQ" + i + " was answered: the accept queue was not full");
                lastSeq = Math.max(lastSeq, seq.sentMicros());
            }
            long firstAfter = Long.MAX_VALUE;
            for (ProbeRecord p : r.observation().probes()) {
                if (!p.id().startsWith("SEQ")) {
                    firstAfter = Math.min(firstAfter, p.sentMicros());
                }
            }
            // Loopback's round trip gives Nmap's least timeout, 100 ms: the phase waits that long, and not an hour.
            long gap = firstAfter - lastSeq;
            assertTrue(gap >= 100_000 && gap < 5_000_000, "last SEQ probe to the next probe: " + gap + " us");
        } finally {
            for (Socket s : queued) {
                s.close();
            }
        }
    }

    /** Scans 127.0.0.1 (ports: {@code open}'s and 1) with {@code wallClock}; the host must come out up, in 30 s. */
    private static HostResult scanLoopback(ServerSocket open, LongSupplier wallClock) {
        ScanOptions options = new ScanOptions(List.of(open.getLocalPort(), 1), NmapSecondGenerationPlan.create(),
                1_000_000, 2, 4, 42);
        List<HostResult> results = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (OsScanner scanner = new OsScanner(options, new ScanCounters(), wallClock)) {
                scanner.scan(List.of("127.0.0.1"), results::add);
            }
        }, "the scan waited for the wall clock to catch up");
        assertEquals(1, results.size());
        HostResult r = results.get(0);
        assertEquals(HostResult.Status.UP, r.status(), r.detail());
        assertNotNull(r.observation());
        return r;
    }

    /** Connects until the listener's accept queue is full, that is until a connection no longer completes. */
    private static void fillAcceptQueue(ServerSocket listener, List<Socket> queued) {
        for (int i = 0; i < 4; i++) {
            Socket s = new Socket();
            queued.add(s);
            try {
                // Long enough for a connection that can complete on a busy machine, shorter than the kernel's 1 s
                // before it sends a dropped SYN again.
                s.connect(listener.getLocalSocketAddress(), 800);
            } catch (IOException e) {
                return; // its SYN was dropped: the queue is full
            }
        }
        throw new IllegalStateException("the accept queue of a listener with backlog 1 took 4 connections");
    }

    private static ProbeRecord record(HostResult r, String id) {
        return r.observation().probes().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }
}
