package io.scanfarm.matcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.scanfarm.fuzz.FuzzBudget;
import io.scanfarm.fuzz.FuzzTally;
import io.scanfarm.fuzz.Mutations;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.UnusableObservationException;
import io.scanfarm.matcher.oracle.OracleMatcher;
import io.scanfarm.matcher.subject.SubjectParser;
import io.scanfarm.matcher.tests.FingerprintComputer;
import io.scanfarm.matcher.tests.HostileObservations;
import io.scanfarm.matcher.tests.RecordedObservations;
import io.scanfarm.proto.HostObservation;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.Probe;
import io.scanfarm.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The whole path the matcher service runs for a record of scanfarm.observations, on hostile records: the bytes
 * of recorded observations mutated, and well-formed records with hostile fields (targets, statuses and routes
 * no agent sends, odd probe ids, absurd times and hostile packets). Each gives a verdict that can be published
 * (protobuf and JSON) or one of the refusals the service dead-letters: {@link InvalidProtocolBufferException},
 * {@link UnusableObservationException}. Any other exception is a bug.
 */
@AddLifecycleHook(FuzzBudget.class)
class VerdictBuilderFuzzTest {

    private static final long NOW = 1_790_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static VerdictBuilder builder;

    @Property(tries = 800)
    void mutatedRecordsGiveAVerdictOrADeclaredRefusal(@ForAll("records") Mutations.BytesMutant m) throws Exception {
        FuzzTally.count("observation record bytes", outcome(m.bytes()));
    }

    @Property(tries = 600)
    void recordsWithHostileFieldsGiveAVerdictOrADeclaredRefusal(@ForAll("hostileObservations") HostileObservations.Mutant m,
                                                               @ForAll("targets") String target,
                                                               @ForAll("enumValues") int status,
                                                               @ForAll("enumValues") int route,
                                                               @ForAll("probeIds") String probeId) throws Exception {
        HostObservation.Builder b = record(m.observation()).setTarget(target).setStatusValue(status).setRouteValue(route);
        if (b.getProbesCount() > 0) {
            Probe.Builder p = b.getProbesBuilder(Math.floorMod(probeId.hashCode(), b.getProbesCount()));
            p.setId(probeId);
        }
        byte[] bytes = b.build().toByteArray();
        String outcome = outcome(bytes);
        FuzzTally.count("record with hostile fields", outcome);
        if (status == HostStatus.UP_VALUE && !outcome.startsWith("refused")) {
            // What the service publishes is what the engine computes from the same observation.
            Observation o = ObservationCodec.toEngine(HostObservation.parseFrom(bytes));
            OsVerdict v = builder().build(bytes, NOW).verdict();
            if (!v.getFingerprint().isEmpty()) {
                assertEquals(String.join("\n", FingerprintComputer.compute(o, "fuzz").lines()), v.getFingerprint());
            }
        }
    }

    /** Runs the record through the service's path; returns how it ended, failing on anything undeclared. */
    private static String outcome(byte[] bytes) throws Exception {
        VerdictBuilder.Built built;
        try {
            built = builder().build(bytes, NOW);
        } catch (InvalidProtocolBufferException e) {
            return "refused: not a HostObservation";
        } catch (UnusableObservationException e) {
            assertEquals(UnusableObservationException.class, e.getClass());
            return "refused: unusable";
        }
        OsVerdict v = built.verdict();
        assertEquals(v, OsVerdict.parseFrom(v.toByteArray()), "the verdict survives its own wire form");
        assertEquals(JSON.readTree(VerdictEcs.bytes(v)), built.json(), "the published ECS line and the tree agree");
        if (!v.getFingerprint().isEmpty()) {
            SubjectParser.parseOne(v.getFingerprint());
        }
        return v.getOutcome().name();
    }

    private static synchronized VerdictBuilder builder() {
        if (builder == null) {
            builder = new VerdictBuilder(OracleMatcher.get(), "oracle.db", "0".repeat(64), "fuzz");
        }
        return builder;
    }

    private static HostObservation.Builder record(Observation o) {
        return ObservationCodec.toWire(o).setSchemaVersion(Topics.SCHEMA_VERSION).setScanId("scan-1").setJobId("job-1")
                .setAgentId("agent-1").setSegment("lab").setStatus(HostStatus.UP);
    }

    @Provide
    Arbitrary<Mutations.BytesMutant> records() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        RecordedObservations.all().forEach((name, o) -> seeds.put(name, record(o).build().toByteArray()));
        Observation any = RecordedObservations.all().values().iterator().next();
        seeds.put("down", record(any).clearProbes().setStatus(HostStatus.DOWN).setStatusDetail("no response").build().toByteArray());
        seeds.put("mac and times", record(any).setTargetMac(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6}))
                .setStartEpochSeconds(-1).build().toByteArray());
        return Mutations.bytes(seeds, 6);
    }

    @Provide
    Arbitrary<HostileObservations.Mutant> hostileObservations() {
        return HostileObservations.mutants(0, 4);
    }

    @Provide
    Arbitrary<String> targets() {
        Map<String, String> seeds = new LinkedHashMap<>();
        for (String t : List.of("198.18.1.2", "10.0.0.1", "255.255.255.255")) {
            seeds.put(t, t);
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(RecordedObservations.all().values().iterator().next().target())),
                // Text with an unpaired surrogate has no UTF-8 form, so no record can carry it (protobuf would write '?').
                net.jqwik.api.Tuple.of(3, Mutations.text(seeds, Mutations.STRUCTURE, 3).map(Mutations.TextMutant::text)
                        .filter(t -> StandardCharsets.UTF_8.newEncoder().canEncode(t))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "::1", "localhost", "1.2.3.4/24", " 198.18.1.2")));
    }

    /** Enum numbers: the known ones, and ones a newer or broken agent may send. */
    @Provide
    Arbitrary<Integer> enumValues() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(HostStatus.UP_VALUE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 6)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(-1, 99, Integer.MAX_VALUE, Integer.MIN_VALUE)));
    }

    @Provide
    Arbitrary<String> probeIds() {
        return Arbitraries.oneOf(Arbitraries.of("SEQ1", "SEQ7", "", "T8", "IE3", "U1", "seq1", "T1 ", "\u0000"),
                Combinators.combine(Arbitraries.of("SEQ", "T", "IE", "OPS", "U"), Arbitraries.integers().between(-1, 12))
                        .as((p, n) -> p + n));
    }
}
