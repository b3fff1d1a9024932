package io.scanfarm.agent.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The second-generation plan sends exactly what it sent before plans chose their phase order: same probes in the
 * same order, same spacing and retries, and, from the same random stream, the same bytes (the digest was taken
 * from the code before the first-generation plan existed).
 */
class NmapSecondGenerationPlanBytesTest {

    @Test
    void sendOrderIsSeqFirstThenNmapsFollowUps() {
        ProbePlan plan = NmapSecondGenerationPlan.create();
        assertEquals(List.of("SEQ1", "SEQ2", "SEQ3", "SEQ4", "SEQ5", "SEQ6", "IE1", "IE2", "U1", "OPS1", "OPS2", "OPS3",
                "OPS4", "OPS5", "OPS6", "ECN", "T1", "T2", "T3", "T4", "T5", "T6", "T7"),
                plan.sendOrder().stream().map(ProbeSpec::id).toList());
        assertEquals(List.of(ProbeSpec.Phase.SEQ, ProbeSpec.Phase.FOLLOW), plan.phaseOrder());
        assertEquals(100_000, plan.seqSpacingMicros());
        assertEquals(25_000, plan.followSpacingMicros());
        assertEquals(3, plan.maxRetransmits());
    }

    @Test
    void bytesFromASeededStreamAreUnchanged() throws Exception {
        HostProbeValues values = new HostProbeValues(new Random(20240611L), 0xC6120101, 0xC6120102, 1_764_000_000L);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (ProbeSpec p : NmapSecondGenerationPlan.create().probes()) {
            sha.update(values.build(p, p.port() == ProbeSpec.PortRole.CLOSED_TCP ? 1 : p.port() == ProbeSpec.PortRole.CLOSED_UDP ? 40125 : 80));
        }
        assertEquals(GOLDEN, HexFormat.of().formatHex(sha.digest()));
    }

    private static final String GOLDEN = "6d98db3c61e2319a82441238589a065c4e33e3617c994fd5e306dcb3f56dcc30";
}
