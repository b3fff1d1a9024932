package io.scanfarm.matcher.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scanfarm.matcher.observation.Capture;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.observation.ProbeRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per malformed answer: what it is counted as, from a real answer of the recorded exchange (lab default). */
class MalformedResponsesTest {

    private static final Observation RECORDED = RecordedObservations.all().get("default");

    private static byte[] answer(String probe) {
        return RECORDED.probes().stream().filter(p -> p.id().equals(probe)).findFirst().orElseThrow().responses().get(0).packet();
    }

    private static UnaryOperator<byte[]> set(int at, int value) {
        return b -> {
            byte[] out = b.clone();
            out[at] = (byte) value;
            return out;
        };
    }

    private static UnaryOperator<byte[]> cut(int length) {
        return b -> Arrays.copyOf(b, length);
    }

    private static UnaryOperator<byte[]> both(UnaryOperator<byte[]> first, UnaryOperator<byte[]> then) {
        return b -> then.apply(first.apply(b));
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("wellFormedSynAckIsNotMalformed", "SEQ1", UnaryOperator.identity(), null),
                Arguments.of("wellFormedPortUnreachableIsNotMalformed", "U1", UnaryOperator.identity(), null),
                Arguments.of("anotherProtocolIsNotMalformed", "SEQ1", set(9, 47), null),
                Arguments.of("truncatedIpHeaderIsMalformed", "SEQ1", cut(12), "truncated_ip_header"),
                Arguments.of("ipv6VersionIsMalformed", "SEQ1", set(0, 0x65), "not_ipv4"),
                Arguments.of("ihlBelowTwentyIsMalformed", "SEQ1", set(0, 0x43), "ihl_below_20"),
                Arguments.of("ihlPastEndIsMalformed", "IE1", both(set(0, 0x4F), cut(40)), "ihl_past_end"),
                Arguments.of("totalLengthBelowTheHeaderIsMalformed", "SEQ1", both(set(2, 0), set(3, 8)), "total_length_below_header"),
                Arguments.of("dataOffsetPastEndIsMalformed", "SEQ1", set(32, 0xF0), "data_offset_past_end"),
                Arguments.of("dataOffsetBelowTwentyIsMalformed", "SEQ1", set(32, 0x40), "data_offset_below_20"),
                Arguments.of("truncatedTcpHeaderIsMalformed", "SEQ1", cut(30), "truncated_tcp_header"),
                Arguments.of("truncatedIcmpHeaderIsMalformed", "IE1", cut(25), "truncated_icmp_header"),
                Arguments.of("portUnreachableQuotingFewerThan28BytesIsMalformed", "U1", cut(20 + 8 + 27), "short_icmp_quote"),
                Arguments.of("quotedIhlPastTheQuoteIsMalformed", "U1", both(set(28, 0x4F), cut(20 + 8 + 40)), "quoted_ihl_past_end"),
                Arguments.of("quotedIpv6VersionIsMalformed", "U1", set(28, 0x65), "quoted_not_ipv4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachMalformedAnswerIsCountedByWhatIsWrong(String name, String probe, UnaryOperator<byte[]> damage, String kind) {
        assertEquals(kind, MalformedResponses.kind(damage.apply(answer(probe))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void aMalformedAnswerIsCountedInTheSideResultsAndChangesNoTest(String name, String probe, UnaryOperator<byte[]> damage, String kind) {
        List<ProbeRecord> probes = new ArrayList<>();
        for (ProbeRecord p : RECORDED.probes()) {
            List<Capture> rs = new ArrayList<>(p.responses());
            if (p.id().equals(probe) && kind != null) {
                rs.add(0, new Capture(damage.apply(answer(probe)), rs.get(0).micros() - 1)); // earlier than the real one
            }
            probes.add(HostileObservations.with(p, rs));
        }
        Observation o = new Observation(RECORDED.target(), RECORDED.openTcpPort(), RECORDED.closedTcpPort(), RECORDED.closedTcpKnown(),
                RECORDED.closedUdpPort(), RECORDED.route(), RECORDED.targetMac(), RECORDED.startEpochSeconds(), probes);
        ComputedFingerprint fp = FingerprintComputer.compute(o, "t");
        assertEquals(FingerprintComputer.compute(RECORDED, "t").lines(), fp.lines());
        assertEquals(kind == null ? Map.of() : Map.of(kind, 1), fp.side().malformedResponses());
    }
}
