package io.scanfarm.agent.scan;

import io.scanfarm.agent.plan.ProbePlan;
import java.util.List;

/**
 * What the scanner needs besides targets: the TCP ports to look for an open and a closed one among (in order of
 * preference, lowest open and lowest closed win as in Nmap), the probe plan, how long discovery waits and how
 * many hosts are probed at once.
 */
public record ScanOptions(List<Integer> ports, ProbePlan plan, long discoveryTimeoutMicros, int discoveryTries,
                          int maxHostsInFlight, long seed) {

    public ScanOptions {
        ports = List.copyOf(ports);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("at least one TCP port is needed");
        }
    }
}
