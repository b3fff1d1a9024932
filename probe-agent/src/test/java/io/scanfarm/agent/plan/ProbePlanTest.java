package io.scanfarm.agent.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.scanfarm.agent.plan.ProbeSpec.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A plan says its phase order once; the order it sends in follows from it, and a plan that cannot be sent is refused. */
class ProbePlanTest {

    @Test
    void sendOrderFollowsThePhaseOrderNotTheListing() {
        ProbePlan plan = plan(List.of(Phase.FOLLOW, Phase.SEQ), List.of(probe("S1", Phase.SEQ), probe("F1", Phase.FOLLOW),
                probe("S2", Phase.SEQ), probe("F2", Phase.FOLLOW)));
        assertEquals(List.of("F1", "F2", "S1", "S2"), plan.sendOrder().stream().map(ProbeSpec::id).toList());
        ProbePlan reversed = plan(List.of(Phase.SEQ, Phase.FOLLOW), plan.probes());
        assertEquals(List.of("S1", "S2", "F1", "F2"), reversed.sendOrder().stream().map(ProbeSpec::id).toList());
    }

    @Test
    void aProbeInAPhaseThePlanNeverSendsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> plan(List.of(Phase.SEQ), List.of(probe("F1", Phase.FOLLOW))));
    }

    @Test
    void aPhaseListedTwiceIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> plan(List.of(Phase.SEQ, Phase.FOLLOW, Phase.SEQ), List.of(probe("S1", Phase.SEQ))));
    }

    private static ProbePlan plan(List<Phase> order, List<ProbeSpec> probes) {
        return new ProbePlan("TEST", probes, order, 100_000, 0, 1_000_000, 1);
    }

    private static ProbeSpec probe(String id, Phase phase) {
        return new ProbeSpec(id, phase, ProbeSpec.Kind.TCP, ProbeSpec.PortRole.OPEN_TCP, 0, 2, 1024, new byte[0], 0, 0,
                0, false, false, 0, 0, 0, 0, 0, 0, -1, false, null);
    }
}
