package io.scanfarm.matcher.observation;

import java.util.List;

/**
 * Everything probing a host produced, raw: the ports used, how the host was reached and each probe with its
 * responses. A fingerprint is computed from this alone, so it can be recomputed later without probing again.
 *
 * @param target           the target's IPv4 address in dotted form
 * @param openTcpPort      the open TCP port probed, or -1 when none was found
 * @param closedTcpPort    the closed TCP port probed, or -1
 * @param closedTcpKnown   whether the closed TCP port was seen closed (else it was a guess; Nmap then omits
 *                         unanswered T5-T7 and leaves CT empty)
 * @param closedUdpPort    the UDP port U1 was sent to, or -1
 * @param route            how the target was reached
 * @param targetMac        the target's MAC when on a directly attached Ethernet link, else null
 * @param startEpochSeconds when the scan of this host started (the SCAN line's D and TM)
 * @param probes           the probes in send order
 */
public record Observation(String target, int openTcpPort, int closedTcpPort, boolean closedTcpKnown,
                          int closedUdpPort, Route route, byte[] targetMac, long startEpochSeconds,
                          List<ProbeRecord> probes) {

    public Observation {
        probes = List.copyOf(probes);
    }
}
