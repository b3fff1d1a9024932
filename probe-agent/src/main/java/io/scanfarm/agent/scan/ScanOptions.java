package io.scanfarm.agent.scan;

import io.scanfarm.agent.plan.ProbePlan;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What the scanner needs besides targets: the TCP ports to look for an open and a closed one among (in order of
 * preference, lowest open and lowest closed win as in Nmap), the probe plan, how long discovery waits and how
 * many hosts are probed at once, and the packets-per-second ceiling (0 for none).
 */
public record ScanOptions(List<Integer> ports, ProbePlan plan, long discoveryTimeoutMicros, int discoveryTries,
                          int maxHostsInFlight, long seed, int maxPacketsPerSecond) {

    /** Without a packet rate ceiling. */
    public ScanOptions(List<Integer> ports, ProbePlan plan, long discoveryTimeoutMicros, int discoveryTries,
                       int maxHostsInFlight, long seed) {
        this(ports, plan, discoveryTimeoutMicros, discoveryTries, maxHostsInFlight, seed, 0);
    }

    public ScanOptions {
        ports = List.copyOf(new LinkedHashSet<>(ports)); // a port listed twice is probed once
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("at least one TCP port is needed");
        }
    }
}
