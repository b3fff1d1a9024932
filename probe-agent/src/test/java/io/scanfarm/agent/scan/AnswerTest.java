package io.scanfarm.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.scanfarm.matcher.packet.Ipv4;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a captured packet answers, one row per kind of answer and per malformed packet the capture loop drops. */
class AnswerTest {

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("synAckFromTheHostAnswersOurTcpPort", CapturedPackets.synAck(), Ipv4.TCP, CapturedPackets.OUR_PORT),
                Arguments.of("resetFromTheHostAnswersOurTcpPort", CapturedPackets.reset(), Ipv4.TCP, CapturedPackets.OUR_PORT),
                Arguments.of("echoReplyAnswersItsEchoId", CapturedPackets.echoReply(), Ipv4.ICMP, CapturedPackets.ECHO_ID),
                Arguments.of("portUnreachableFromTheHostAnswersOurUdpPort", CapturedPackets.portUnreachable(CapturedPackets.HOST),
                        Ipv4.UDP, CapturedPackets.UDP_PORT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void wellFormedAnswersAreKeyedByTheHostAndOurPort(String name, byte[] packet, int protocol, int port) {
        Answer a = Answer.of(packet);
        assertEquals(CapturedPackets.HOST, a.address());
        assertEquals(protocol, a.protocol());
        assertEquals(port, a.port());
    }

    static Stream<Arguments> nothing() {
        return Stream.of(
                Arguments.of("emptyPacketAnswersNothing", (UnaryOperator<byte[]>) b -> new byte[0]),
                Arguments.of("truncatedIpHeaderAnswersNothing", (UnaryOperator<byte[]>) b -> Arrays.copyOf(b, 19)),
                Arguments.of("ihlPastEndAnswersNothing", (UnaryOperator<byte[]>) b -> set(Arrays.copyOf(b, 40), 0, 0x4F)),
                Arguments.of("ihlBelowTwentyAnswersNothing", (UnaryOperator<byte[]>) b -> set(b, 0, 0x44)),
                Arguments.of("totalLengthShorterThanTheHeaderAnswersNothing", (UnaryOperator<byte[]>) b -> set(set(b, 2, 0), 3, 19)),
                Arguments.of("tcpDataOffsetPastEndAnswersNothing", (UnaryOperator<byte[]>) b -> set(Arrays.copyOf(b, 44), 32, 0xF0)),
                Arguments.of("truncatedTcpHeaderAnswersNothing", (UnaryOperator<byte[]>) b -> Arrays.copyOf(b, 30)),
                Arguments.of("notIpv4AnswersNothing", (UnaryOperator<byte[]>) b -> set(b, 0, 0x65)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nothing")
    void malformedTcpAnswersNothing(String name, UnaryOperator<byte[]> damage) {
        assertNull(Answer.of(damage.apply(CapturedPackets.synAck())));
    }

    static Stream<Arguments> icmpNothing() {
        return Stream.of(
                Arguments.of("portUnreachableFromARouterAnswersNothing", CapturedPackets.portUnreachable(0xC6120001)),
                Arguments.of("quoteShorterThan28BytesAnswersNothing", Arrays.copyOf(CapturedPackets.portUnreachable(CapturedPackets.HOST), 55)),
                Arguments.of("quotedIhlPastTheQuoteAnswersNothing",
                        set(Arrays.copyOf(CapturedPackets.portUnreachable(CapturedPackets.HOST), 60), 28, 0x4F)),
                Arguments.of("quotedIpOfAnotherProtocolAnswersNothing", set(CapturedPackets.portUnreachable(CapturedPackets.HOST), 37, 6)),
                Arguments.of("truncatedIcmpHeaderAnswersNothing", Arrays.copyOf(CapturedPackets.echoReply(), 27)),
                Arguments.of("echoRequestAnswersNothing", set(CapturedPackets.echoReply(), 20, 8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("icmpNothing")
    void malformedOrForeignIcmpAnswersNothing(String name, byte[] packet) {
        assertNull(Answer.of(packet));
    }

    private static byte[] set(byte[] b, int at, int value) {
        byte[] out = b.clone();
        out[at] = (byte) value;
        return out;
    }
}
