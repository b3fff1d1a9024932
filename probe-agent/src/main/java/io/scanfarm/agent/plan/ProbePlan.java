package io.scanfarm.agent.plan;

import java.util.List;

/**
 * A probe sequence as data: the probes in send order, the spacing of the SEQ probes, the spacing of the others,
 * how long to wait for an answer and how often to resend an unanswered follow-up probe. The scheduler that
 * sends and the capture loop that receives know nothing else about what a probe means.
 */
public record ProbePlan(String name, List<ProbeSpec> probes, long seqSpacingMicros, long followSpacingMicros,
                        long timeoutMicros, int maxRetransmits) {

    public ProbePlan {
        probes = List.copyOf(probes);
    }

    public ProbeSpec probe(String id) {
        for (ProbeSpec p : probes) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }
}
