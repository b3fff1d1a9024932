package io.scanfarm.agent.service;

import io.scanfarm.agent.scan.HostResult;
import io.scanfarm.matcher.service.ObservationCodec;
import io.scanfarm.proto.HostObservation;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.ScanJob;
import io.scanfarm.wire.Topics;

/** The wire form of how probing a host ended, and the job fields every observation carries. */
public final class Observations {

    private Observations() {
    }

    /**
     * Stamps an observation with the job it belongs to and who probed it. The profile is copied as its number: a
     * profile added after this agent was built must not make every observation of the job fail.
     */
    public static HostObservation.Builder forJob(HostObservation.Builder o, ScanJob job, String agentId, String segment) {
        return o.setSchemaVersion(Topics.SCHEMA_VERSION).setScanId(job.getScanId()).setJobId(job.getJobId())
                .setAgentId(agentId).setSegment(segment).setProfileValue(job.getProfileValue());
    }

    public static HostObservation.Builder of(HostResult h) {
        if (h.status() == HostResult.Status.UP) {
            return ObservationCodec.toWire(h.observation()).setStatus(HostStatus.UP);
        }
        return HostObservation.newBuilder().setTarget(h.address()).setStatus(switch (h.status()) {
            case DOWN -> HostStatus.DOWN;
            case UNREACHABLE -> HostStatus.UNREACHABLE;
            default -> HostStatus.ERROR;
        }).setStatusDetail(h.detail() == null ? "" : h.detail());
    }
}
