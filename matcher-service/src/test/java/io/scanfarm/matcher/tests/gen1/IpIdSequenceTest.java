package io.scanfarm.matcher.tests.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ipid_sequence's classes from constructed IP ID runs, one row per rule and per order-of-rules quirk. */
class IpIdSequenceTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("one sample says nothing", List.of(7), false, IpIdSequence.UNKNOWN),
                Arguments.of("all zero", List.of(0, 0, 0, 0, 0, 0), false, IpIdSequence.ZERO),
                Arguments.of("the same non-zero ID", List.of(4242, 4242, 4242, 4242), false, IpIdSequence.CONSTANT),
                Arguments.of("incrementing by 1", List.of(100, 101, 102, 103, 104, 105), false, IpIdSequence.INCREMENTAL),
                Arguments.of("one step of 1 is enough", List.of(100, 150, 151, 200), false, IpIdSequence.INCREMENTAL),
                Arguments.of("small steps up to 9", List.of(100, 109, 112, 120), false, IpIdSequence.INCREMENTAL),
                Arguments.of("steps of 10 to 1000 fit no class", List.of(100, 120, 140, 160), false, IpIdSequence.UNKNOWN),
                Arguments.of("byte-swapped counter: steps of 256", List.of(0x0100, 0x0200, 0x0400, 0x0500), false, IpIdSequence.BROKEN_INCREMENTAL),
                Arguments.of("steps of 2560 are over 1000 before they are multiples of 256", List.of(0, 2560, 5120, 7680), false, IpIdSequence.RANDOM_POSITIVE),
                Arguments.of("large positive steps", List.of(1000, 3000, 9000, 20000), false, IpIdSequence.RANDOM_POSITIVE),
                Arguments.of("a fall is random", List.of(30000, 12000, 50000, 51000), false, IpIdSequence.RANDOM),
                Arguments.of("a wrap past 65535 is not a fall", List.of(65530, 65533, 2, 5), false, IpIdSequence.INCREMENTAL),
                Arguments.of("the first offending step decides: 0 before 2000", List.of(10, 10, 2010), false, IpIdSequence.CONSTANT),
                Arguments.of("the first offending step decides: 2000 before 0", List.of(10, 2010, 2010), false, IpIdSequence.RANDOM_POSITIVE),
                Arguments.of("localhost: our own RSTs take every other ID", List.of(100, 102, 104, 106), true, IpIdSequence.INCREMENTAL),
                Arguments.of("localhost: a step of 1 leaves the steps alone", List.of(100, 101, 103, 105), true, IpIdSequence.INCREMENTAL),
                Arguments.of("localhost: steps of 256 lose 256 and look constant", List.of(0x0100, 0x0200, 0x0300), true, IpIdSequence.CONSTANT),
                Arguments.of("localhost: steps of 257 are 256 of the target's own", List.of(0x0100, 0x0201, 0x0302), true, IpIdSequence.BROKEN_INCREMENTAL),
                Arguments.of("elsewhere: steps of 257 fit no class", List.of(0x0100, 0x0201, 0x0302), false, IpIdSequence.UNKNOWN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void classifies(String name, List<Integer> ids, boolean localhost, IpIdSequence expected) {
        assertEquals(expected, IpIdSequence.of(ids, localhost));
    }
}
