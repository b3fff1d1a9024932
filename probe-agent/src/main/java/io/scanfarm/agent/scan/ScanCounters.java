package io.scanfarm.agent.scan;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a scanner has done so far, for metrics: probes sent (discovery SYNs included), of which retransmissions,
 * answers tied to a probe, and hosts in flight. Written by the scanner's thread, read by any.
 */
public final class ScanCounters {

    public final LongAdder probesSent = new LongAdder();
    public final LongAdder probesRetransmitted = new LongAdder();
    public final LongAdder answersReceived = new LongAdder();
    public final AtomicInteger hostsInFlight = new AtomicInteger();
}
