package io.scanfarm.matcher.tests.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.packet.Ipv4;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PU from a port unreachable quoting the 328-byte UDP probe, one row per way a stack treats the quote (the
 * database's RIPTL, RID, RIPCK, UCK, ULEN and DAT values), and the packets that are not an answer at all.
 */
class PortUnreachableLineTest {

    private static final int PROBE_ID = 0x5A17;
    private static final int PATTERN = 'C';
    private static final byte[] PROBE = RawPackets.udp(RawPackets.AGENT, RawPackets.TARGET, 41000, 40125, PROBE_ID, PATTERN, 300);

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("the whole probe quoted back untouched (Linux)", 328, false, 0xC0, none(),
                        "PU(Resp=Y%DF=N%TOS=C0%IPLEN=164%RIPTL=148%RID=E%RIPCK=E%UCK=E%ULEN=134%DAT=E)"),
                Arguments.of("only the UDP header and 8 bytes quoted, DF set", 36, true, 0, none(),
                        "PU(Resp=Y%DF=Y%TOS=0%IPLEN=40%RIPTL=148%RID=E%RIPCK=E%UCK=E%ULEN=134%DAT=E)"),
                Arguments.of("IP and UDP headers only", 28, false, 0, none(),
                        "PU(Resp=Y%DF=N%TOS=0%IPLEN=38%RIPTL=148%RID=E%RIPCK=E%UCK=E%ULEN=134%DAT=E)"),
                Arguments.of("total length quoted in host order, checksum redone", 28, false, 0,
                        quote(q -> {
                            q[2] = 0x48;
                            q[3] = 0x01;
                            RawPackets.fixIpChecksum(q, 0);
                        }),
                        "PU(Resp=Y%DF=N%TOS=0%IPLEN=38%RIPTL=4801%RID=E%RIPCK=E%UCK=E%ULEN=134%DAT=E)"),
                Arguments.of("TTL decremented, checksum left stale", 28, false, 0, quote(q -> q[8]--),
                        "PU(Resp=Y%DF=N%TOS=0%IPLEN=38%RIPTL=148%RID=E%RIPCK=F%UCK=E%ULEN=134%DAT=E)"),
                Arguments.of("IP ID zeroed, checksum zeroed", 28, false, 0, quote(q -> {
                            q[4] = 0;
                            q[5] = 0;
                            q[10] = 0;
                            q[11] = 0;
                        }),
                        "PU(Resp=Y%DF=N%TOS=0%IPLEN=38%RIPTL=148%RID=0%RIPCK=0%UCK=E%ULEN=134%DAT=E)"),
                Arguments.of("IP ID rewritten", 28, false, 0, quote(q -> {
                            q[4] = 0x12;
                            RawPackets.fixIpChecksum(q, 0);
                        }),
                        "PU(Resp=Y%DF=N%TOS=0%IPLEN=38%RIPTL=148%RID=F%RIPCK=E%UCK=E%ULEN=134%DAT=E)"),
                Arguments.of("UDP checksum zeroed", 28, false, 0, quote(q -> {
                            q[26] = 0;
                            q[27] = 0;
                        }),
                        "PU(Resp=Y%DF=N%TOS=0%IPLEN=38%RIPTL=148%RID=E%RIPCK=E%UCK=0%ULEN=134%DAT=E)"),
                Arguments.of("UDP checksum changed, UDP length changed", 28, false, 0, quote(q -> {
                            q[27]++;
                            q[25] = 0x40;
                        }),
                        "PU(Resp=Y%DF=N%TOS=0%IPLEN=38%RIPTL=148%RID=E%RIPCK=E%UCK=F%ULEN=140%DAT=E)"),
                Arguments.of("one data byte changed", 328, false, 0, quote(q -> q[200] = 'D'),
                        "PU(Resp=Y%DF=N%TOS=0%IPLEN=164%RIPTL=148%RID=E%RIPCK=E%UCK=E%ULEN=134%DAT=F)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void line(String name, int quoteLength, boolean df, int tos, Consumer<byte[]> change, String expected) throws Exception {
        byte[] quoted = PROBE.clone();
        change.accept(quoted);
        byte[] reply = RawPackets.unreachable(RawPackets.TARGET, RawPackets.AGENT, 3, quoted, quoteLength, df, tos);
        assertEquals(expected, new FpTest("PU", PortUnreachableLine.of(Ipv4.parse(reply), RawPackets.TARGET, Ipv4.parse(PROBE))).toString());
    }

    @Test
    void notFromTheTarget() throws Exception {
        byte[] reply = RawPackets.unreachable(0x0A000001, RawPackets.AGENT, 3, PROBE, 328, false, 0);
        assertNull(PortUnreachableLine.of(Ipv4.parse(reply), RawPackets.TARGET, Ipv4.parse(PROBE)));
    }

    @Test
    void notAPortUnreachable() throws Exception {
        byte[] reply = RawPackets.unreachable(RawPackets.TARGET, RawPackets.AGENT, 1, PROBE, 328, false, 0);
        assertNull(PortUnreachableLine.of(Ipv4.parse(reply), RawPackets.TARGET, Ipv4.parse(PROBE)));
    }

    @Test
    void quotingOtherPorts() throws Exception {
        byte[] other = PROBE.clone();
        other[23]++;
        byte[] reply = RawPackets.unreachable(RawPackets.TARGET, RawPackets.AGENT, 3, other, 328, false, 0);
        assertNull(PortUnreachableLine.of(Ipv4.parse(reply), RawPackets.TARGET, Ipv4.parse(PROBE)));
    }

    @Test
    void capturedShortOfItsOwnLength() throws Exception {
        byte[] reply = RawPackets.unreachable(RawPackets.TARGET, RawPackets.AGENT, 3, PROBE, 328, false, 0);
        assertNull(PortUnreachableLine.of(Ipv4.parse(Arrays.copyOf(reply, 200)), RawPackets.TARGET, Ipv4.parse(PROBE)));
    }

    @Test
    void quotingTooLittleToReadTheUdpHeader() throws Exception {
        byte[] reply = RawPackets.unreachable(RawPackets.TARGET, RawPackets.AGENT, 3, PROBE, 24, false, 0);
        assertNull(PortUnreachableLine.of(Ipv4.parse(reply), RawPackets.TARGET, Ipv4.parse(PROBE)));
    }

    private static Consumer<byte[]> none() {
        return q -> { };
    }

    private static Consumer<byte[]> quote(Consumer<byte[]> c) {
        return c;
    }
}
