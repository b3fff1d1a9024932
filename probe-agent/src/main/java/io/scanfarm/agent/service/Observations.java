package io.scanfarm.agent.service;

import io.scanfarm.agent.scan.HostResult;
import io.scanfarm.matcher.service.ObservationCodec;
import io.scanfarm.proto.HostObservation;
import io.scanfarm.proto.HostStatus;

/** The wire form of how probing a host ended; the caller adds scan, job and agent fields. */
public final class Observations {

    private Observations() {
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
