package io.scanfarm.matcher.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.match.Outcome;
import io.scanfarm.matcher.match.RankedMatch;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.UnusableObservationException;
import io.scanfarm.matcher.osdb.OsClass;
import io.scanfarm.matcher.report.HostReport;
import io.scanfarm.matcher.report.OsSection;
import io.scanfarm.matcher.tests.ComputedFingerprint;
import io.scanfarm.matcher.tests.FingerprintComputer;
import io.scanfarm.proto.HostObservation;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsClassInfo;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.wire.Topics;

/**
 * Turns one HostObservation into its OsVerdict and the verdict's JSON line: the fingerprint computed from the
 * raw packets, Nmap's ranking and wording, the database identity. Nothing in it that the observation and the
 * database do not determine, except when it was matched.
 */
public final class VerdictBuilder {

    private final OsMatcher matcher;
    private final String dbPath;
    private final String dbSha256;
    private final String version;

    public VerdictBuilder(OsMatcher matcher, String dbPath, String dbSha256, String version) {
        this.matcher = matcher;
        this.dbPath = dbPath;
        this.dbSha256 = dbSha256;
        this.version = version;
    }

    /** The verdict and its JSON line for scanfarm.verdicts.json (the Elastic Common Schema form). */
    public record Built(OsVerdict verdict, ObjectNode json) {
    }

    /**
     * The verdict for one record of scanfarm.observations, as the matcher service publishes it. A record that is
     * not a HostObservation, or has no target, is refused with an exception saying why (the service
     * dead-letters it with that reason); anything else gives a verdict.
     */
    public Built build(byte[] record, long nowMs) throws InvalidProtocolBufferException {
        if (record == null) {
            throw new UnusableObservationException("empty record");
        }
        HostObservation o = HostObservation.parseFrom(record);
        if (o.getTarget().isEmpty()) {
            throw new UnusableObservationException("observation without a target");
        }
        return build(o, nowMs);
    }

    public Built build(HostObservation o, long nowMs) {
        OsVerdict.Builder v = OsVerdict.newBuilder()
                .setSchemaVersion(Topics.SCHEMA_VERSION)
                .setScanId(o.getScanId())
                .setJobId(o.getJobId())
                .setTarget(o.getTarget())
                .setAgentId(o.getAgentId())
                .setSegment(o.getSegment())
                .setObservedAtSeconds(o.getStartEpochSeconds())
                .setMatchedAtMs(nowMs)
                .setDbPath(dbPath)
                .setDbSha256(dbSha256)
                .setHostStatusValue(o.getStatusValue()); // a status added after this matcher was built is kept as its number
        if (o.getStatus() != HostStatus.UP) {
            v.setOutcome(io.scanfarm.proto.Outcome.UNRELIABLE).setDetail(o.getStatusDetail());
            OsVerdict built = v.build();
            return new Built(built, VerdictEcs.of(built));
        }
        Observation obs;
        ComputedFingerprint fp;
        MatchResult result;
        try {
            obs = ObservationCodec.toEngine(o);
            fp = FingerprintComputer.compute(obs, version);
            if (fp.subject().tests().isEmpty()) {
                // Nothing to match, and a SCAN line alone is no fingerprint a subject parser would read back.
                throw new UnusableObservationException("no probe in it gives a fingerprint test");
            }
            result = matcher.match(fp.subject());
        } catch (UnusableObservationException e) {
            // An observation no stack could have produced (a target that is no address, no probes): say so, do not stop.
            OsVerdict unusable = v.setOutcome(io.scanfarm.proto.Outcome.UNRELIABLE)
                    .setDetail("observation cannot be used: " + e.getMessage()).build();
            return new Built(unusable, VerdictEcs.of(unusable));
        }
        io.scanfarm.proto.Outcome outcome = outcome(result);
        v.setOutcome(outcome);
        v.setFingerprint(String.join("\n", fp.lines()));
        v.addAllVerdictLines(OsSection.verdict(result, fp.subject().scan()));
        v.addAllReportLines(HostReport.lines(obs, fp, result));
        for (RankedMatch m : result.matches()) {
            io.scanfarm.proto.RankedMatch.Builder rm = io.scanfarm.proto.RankedMatch.newBuilder()
                    .setName(m.fingerprint().name()).setAccuracy(m.accuracy()).setScore(m.score()).setLine(m.fingerprint().line());
            for (OsClass c : m.fingerprint().classes()) {
                rm.addClasses(OsClassInfo.newBuilder().setVendor(c.vendor()).setFamily(c.family())
                        .setGeneration(c.generation() == null ? "" : c.generation()).setDeviceType(c.deviceType()).addAllCpe(c.cpes()));
            }
            v.addMatches(rm);
        }
        v.setNmapResult(result.outcome().name());
        v.putAllMalformedResponses(fp.side().malformedResponses());
        OsVerdict built = v.build();
        return new Built(built, VerdictEcs.of(built));
    }

    static io.scanfarm.proto.Outcome outcome(MatchResult r) {
        if (r.outcome() == Outcome.TOOMANYMATCHES || r.perfectMatches() > 8) {
            return io.scanfarm.proto.Outcome.TOO_MANY;
        }
        if (r.outcome() == Outcome.NOMATCHES) {
            return io.scanfarm.proto.Outcome.NO_MATCH;
        }
        return r.perfectMatches() > 0 ? io.scanfarm.proto.Outcome.PERFECT : io.scanfarm.proto.Outcome.GUESS;
    }

}
