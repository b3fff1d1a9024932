package io.scanfarm.coordinator.targets;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.wire.AddressBlock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SegmentMapTest {

    /** Entries are separated by ';' in a table cell. */
    private static SegmentMap map(String entries) {
        return SegmentMap.parse(Arrays.asList(entries.split(";")));
    }

    private static long address(String text) {
        return AddressBlock.address(text, text);
    }

    /** A route as "segment=a b c" groups joined by "; ", in the map's own key order; the unmapped key shows as "null". */
    private static String render(Map<String, List<Long>> route) {
        return route.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().stream().map(AddressBlock::text).collect(Collectors.joining(" ")))
                .collect(Collectors.joining("; "));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            address inside the only block                | 198.18.0.0/15=lab                                         | 198.19.255.255 | lab
            first address of a block                     | 198.18.0.0/15=lab                                         | 198.18.0.0     | lab
            address just below a block is unmapped       | 198.18.0.0/15=lab                                         | 198.17.255.255 |
            address just above a block is unmapped       | 198.18.0.0/15=lab                                         | 198.20.0.0     |
            address outside every block is unmapped     | 10.0.0.0/8=a                                              | 11.0.0.1       |
            /24 beats /16 beats /8, broad listed first   | 10.0.0.0/8=wide;10.1.0.0/16=mid;10.1.2.0/24=narrow        | 10.1.2.3       | narrow
            /24 beats /16 beats /8, narrow listed first  | 10.1.2.0/24=narrow;10.1.0.0/16=mid;10.0.0.0/8=wide        | 10.1.2.3       | narrow
            outside the /24 the /16 wins                 | 10.0.0.0/8=wide;10.1.2.0/24=narrow;10.1.0.0/16=mid        | 10.1.3.3       | mid
            outside the /16 the /8 wins                  | 10.1.2.0/24=narrow;10.1.0.0/16=mid;10.0.0.0/8=wide        | 10.2.0.1       | wide
            host /32 beats its /31                       | 10.0.0.0/31=pair;10.0.0.1=host                            | 10.0.0.1       | host
            /31 keeps its other address                  | 10.0.0.0/31=pair;10.0.0.1=host                            | 10.0.0.0       | pair
            /0 catches what nothing else holds           | 0.0.0.0/0=default;10.0.0.0/8=ten                          | 203.0.113.7    | default
            /0 loses to any more specific block          | 0.0.0.0/0=default;10.0.0.0/8=ten                          | 10.9.9.9       | ten
            host bits in an entry are ignored            | 198.18.1.77/24=lab                                        | 198.18.1.1     | lab
            disjoint blocks pick their own segment       | 198.18.0.0/16=lab;198.19.0.0/16=dmz                       | 198.19.0.5     | dmz
            """)
    void mostSpecificBlockWins(String name, String entries, String address, String expected) {
        assertEquals(expected, map(entries).segmentOf(address(address)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            all in one segment           | 198.18.0.0/15=lab                           | 198.18.0.1 198.18.0.2           | lab=198.18.0.1 198.18.0.2
            unmapped under the null key  | 198.18.0.0/15=lab                           | 10.0.0.1 198.18.0.1 203.0.113.1 | null=10.0.0.1 203.0.113.1; lab=198.18.0.1
            only unmapped addresses      | 198.18.0.0/15=lab                           | 10.0.0.1 10.0.0.2               | null=10.0.0.1 10.0.0.2
            groups keep address order    | 10.0.0.0/8=wide;10.1.0.0/16=mid             | 10.0.0.1 10.1.0.1 10.2.0.1 10.1.0.2 | wide=10.0.0.1 10.2.0.1; mid=10.1.0.1 10.1.0.2
            most specific wins in routes | 10.0.0.0/8=wide;10.0.0.0/24=narrow          | 10.0.0.1 10.0.1.1               | narrow=10.0.0.1; wide=10.0.1.1
            same segment for two blocks  | 10.0.0.0/24=lab;10.0.2.0/24=lab             | 10.0.0.1 10.0.1.1 10.0.2.1      | lab=10.0.0.1 10.0.2.1; null=10.0.1.1
            """)
    void routesGroupAddressesBySegment(String name, String entries, String addresses, String expected) {
        List<Long> list = Arrays.stream(addresses.split(" ")).map(SegmentMapTest::address).toList();
        Map<String, List<Long>> route = map(entries).route(list);
        assertEquals(expected, render(route));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unmapped addresses are under a real null key | 198.18.0.0/15=lab | 10.0.0.1 | true
            a fully mapped route has no null key        | 198.18.0.0/15=lab | 198.18.0.1 | false
            """)
    void unmappedKeyIsNull(String name, String entries, String address, boolean hasNullKey) {
        Map<String, List<Long>> route = map(entries).route(List.of(address(address)));
        assertEquals(hasNullKey, route.containsKey(null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            name with every allowed character        | 10.0.0.0/8=Lab-1.dmz_2          | Lab-1.dmz_2
            white space around the parts is ignored  | ' 10.0.0.0/8 = lab '            | lab
            single address entry                     | 10.0.0.1=host                   | host
            """)
    void acceptsValidEntries(String name, String entry, String segment) {
        SegmentMap m = SegmentMap.parse(List.of(entry));
        assertAll(
                () -> assertEquals(List.of(segment), m.segments(), "segments"),
                () -> assertEquals(segment, m.segmentOf(address("10.0.0.1")), "segmentOf"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            one name each, first appearance order    | 10.0.0.0/8=b;11.0.0.0/8=a;12.0.0.0/8=b | b a
            a single name                            | 10.0.0.0/8=lab                          | lab
            """)
    void segmentsAreDistinct(String name, String entries, String expected) {
        assertEquals(List.of(expected.split(" ")), map(entries).segments());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no equals sign               | 10.0.0.0/8               | 10.0.0.0/8          | is not CIDR=segment
            no block before the sign     | =lab                     | =lab                | is not CIDR=segment
            no segment after the sign    | 10.0.0.0/8=              | 10.0.0.0/8=         | is not CIDR=segment
            prefix above 32              | 10.0.0.0/33=lab          | 10.0.0.0/33         | the prefix length must be from 0 to 32
            prefix not a number          | 10.0.0.0/x=lab           | 10.0.0.0/x          | the prefix length must be a number from 0 to 32
            three octets                 | 10.0.0/8=lab             | 10.0.0/8            | is not an IPv4 address (four numbers 0-255 separated by dots)
            octet above 255              | 10.0.0.256=lab           | 10.0.0.256          | 256 is not an octet (0-255)
            space in the segment name    | 10.0.0.0/8=bad name      | bad name            | may hold only letters, digits
            slash in the segment name    | 10.0.0.0/8=lab/1         | lab/1               | may hold only letters, digits
            second equals sign           | 10.0.0.0/8=a=b           | a=b                 | may hold only letters, digits
            bad entry after a good one   | 10.0.0.0/8=lab;=dmz      | =dmz                | is not CIDR=segment
            one block for two segments   | 10.0.0.0/8=lab;10.0.0.0/8=dmz | dmz            | is given twice
            """)
    void rejectsBadEntries(String name, String entries, String badPart, String expected) {
        TargetException e = assertThrows(TargetException.class, () -> map(entries));
        String quoted = "'" + badPart + "'";
        assertAll(
                () -> assertTrue(e.getMessage().contains(quoted), () -> "message should quote " + quoted + ": " + e.getMessage()),
                () -> assertTrue(e.getMessage().contains(expected), () -> "message should say '" + expected + "': " + e.getMessage()));
    }
}
