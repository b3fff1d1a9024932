package io.scanfarm.matcher.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.scanfarm.matcher.match.Lru;
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
import io.scanfarm.matcher.gen1.Gen1Match;
import io.scanfarm.matcher.gen1.Gen1Matcher;
import io.scanfarm.matcher.gen1.Gen1OsSection;
import io.scanfarm.matcher.gen1.Gen1Subject;
import io.scanfarm.matcher.gen1.Gen1Verdict;
import io.scanfarm.matcher.report.FirstGenHostReport;
import io.scanfarm.matcher.tests.gen1.FirstGenComputer;
import io.scanfarm.matcher.tests.gen1.FirstGenFingerprint;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import io.scanfarm.proto.HostObservation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.scanfarm.proto.ProbeProfile;
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
    /**
     * Ranking parts remembered, as many as the matcher remembers rankings; null when it remembers none (each of its
     * results is new, so none would be met again).
     */
    private final Map<PartKey, RankingPart> parts;
    private final String dbPath;
    private final String dbSha256;
    private final String version;
    private FirstGeneration gen1;

    /** The first-generation database, for observations of the NMAP1 profile. */
    public record FirstGeneration(Gen1Matcher matcher, String dbPath, String dbSha256) {
    }

    public VerdictBuilder(OsMatcher matcher, String dbPath, String dbSha256, String version) {
        this.matcher = matcher;
        this.parts = matcher == null || matcher.rankingsRemembered() == 0 ? null : Lru.of(matcher.rankingsRemembered());
        this.dbPath = dbPath;
        this.dbSha256 = dbSha256;
        this.version = version;
    }

    /** Matches first-generation observations against this database too (without it they get no OS verdict). */
    public VerdictBuilder withFirstGeneration(FirstGeneration db) {
        this.gen1 = db;
        return this;
    }

    /** A verdict as the matcher service publishes it. */
    public record Built(OsVerdict verdict) {

        /** Its Elastic Common Schema document as a tree (the matcher publishes {@link VerdictEcs#bytes}, the same). */
        public ObjectNode json() {
            return VerdictEcs.of(verdict);
        }
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
        // The packets' bytes are read in place (aliased, not copied into the message): the record is ours alone,
        // and each packet is copied once anyway, into the observation the fingerprint is computed from.
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(record).newCodedInput(); // immutable input: aliasing applies
        in.enableAliasing(true);
        HostObservation o = HostObservation.parser().parseFrom(in);
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
            return unreliable(v, o.getStatusDetail());
        }
        if (o.getProfile() == ProbeProfile.NMAP1) {
            return firstGeneration(o, v);
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
            return unreliable(v, "observation cannot be used: " + e.getMessage());
        }
        // The OS lines and the fingerprint's lines go into the verdict and into its report: made once for both.
        OsSection.Conditions conditions = OsSection.Conditions.of(fp.subject().scan());
        RankingPart part = parts == null ? RankingPart.of(result, conditions)
                : parts.computeIfAbsent(new PartKey(result, conditions), k -> RankingPart.of(k.result, k.conditions));
        List<String> fingerprintLines = fp.lines();
        fill(v, result, part, String.join("\n", fingerprintLines));
        HostReport.lines(obs, fp, result, part.osLines(), fingerprintLines).forEach(line -> v.addReportLinesBytes(utf8(line)));
        v.putAllMalformedResponses(fp.side().malformedResponses());
        return new Built(v.build());
    }

    /** A first-generation observation: Nmap 3.x/4.x's tests, matched against nmap-os-fingerprints. */
    private Built firstGeneration(HostObservation o, OsVerdict.Builder v) {
        if (gen1 == null) {
            return unreliable(v, "a first-generation (nmap1) observation, and this matcher has no nmap-os-fingerprints:"
                    + " give it one (the matcher's os.fingerprints; scan --profile nmap1 --os-db)");
        }
        v.setDbPath(gen1.dbPath()).setDbSha256(gen1.dbSha256());
        Observation obs;
        FirstGenFingerprint fp;
        Gen1Subject subject;
        Gen1Verdict verdict;
        try {
            obs = ObservationCodec.toEngine(o);
            fp = FirstGenComputer.compute(obs, version);
            subject = new Gen1Subject(fp.sInfo(), fp.tests()); // the computed tests, not their text read back
            // As the second-generation path mirrors -O --osscan-guess, so does this one: guesses are printed.
            verdict = Gen1OsSection.verdict(gen1.matcher().match(subject), subject, true);
        } catch (UnusableObservationException e) {
            return unreliable(v, "observation cannot be used: " + e.getMessage());
        }
        fill(v, verdict, String.join("\n", subject.printed()));
        FirstGenHostReport.lines(obs, fp, verdict).forEach(line -> v.addReportLinesBytes(utf8(line)));
        return new Built(v.build());
    }

    /** A verdict without an OS: the host was not up, or its observation gives nothing to match, and why. */
    private static Built unreliable(OsVerdict.Builder v, String detail) {
        return new Built(v.setOutcome(io.scanfarm.proto.Outcome.UNRELIABLE).setDetail(detail).build());
    }

    /** A subject matched offline (scanfarm match), as a verdict: the same fields a scanned host's verdict has. */
    public static OsVerdict ofSubject(MatchResult result, SubjectFingerprint subject, String fingerprint, String dbPath, String dbSha256) {
        OsVerdict.Builder v = OsVerdict.newBuilder().setSchemaVersion(Topics.SCHEMA_VERSION).setHostStatus(HostStatus.UP)
                .setDbPath(dbPath).setDbSha256(dbSha256);
        fill(v, result, RankingPart.of(result, OsSection.Conditions.of(subject.scan())), fingerprint);
        return v.build();
    }

    /** A first-generation subject matched offline, as a verdict. */
    public static OsVerdict ofSubject(Gen1Verdict verdict, String fingerprint, String dbPath, String dbSha256) {
        OsVerdict.Builder v = OsVerdict.newBuilder().setSchemaVersion(Topics.SCHEMA_VERSION).setHostStatus(HostStatus.UP)
                .setDbPath(dbPath).setDbSha256(dbSha256);
        fill(v, verdict, fingerprint);
        return v.build();
    }

    private static void fill(OsVerdict.Builder v, MatchResult result, RankingPart part, String fingerprint) {
        v.setOutcome(outcome(result));
        v.setFingerprintBytes(utf8(fingerprint));
        part.osLineBytes().forEach(v::addVerdictLinesBytes);
        v.addAllMatches(part.matches());
        v.setNmapResult(result.outcome().name());
    }

    /**
     * What a verdict takes from a ranking and the scan's conditions alone: the OS lines (as text for the report and
     * as UTF-8 for the verdict) and the matches as messages. Messages are immutable, so verdicts share them.
     */
    private record RankingPart(List<String> osLines, List<ByteString> osLineBytes, List<io.scanfarm.proto.RankedMatch> matches) {

        static RankingPart of(MatchResult result, OsSection.Conditions conditions) {
            List<String> lines = List.copyOf(OsSection.verdict(result, conditions));
            List<io.scanfarm.proto.RankedMatch> matches = new ArrayList<>(result.matches().size());
            for (RankedMatch m : result.matches()) {
                matches.add(ranked(m.fingerprint().name(), m.accuracy(), m.score(), m.fingerprint().line(), m.fingerprint().classes()));
            }
            return new RankingPart(lines, lines.stream().map(VerdictBuilder::utf8).toList(), List.copyOf(matches));
        }
    }

    /**
     * A ranking by identity, under the scan's conditions. The matcher hands out the same MatchResult again for a
     * subject it ranked before (most hosts of a range: 871 distinct subjects over the lab's 4,096 hosts), so its
     * part of the verdict is made once, not per host; comparing rankings by value would cost what it saves.
     */
    private static final class PartKey {
        final MatchResult result;
        final OsSection.Conditions conditions;

        PartKey(MatchResult result, OsSection.Conditions conditions) {
            this.result = result;
            this.conditions = conditions;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PartKey k && k.result == result && k.conditions.equals(conditions);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(result) + conditions.hashCode();
        }
    }

    private static void fill(OsVerdict.Builder v, Gen1Verdict verdict, String fingerprint) {
        v.setOutcome(switch (verdict.kind()) {
            case PERFECT -> io.scanfarm.proto.Outcome.PERFECT;
            case GUESS -> io.scanfarm.proto.Outcome.GUESS;
            case NO_MATCH -> io.scanfarm.proto.Outcome.NO_MATCH;
            case TOO_MANY -> io.scanfarm.proto.Outcome.TOO_MANY;
        });
        v.setFingerprintBytes(utf8(fingerprint));
        verdict.lines().forEach(line -> v.addVerdictLinesBytes(utf8(line)));
        for (Gen1Match m : verdict.result().matches()) {
            v.addMatches(ranked(m.fingerprint().name(), m.accuracy(), m.score(), m.fingerprint().line(), m.fingerprint().classes()));
        }
        v.setNmapResult(verdict.result().outcome().name());
    }

    private static io.scanfarm.proto.RankedMatch ranked(String name, int accuracy, double score, int line, List<OsClass> classes) {
        io.scanfarm.proto.RankedMatch.Builder rm = io.scanfarm.proto.RankedMatch.newBuilder()
                .setNameBytes(utf8(name)).setAccuracy(accuracy).setScore(score).setLine(line);
        for (OsClass c : classes) {
            rm.addClasses(CLASSES.computeIfAbsent(c, VerdictBuilder::classInfo));
        }
        return rm.build();
    }

    /**
     * A database class as a message, built once and shared by every verdict that lists it (messages are
     * immutable), its strings already UTF-8. A database has a few thousand distinct classes.
     */
    private static final Map<OsClass, OsClassInfo> CLASSES = new ConcurrentHashMap<>();

    private static OsClassInfo classInfo(OsClass c) {
        OsClassInfo.Builder b = OsClassInfo.newBuilder().setVendorBytes(utf8(c.vendor())).setFamilyBytes(utf8(c.family()))
                .setGenerationBytes(utf8(c.generation() == null ? "" : c.generation())).setDeviceTypeBytes(utf8(c.deviceType()));
        c.cpes().forEach(cpe -> b.addCpeBytes(utf8(cpe)));
        return b.build();
    }

    /**
     * A string field's bytes: the JDK's encoder does in one pass what protobuf's setter would do in two at every
     * serialization (measure, then encode), character by character.
     */
    private static ByteString utf8(String s) {
        return UnsafeByteOperations.unsafeWrap(s.getBytes(StandardCharsets.UTF_8)); // a fresh array nobody else holds
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
