package io.scanfarm.matcher.tests.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.Tcp;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Ops letters of a reply's options, one row per shape seen in the database or per quirk of the walk. */
class OpsStringTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("no options", "", "", ""),
                Arguments.of("MSS only, not the probes' 265", "020405B4", "", "M"),
                Arguments.of("MSS echoing the probes' 265", "02040109", "", "ME"),
                Arguments.of("Linux 2.6: MSS NOP NOP TS NOP WS", "020405B4 0101 080A0000000100000000 01 030307", "", "MNNTNW"),
                Arguments.of("echoed list: WS NOP MSS=265 TS EOL", "03030A01 02040109 080A3F3F3F3F00000000 0000", "", "WNMETL"),
                Arguments.of("reading stops at the end-of-list option", "01000101", "", "NL"),
                Arguments.of("window scale then EOL", "03030700", "", "WL"),
                Arguments.of("SACK-permitted's length byte is read as an MSS kind", "020405B4 0402 080A0000000100000000 01010101", "", "MML"),
                Arguments.of("an unknown kind adds nothing and steps one byte", "0E010101", "", "NNN"),
                Arguments.of("an MSS value past the options' end is read from the data", "01010102", "040109", "NNNME"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void lettersAsFingerprintIptcppacketSpellsThem(String name, String options, String data, String expected) throws Exception {
        byte[] d = HexFormat.of().parseHex(data);
        String padded = options.replace(" ", "");
        Ipv4 ip = Ipv4.parse(RawPackets.tcp(RawPackets.TARGET, RawPackets.AGENT, 80, 40000, 1, 2, 0x12, 8192, 1, true, padded, d));
        assertEquals(expected, OpsString.of(Tcp.parse(ip)));
    }
}
