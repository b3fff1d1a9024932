package io.scanfarm.matcher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.scanfarm.matcher.observation.UnusableObservationException;
import io.scanfarm.matcher.oracle.OracleMatcher;
import io.scanfarm.proto.HostObservation;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.Outcome;
import java.nio.charset.StandardCharsets;
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
    void aTargetThatIsNoAddressGivesAnUnreliableVerdictThatSaysSo() throws Exception {
        byte[] record = HostObservation.newBuilder().setTarget("::1").setStatus(HostStatus.UP).build().toByteArray();
        OsVerdict v = BUILDER.build(record, 0).verdict();
        assertEquals(Outcome.UNRELIABLE, v.getOutcome());
        assertTrue(v.getDetail().startsWith("observation cannot be used: the target '::1' is not an IPv4 address"), v.getDetail());
    }

    @Test
    void aRecordWithoutATargetIsRefusedAsUnusable() {
        assertThrows(UnusableObservationException.class, () -> BUILDER.build(new byte[0], 0));
        assertThrows(UnusableObservationException.class, () -> BUILDER.build((byte[]) null, 0));
    }

    @Test
    void bytesThatAreNoHostObservationAreRefusedAsNotProtobuf() {
        byte[] garbage = "\u0000not a protobuf \u00ff".getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(InvalidProtocolBufferException.class, () -> BUILDER.build(garbage, 0));
    }
}
