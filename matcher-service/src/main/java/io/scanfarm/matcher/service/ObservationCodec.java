package io.scanfarm.matcher.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.ProbeRecord;
import io.scanfarm.matcher.observation.Route;
import io.scanfarm.proto.HostObservation;
import io.scanfarm.proto.Probe;
import java.util.ArrayList;
import java.util.List;

/** Between the wire's HostObservation and the engine's Observation; both carry the same raw packets. */
public final class ObservationCodec {

    private ObservationCodec() {
    }

    public static Observation toEngine(HostObservation o) {
        List<ProbeRecord> probes = new ArrayList<>();
        for (Probe p : o.getProbesList()) {
            List<Capture> captures = new ArrayList<>();
            p.getResponsesList().forEach(c -> captures.add(new Capture(c.getPacket().toByteArray(), c.getMicros())));
            probes.add(new ProbeRecord(p.getId(), p.getSent().toByteArray(), p.getSentMicros(), captures));
        }
        Route route = switch (o.getRoute()) {
            case LOCALHOST -> Route.LOCALHOST;
            case DIRECT -> Route.DIRECT;
            default -> Route.ROUTED;
        };
        return new Observation(o.getTarget(), o.getOpenTcpPort(), o.getClosedTcpPort(), o.getClosedTcpKnown(),
                o.getClosedUdpPort(), route, o.getTargetMac().isEmpty() ? null : o.getTargetMac().toByteArray(),
                o.getStartEpochSeconds(), probes);
    }

    /** The wire form of an engine observation; the caller adds scan, job, agent and status fields. */
    public static HostObservation.Builder toWire(Observation o) {
        HostObservation.Builder b = HostObservation.newBuilder()
                .setTarget(o.target())
                .setOpenTcpPort(o.openTcpPort())
                .setClosedTcpPort(o.closedTcpPort())
                .setClosedTcpKnown(o.closedTcpKnown())
                .setClosedUdpPort(o.closedUdpPort())
                .setRoute(switch (o.route()) {
                    case LOCALHOST -> io.scanfarm.proto.Route.LOCALHOST;
                    case DIRECT -> io.scanfarm.proto.Route.DIRECT;
                    case ROUTED -> io.scanfarm.proto.Route.ROUTED;
                })
                .setStartEpochSeconds(o.startEpochSeconds());
        if (o.targetMac() != null) {
            b.setTargetMac(ByteString.copyFrom(o.targetMac()));
        }
        // The packets are wrapped, not copied: an observation's packets are not changed once captured or sent, and
        // an agent encodes thousands of observations a second (dozens of packets each) right after building them.
        for (ProbeRecord p : o.probes()) {
            Probe.Builder pb = Probe.newBuilder().setId(p.id()).setSent(UnsafeByteOperations.unsafeWrap(p.sent())).setSentMicros(p.sentMicros());
            for (Capture c : p.responses()) {
                pb.addResponses(io.scanfarm.proto.Capture.newBuilder().setPacket(UnsafeByteOperations.unsafeWrap(c.packet())).setMicros(c.micros()));
            }
            b.addProbes(pb);
        }
        return b;
    }
}
