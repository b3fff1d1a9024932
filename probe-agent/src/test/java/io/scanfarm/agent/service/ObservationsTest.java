package io.scanfarm.agent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scanfarm.proto.HostObservation;
import io.scanfarm.proto.ProbeProfile;
import io.scanfarm.proto.ScanJob;
import org.junit.jupiter.api.Test;

class ObservationsTest {

    @Test
    void aJobProfileThisAgentDoesNotKnowIsCopiedAsItsNumber() throws Exception {
        // setProfile(UNRECOGNIZED) threw IllegalArgumentException for every observation of such a job, and again
        // while the agent failed the job, which ended the agent's thread: a poison job for each agent after it.
        ScanJob job = ScanJob.newBuilder().setScanId("s").setJobId("j").setProfileValue(7).build();
        HostObservation o = Observations.forJob(HostObservation.newBuilder().setTarget("198.18.1.2"), job, "a1", "lab").build();
        assertEquals(7, o.getProfileValue());
        assertEquals(HostObservation.parseFrom(o.toByteArray()), o);
    }

    @Test
    void aKnownProfileIsCopied() {
        ScanJob job = ScanJob.newBuilder().setJobId("j").setProfile(ProbeProfile.NMAP1).build();
        assertEquals(ProbeProfile.NMAP1, Observations.forJob(HostObservation.newBuilder(), job, "a1", "lab").getProfile());
    }
}
