package io.scanfarm.matcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.ProbeRecord;
import io.scanfarm.matcher.observation.UnusableObservationException;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.oracle.OracleMatcher;
import io.scanfarm.matcher.report.OsSection;
import io.scanfarm.matcher.tests.RecordedObservations;
import io.scanfarm.proto.HostObservation;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the matcher service makes of records it cannot fingerprint: a verdict saying so, or a declared refusal. */
class VerdictBuilderTest {

    private static final VerdictBuilder BUILDER = new VerdictBuilder(OracleMatcher.get(), "oracle.db", "sha", "test");

    @Test
    void aHostStatusAddedAfterThisMatcherGivesAnUnreliableVerdictNotADeadLetter() throws Exception {
        // Found by VerdictBuilderFuzzTest: setHostStatus(UNRECOGNIZED) threw IllegalArgumentException.
        byte[] record = HostObservation.newBuilder().setTarget("198.18.1.2").setStatusValue(6).setStatusDetail("new").build().toByteArray();
        VerdictBuilder.Built built = BUILDER.build(record, 0);
        assertEquals(Outcome.UNRELIABLE, built.verdict().getOutcome());
        assertEquals(6, built.verdict().getHostStatusValue(), "the status is kept as its number");
        assertEquals("unrecognized", built.json().at("/scanfarm/status").asText());
        assertEquals(built.verdict(), OsVerdict.parseFrom(built.verdict().toByteArray()));
    }

    @Test
    void answersThatCannotBeReadAreCountedInTheVerdictAndItsJson() throws Exception {
        Observation recorded = RecordedObservations.all().get("default");
        List<ProbeRecord> probes = new ArrayList<>(recorded.probes());
        ProbeRecord t2 = probes.get(0);
        List<Capture> rs = new ArrayList<>(t2.responses());
        rs.add(new Capture(new byte[] {0x45, 0, 0}, 1));
        rs.add(new Capture(new byte[] {0x45, 0, 0}, 2));
        probes.set(0, new ProbeRecord(t2.id(), t2.sent(), t2.sentMicros(), rs));
        Observation o = new Observation(recorded.target(), recorded.openTcpPort(), recorded.closedTcpPort(), true,
                recorded.closedUdpPort(), recorded.route(), recorded.targetMac(), recorded.startEpochSeconds(), probes);
        byte[] record = ObservationCodec.toWire(o).setStatus(HostStatus.UP).build().toByteArray();
        VerdictBuilder.Built built = BUILDER.build(record, 0);
        assertEquals(Map.of("truncated_ip_header", 2), built.verdict().getMalformedResponsesMap());
        assertEquals(2, built.json().at("/scanfarm/malformed_responses/truncated_ip_header").asInt());
        VerdictBuilder.Built clean = BUILDER.build(ObservationCodec.toWire(recorded).setStatus(HostStatus.UP).build().toByteArray(), 0);
        assertEquals(clean.verdict().getFingerprint(), built.verdict().getFingerprint(), "never used");
        assertTrue(clean.json().at("/scanfarm/malformed_responses").isMissingNode(), "absent when there are none");
    }

    @Test
    void aTargetThatIsNoAddressGivesAnUnreliableVerdictThatSaysSo() throws Exception {
        byte[] record = HostObservation.newBuilder().setTarget("::1").setStatus(HostStatus.UP).build().toByteArray();
        OsVerdict v = BUILDER.build(record, 0).verdict();
        assertEquals(Outcome.UNRELIABLE, v.getOutcome());
        assertTrue(v.getDetail().startsWith("observation cannot be used: the target '::1' is not an IPv4 address"), v.getDetail());
    }

    @Test
    void anUpHostWithoutProbesGivesAnUnreliableVerdictNotAnUnreadableFingerprint() throws Exception {
        // Found by deploy/fuzz/run (VerdictBuilderFuzzTest, seed -2510674558349616559): a DOWN record whose status
        // byte became UP got a NO_MATCH verdict whose fingerprint, a SCAN line alone, the subject parser refuses.
        byte[] record = HostObservation.newBuilder().setTarget("198.18.1.2").setStatus(HostStatus.UP).build().toByteArray();
        OsVerdict v = BUILDER.build(record, 0).verdict();
        assertEquals(Outcome.UNRELIABLE, v.getOutcome());
        assertEquals("observation cannot be used: no probe in it gives a fingerprint test", v.getDetail());
        assertEquals("", v.getFingerprint());
    }

    @Test
    void aRecordWithoutATargetIsRefusedAsUnusable() {
        assertThrows(UnusableObservationException.class, () -> BUILDER.build(new byte[0], 0));
        assertThrows(UnusableObservationException.class, () -> BUILDER.build((byte[]) null, 0));
    }

    @Test
    void deeplyNestedUnknownGroupsAreRefusedNotAStackOverflow() {
        // An unknown field 99 opened as a group 200000 times: protobuf's recursion limit refuses it.
        java.io.ByteArrayOutputStream nested = new java.io.ByteArrayOutputStream();
        nested.writeBytes(HostObservation.newBuilder().setTarget("198.18.1.2").build().toByteArray());
        for (int i = 0; i < 200_000; i++) {
            nested.write(0x9B);
            nested.write(0x06);
        }
        assertThrows(InvalidProtocolBufferException.class, () -> BUILDER.build(nested.toByteArray(), 0));
    }

    @Test
    void bytesThatAreNoHostObservationAreRefusedAsNotProtobuf() {
        byte[] garbage = "\u0000not a protobuf \u00ff".getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(InvalidProtocolBufferException.class, () -> BUILDER.build(garbage, 0));
    }

    @Test
    void aRankingsPartMadeOnceServesEveryHostOfItAndEachVerdictKeepsTheLinesOfItsOwnScan() throws Exception {
        Observation full = RecordedObservations.all().get("default");
        Observation noClosedPort = new Observation(full.target(), full.openTcpPort(), -1, false, full.closedUdpPort(),
                full.route(), full.targetMac(), full.startEpochSeconds(), full.probes());
        OsMatcher oracle = OracleMatcher.get();
        VerdictBuilder remembering = new VerdictBuilder(OsMatcher.compile(oracle.db()), "oracle.db", "sha", "test");
        VerdictBuilder fresh = new VerdictBuilder(OsMatcher.compile(oracle.db(), 0), "oracle.db", "sha", "test");
        List<OsVerdict> seen = new ArrayList<>();
        for (Observation o : List.of(full, noClosedPort, full, noClosedPort)) {
            byte[] record = ObservationCodec.toWire(o).setStatus(HostStatus.UP).build().toByteArray();
            OsVerdict v = remembering.build(record, 0).verdict();
            assertEquals(fresh.build(record, 0).verdict(), v, "what a host's verdict says does not depend on who came before");
            seen.add(v);
        }
        assertTrue(seen.get(0).getMatchesCount() > 0);
        assertSame(seen.get(0).getMatches(0), seen.get(2).getMatches(0), "the second host of a ranking gets the messages made for the first");
        assertFalse(seen.get(0).getVerdictLinesList().contains(OsSection.UNRELIABLE));
        assertTrue(seen.get(1).getVerdictLinesList().contains(OsSection.UNRELIABLE), "a scan without a closed port says so");
        assertEquals(seen.get(1).getVerdictLinesList(), seen.get(3).getVerdictLinesList());
    }
}
