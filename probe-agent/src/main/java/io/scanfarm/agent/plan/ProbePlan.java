package io.scanfarm.agent.plan;

import io.scanfarm.agent.plan.ProbeSpec.Phase;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A probe sequence as data: the probes, which phase is sent first, the spacing of the SEQ probes, the spacing of
 * the others, how long to wait for an answer and how often to resend an unanswered follow-up probe. The
 * scheduler that sends and the capture loop that receives know nothing else about what a probe means.
 *
 * <p>Phases go in {@code phaseOrder}: a SEQ phase ends one SEQ spacing after its last probe left; a FOLLOW phase
 * that is not the last ends as soon as each of its probes is answered, skipped or given up. Nmap 7 sends SEQ
 * first; Nmap 3.x/4.x sent T1-T7 and PU first and the sequence SYNs after them.
 */
public record ProbePlan(String name, List<ProbeSpec> probes, List<Phase> phaseOrder, long seqSpacingMicros,
                        long followSpacingMicros, long timeoutMicros, int maxRetransmits) {

    public ProbePlan {
        probes = List.copyOf(probes);
        phaseOrder = List.copyOf(phaseOrder);
        Set<Phase> seen = EnumSet.noneOf(Phase.class);
        for (Phase ph : phaseOrder) {
            if (!seen.add(ph)) {
                throw new IllegalArgumentException("phase " + ph + " is listed twice in plan " + name);
            }
        }
        Set<String> ids = new HashSet<>();
        for (ProbeSpec p : probes) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("probe " + p.id() + " is listed twice in plan " + name);
            }
            if (!seen.contains(p.phase())) {
                throw new IllegalArgumentException("probe " + p.id() + " is in phase " + p.phase()
                        + ", which plan " + name + " never sends");
            }
        }
    }

    public ProbeSpec probe(String id) {
        for (ProbeSpec p : probes) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }

    /** The probes of one phase, in plan order. */
    public List<ProbeSpec> probesIn(Phase phase) {
        List<ProbeSpec> out = new ArrayList<>();
        for (ProbeSpec p : probes) {
            if (p.phase() == phase) {
                out.add(p);
            }
        }
        return out;
    }

    /** Every probe in the order it is first sent: phase by phase, plan order within a phase. */
    public List<ProbeSpec> sendOrder() {
        List<ProbeSpec> out = new ArrayList<>();
        for (Phase ph : phaseOrder) {
            out.addAll(probesIn(ph));
        }
        return out;
    }
}
