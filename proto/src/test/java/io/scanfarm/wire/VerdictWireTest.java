package io.scanfarm.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.InvalidProtocolBufferException;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsClassInfo;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.Outcome;
import io.scanfarm.proto.RankedMatch;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerdictWireTest {

    /** A verdict with {@code n} matches, whose fields are written before, between and after them. */
    private static OsVerdict verdict(int n) {
        OsVerdict.Builder v = OsVerdict.newBuilder().setSchemaVersion(1).setScanId("scan-1").setJobId("job-1").setTarget("198.18.1.2")
                .setOutcome(Outcome.GUESS).setFingerprint("SCAN(V=x)\nSEQ(SP=1)").addVerdictLines("Aggressive OS guesses: ...")
                .setDbSha256("abc").setAgentId("agent").setSegment("lab").setObservedAtSeconds(1_795_000_000L)
                .setMatchedAtMs(1_795_000_000_123L).setHostStatus(HostStatus.UP).addReportLines("Host is up.").setNmapResult("SUCCESS")
                .putMalformedResponses("ihl_past_end", 2);
        for (int i = 0; i < n; i++) {
            v.addMatches(RankedMatch.newBuilder().setName("OS " + i).setAccuracy(99 - i).setScore(0.99 - i / 100.0).setLine(1000 + i)
                    .addClasses(OsClassInfo.newBuilder().setVendor("V" + i).setFamily("F").setGeneration("G").setDeviceType("T")
                            .addCpe("cpe:/o:v:" + i)));
        }
        return v.build();
    }

    private static OsVerdict firstMatches(OsVerdict v, int n) {
        OsVerdict.Builder b = v.toBuilder().clearMatches();
        v.getMatchesList().stream().limit(n).forEach(b::addMatches);
        return b.build();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10, 35, 36, 37, 100})
    void keepsTheFirstMatchesAndEverythingElse(int n) throws Exception {
        OsVerdict v = verdict(36);
        assertEquals(firstMatches(v, n), VerdictWire.parseWithFirstMatches(v.toByteArray(), n));
    }

    @Test
    void matchesAnywhereInTheRecordAreCountedInOrder() throws Exception {
        // Protobuf allows a repeated field's elements between other fields; a parser must keep their order.
        OsVerdict a = verdict(3);
        byte[] tail = OsVerdict.newBuilder().addMatches(RankedMatch.newBuilder().setName("late")).setSegment("other").build().toByteArray();
        byte[] wire = Arrays.copyOf(a.toByteArray(), a.getSerializedSize() + tail.length);
        System.arraycopy(tail, 0, wire, a.getSerializedSize(), tail.length);
        OsVerdict whole = OsVerdict.parseFrom(wire);
        assertEquals(4, whole.getMatchesCount());
        assertEquals(firstMatches(whole, 4), VerdictWire.parseWithFirstMatches(wire, 4));
        assertEquals(firstMatches(whole, 3), VerdictWire.parseWithFirstMatches(wire, 3));
        assertEquals("other", VerdictWire.parseWithFirstMatches(wire, 3).getSegment(), "a field after the dropped match is read");
    }

    @Test
    void aBrokenRecordFailsAsParseFromFails() {
        byte[] wire = verdict(12).toByteArray();
        byte[] cut = Arrays.copyOf(wire, wire.length - 5);
        assertThrows(InvalidProtocolBufferException.class, () -> OsVerdict.parseFrom(cut));
        assertThrows(InvalidProtocolBufferException.class, () -> VerdictWire.parseWithFirstMatches(cut, 10));
        assertThrows(IllegalArgumentException.class, () -> VerdictWire.parseWithFirstMatches(wire, -1));
    }
}
