package io.scanfarm.matcher.tests.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.Tcp;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** T1-T7 lines from one reply each: Resp, DF, W, ACK, Flags in B-U-A-P-R-S-F order, Ops. */
class TcpReplyLineTest {

    private static final long SEQ = 0x12345678L;

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("SYN/ACK acknowledging seq+1", SEQ + 1, 0x12, 0x16A0, true, "020405B4",
                        "T(Resp=Y%DF=Y%W=16A0%ACK=S++%Flags=AS%Ops=M)"),
                Arguments.of("RST/ACK acknowledging seq itself", SEQ, 0x14, 0, false, "",
                        "T(Resp=Y%DF=N%W=0%ACK=S%Flags=AR%Ops=)"),
                Arguments.of("bare RST with ack 0", 0, 0x04, 0, true, "", "T(Resp=Y%DF=Y%W=0%ACK=O%Flags=R%Ops=)"),
                Arguments.of("the bogus flag echoed on a SYN/ACK", SEQ + 1, 0x52, 0x2000, true, "",
                        "T(Resp=Y%DF=Y%W=2000%ACK=S++%Flags=BAS%Ops=)"),
                Arguments.of("every letter in Nmap's order", SEQ + 2, 0x7F, 1, false, "", "T(Resp=Y%DF=N%W=1%ACK=O%Flags=BUAPRSF%Ops=)"),
                Arguments.of("CWR has no letter", SEQ + 1, 0x92, 0xFFFF, false, "", "T(Resp=Y%DF=N%W=FFFF%ACK=S++%Flags=AS%Ops=)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void lineFromReply(String name, long ack, int flags, int window, boolean df, String options, String expected) throws Exception {
        Tcp t = Tcp.parse(Ipv4.parse(RawPackets.tcp(RawPackets.TARGET, RawPackets.AGENT, 80, 40007, 999, ack, flags, window, 7, df,
                options, new byte[0])));
        assertEquals(expected, new FpTest("T", TcpReplyLine.of(t, SEQ)).toString());
    }

    @ParameterizedTest(name = "probe seq {0}")
    @MethodSource("wraps")
    void plusOneWrapsAt32Bits(long probeSeq, long ack, String expected) throws Exception {
        Tcp t = Tcp.parse(Ipv4.parse(RawPackets.tcp(RawPackets.TARGET, RawPackets.AGENT, 80, 40007, 999, ack, 0x12, 1, 7, true,
                "", new byte[0])));
        assertEquals(expected, TcpReplyLine.of(t, probeSeq).get(3).value());
    }

    static Stream<Arguments> wraps() {
        return Stream.of(Arguments.of(0xFFFF_FFFFL, 0L, "S++"), Arguments.of(0xFFFF_FFFFL, 0xFFFF_FFFFL, "S"),
                Arguments.of(0L, 1L, "S++"), Arguments.of(0L, 0xFFFF_FFFFL, "O"));
    }
}
