package io.scanfarm.matcher.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.ProbeRecord;
import io.scanfarm.matcher.packet.Bytes;
import io.scanfarm.matcher.packet.MalformedPacketException;
import io.scanfarm.matcher.packet.PcapFile;
import io.scanfarm.matcher.report.OsSection;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.Outcome;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Corners of the fingerprint computation, each changed from a real recorded exchange (the lab's default stack). */
class FingerprintComputerEdgeTest {

    private static Observation recorded;

    @BeforeAll
    static void readCapture() throws Exception {
        try (InputStream in = FingerprintComputerEdgeTest.class.getResourceAsStream("/captures/default.pcap")) {
            recorded = NmapCapture.toObservation(PcapFile.parse(in.readAllBytes()), "198.18.1.2", 80, 1);
        }
    }

    @Test
    void theRecordedExchangeIsIdeal() {
        ComputedFingerprint fp = FingerprintComputer.compute(recorded, "t");
        assertNull(fp.side().notIdealBecause());
        assertEquals("Y", fp.subject().scan().value("G"));
    }

    @Test
    void seq6SentLateMakesTheFingerprintNotIdealEvenUnanswered() {
        // Nmap's timing ratio uses SEQ6's send time whether or not SEQ6 was answered: 900 ms / 500 = 1.8.
        Observation o = withProbe("SEQ6", p -> new ProbeRecord(p.id(), p.sent(), sent("SEQ1") + 900_000, List.of()));
        ComputedFingerprint fp = FingerprintComputer.compute(o, "t");
        assertTrue(fp.side().notIdealBecause().startsWith("maxTimingRatio (1.800000e+00)"), fp.side().notIdealBecause());
        assertEquals("N", fp.subject().scan().value("G"));
    }

    @Test
    void timingRatioCountsWholeMilliseconds() {
        // Nmap subtracts seconds*1000 + microseconds/1000 (TIMEVAL_MSEC_SUBTRACT): SEQ1 at .000100 and SEQ6
        // 700.9 ms later is 700 whole milliseconds, a ratio of exactly 1.4, which is not above 1.4.
        long seq1 = sent("SEQ1") / 1_000_000 * 1_000_000 + 100;
        Observation o = withProbe("SEQ1", p -> new ProbeRecord(p.id(), p.sent(), seq1, p.responses()));
        o = with(o, "SEQ6", p -> new ProbeRecord(p.id(), p.sent(), seq1 + 700_900, p.responses()));
        assertNull(FingerprintComputer.compute(o, "t").side().notIdealBecause());
        o = with(o, "SEQ6", p -> new ProbeRecord(p.id(), p.sent(), seq1 + 701_000, p.responses()));
        assertTrue(FingerprintComputer.compute(o, "t").side().notIdealBecause().startsWith("maxTimingRatio (1.402000e+00)"));
    }

    @Test
    void aNotIdealFingerprintIsWordedAsNmapWordsIt() {
        Observation o = withProbe("SEQ6", p -> new ProbeRecord(p.id(), p.sent(), sent("SEQ1") + 900_000, List.of()));
        ComputedFingerprint fp = FingerprintComputer.compute(o, "t");
        MatchResult guess = new MatchResult(Outcome.SUCCESS, List.of(new io.scanfarm.matcher.match.RankedMatch(
                new io.scanfarm.matcher.osdb.ReferenceFingerprint("X", 1, List.of(), List.of()), 0.9)), 0);
        assertTrue(OsSection.verdict(guess, fp.subject().scan()).contains("No exact OS matches for host (test conditions non-ideal)."));
    }

    @Test
    void aNegativeU1DistanceWrapsTheTValueTo16Bits() {
        // The quoted TTL says the probe arrived with more hops left than it was sent with: distance < 0.
        Observation o = withProbe("U1", p -> {
            byte[] answer = p.responses().get(0).packet().clone();
            answer[20 + 8 + 8] = (byte) 255; // the quoted IP header's TTL
            return new ProbeRecord(p.id(), p.sent(), p.sentMicros(), List.of(new Capture(answer, p.responses().get(0).micros())));
        });
        ComputedFingerprint fp = FingerprintComputer.compute(o, "t");
        String t = fp.subject().test("T1").value("T");
        assertTrue(t.length() <= 4, "a 16-bit value like Nmap's %hX: " + t);
        assertEquals(Integer.toHexString((64 + (Bytes.u8(o.probes().stream().filter(p -> p.id().equals("U1")).findFirst().orElseThrow().sent(), 8)
                - 255 + 1) - 1) & 0xFFFF).toUpperCase(), t);
    }

    @Test
    void aPcapRecordClaimingMoreBytesThanTheFileIsMalformedNotAnAllocation() {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt(0).putInt(0).putInt(0x7FFF_FFF0).putInt(0x7FFF_FFF0);
        assertThrows(MalformedPacketException.class, () -> PcapFile.parse(b.array()));
    }

    @Test
    void anObservationOfANonIpv4TargetIsRefusedWithAnIllegalArgument() {
        Observation o = new Observation("::1", 80, 1, true, 40000, recorded.route(), null, 0, recorded.probes());
        assertThrows(IllegalArgumentException.class, () -> FingerprintComputer.compute(o, "t"));
    }

    private static long sent(String id) {
        return recorded.probes().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow().sentMicros();
    }

    private static Observation withProbe(String id, UnaryOperator<ProbeRecord> change) {
        return with(recorded, id, change);
    }

    private static Observation with(Observation recorded, String id, UnaryOperator<ProbeRecord> change) {
        List<ProbeRecord> probes = new ArrayList<>();
        for (ProbeRecord p : recorded.probes()) {
            probes.add(p.id().equals(id) ? change.apply(p) : p);
        }
        return new Observation(recorded.target(), recorded.openTcpPort(), recorded.closedTcpPort(), recorded.closedTcpKnown(),
                recorded.closedUdpPort(), recorded.route(), recorded.targetMac(), recorded.startEpochSeconds(), probes);
    }
}
