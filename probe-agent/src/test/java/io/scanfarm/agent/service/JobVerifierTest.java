package io.scanfarm.agent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.proto.ScanJob;
import io.scanfarm.wire.JobSignature;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobVerifierTest {

    private static final KeyPair ISSUER = JobSignature.generate();
    private static final long NOW = 1_800_000_000_000L;

    private static ScanJob.Builder job(String id) {
        return ScanJob.newBuilder().setSchemaVersion(1).setScanId("s").setJobId(id).setSegment("lab").addTargets("198.18.16.1")
                .setCreatedAtMs(NOW - 1000).setExpiresAtMs(NOW + 3_600_000);
    }

    private static String refusal(JobVerifier v, ScanJob j) {
        return v.refusal(j, NOW, "jobs/0@" + j.getJobId().hashCode());
    }

    @Test
    void aJobSignedByATrustedKeyRuns() {
        assertNull(refusal(JobVerifier.trusting(List.of(ISSUER.getPublic())), JobSignature.sign(job("j1").build(), ISSUER)));
    }

    @Test
    void forgedAlteredExpiredFutureAndUnsignedJobsAreRefusedWithTheirReason() {
        JobVerifier v = JobVerifier.trusting(List.of(ISSUER.getPublic()));
        String forged = refusal(v, JobSignature.sign(job("j2").build(), JobSignature.generate()));
        assertTrue(forged.startsWith("signed by an unknown key"), forged);
        ScanJob altered = JobSignature.sign(job("j3").build(), ISSUER).toBuilder().setTargets(0, "10.0.0.0/8").build();
        assertTrue(refusal(v, altered).startsWith("bad signature"), refusal(v, altered));
        String expired = refusal(v, JobSignature.sign(job("j4").setExpiresAtMs(NOW - 60_000).build(), ISSUER));
        assertEquals("expired 60 s ago", expired);
        String future = refusal(v, JobSignature.sign(job("j5").setCreatedAtMs(NOW + 3_600_000).setExpiresAtMs(NOW + 7_200_000).build(), ISSUER));
        assertEquals("created 3600 s in the future", future);
        assertTrue(refusal(v, job("j6").build()).startsWith("unsigned job"));
        assertEquals("the job has no expiry", refusal(v, JobSignature.sign(job("j7").setExpiresAtMs(0).build(), ISSUER)));
        assertEquals("unknown-key", JobVerifier.reasonTag(forged));
        assertEquals("expired", JobVerifier.reasonTag(expired));
        assertEquals("not-yet-valid", JobVerifier.reasonTag(future));
    }

    @Test
    void aJobIdFromAnotherRecordIsAReplayButTheSameRecordReadAgainIsNot() {
        JobVerifier v = JobVerifier.trusting(List.of(ISSUER.getPublic()));
        ScanJob j = JobSignature.sign(job("j8").build(), ISSUER);
        assertNull(v.refusal(j, NOW, "scanfarm.jobs.lab/0@5"));
        assertNull(v.refusal(j, NOW, "scanfarm.jobs.lab/0@5"), "read again after an aborted transaction: the same job");
        String replay = v.refusal(j, NOW, "scanfarm.jobs.lab/1@9");
        assertEquals("replay: job j8 was already run (from scanfarm.jobs.lab/0@5)", replay);
        assertEquals("replay", JobVerifier.reasonTag(replay));
    }

    @Test
    void unsignedJobsRunOnlyWhereAcceptedAndSignedOnesMustStillVerify() {
        JobVerifier open = JobVerifier.acceptingUnsigned(List.of());
        assertNull(refusal(open, job("j9").build()));
        assertTrue(refusal(open, JobSignature.sign(job("j10").build(), ISSUER)).startsWith("signed by an unknown key"));
        assertTrue(refusal(open, job("j11").setExpiresAtMs(NOW - 1).build()).startsWith("expired"), "unsigned jobs expire too");
        assertThrows(IllegalArgumentException.class, () -> JobVerifier.trusting(List.of()), "no keys and no unsigned: nothing would run");
    }
}
