package io.scanfarm.coordinator.targets;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.wire.AddressBlock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetSetTest {

    /** A column of specifications: ';' separates list elements, an empty (null) cell is an empty list. */
    private static List<String> specs(String cell) {
        return cell == null ? List.of() : Arrays.asList(cell.split(";", -1));
    }

    private static List<String> texts(List<Long> addresses) {
        return addresses.stream().map(AddressBlock::text).toList();
    }

    private static long address(String text) {
        return AddressBlock.address(text, text);
    }

    private static List<Long> expandDefault(String targets, String exclusions) {
        return TargetSet.expand(specs(targets), specs(exclusions), TargetSet.DEFAULT_MAX, false);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            single address                                 | 10.0.0.1                                        |                             | 10.0.0.1
            /32 is one address                             | 198.18.1.1/32                                   |                             | 198.18.1.1
            /30 expands to its four addresses              | 198.18.1.4/30                                   |                             | 198.18.1.4 198.18.1.5 198.18.1.6 198.18.1.7
            host bits of a CIDR are ignored                | 198.18.1.6/30                                   |                             | 198.18.1.4 198.18.1.5 198.18.1.6 198.18.1.7
            last-octet range is inclusive                  | 198.18.1.2-9                                    |                             | 198.18.1.2 198.18.1.3 198.18.1.4 198.18.1.5 198.18.1.6 198.18.1.7 198.18.1.8 198.18.1.9
            range of one address                           | 198.18.1.5-5                                    |                             | 198.18.1.5
            range up to 255                                | 198.18.1.254-255                                |                             | 198.18.1.254 198.18.1.255
            list separated by a comma and a space          | 10.0.0.1, 10.0.0.2 10.0.0.3                     |                             | 10.0.0.1 10.0.0.2 10.0.0.3
            list separated by commas only                  | 10.0.0.1,10.0.0.2                               |                             | 10.0.0.1 10.0.0.2
            list separated by tabs                         | 10.0.0.1\t10.0.0.2\t\t10.0.0.3                  |                             | 10.0.0.1 10.0.0.2 10.0.0.3
            leading and trailing separators are ignored    | ' ,10.0.0.1 , '                                 |                             | 10.0.0.1
            several specification arguments                | 10.0.0.2;10.0.0.1                               |                             | 10.0.0.1 10.0.0.2
            mixed forms in one list                        | 10.0.0.9, 10.0.0.4/31 10.0.0.6-7                |                             | 10.0.0.4 10.0.0.5 10.0.0.6 10.0.0.7 10.0.0.9
            result is sorted whatever the input order      | 10.0.0.3 10.0.0.1 10.0.0.2                      |                             | 10.0.0.1 10.0.0.2 10.0.0.3
            sorted as unsigned above 128.0.0.0             | 200.0.0.1, 10.0.0.1, 128.0.0.1                  |                             | 10.0.0.1 128.0.0.1 200.0.0.1
            repeated address is kept once                  | 10.0.0.1, 10.0.0.1;10.0.0.1                     |                             | 10.0.0.1
            overlapping CIDR, range and address de-duplicated | 198.18.1.0/30, 198.18.1.2-5 198.18.1.3       |                             | 198.18.1.0 198.18.1.1 198.18.1.2 198.18.1.3 198.18.1.4 198.18.1.5
            excluding one address                          | 198.18.1.0/29                                   | 198.18.1.3                  | 198.18.1.0 198.18.1.1 198.18.1.2 198.18.1.4 198.18.1.5 198.18.1.6 198.18.1.7
            excluding a CIDR                               | 198.18.1.0/29                                   | 198.18.1.4/30               | 198.18.1.0 198.18.1.1 198.18.1.2 198.18.1.3
            excluding a last-octet range                   | 198.18.1.0/29                                   | 198.18.1.0-5                | 198.18.1.6 198.18.1.7
            excluding a list                               | 198.18.1.0/29                                   | 198.18.1.0, 198.18.1.7      | 198.18.1.1 198.18.1.2 198.18.1.3 198.18.1.4 198.18.1.5 198.18.1.6
            exclusions given as several arguments          | 198.18.1.0/30                                   | 198.18.1.0;198.18.1.3       | 198.18.1.1 198.18.1.2
            exclusion outside the targets changes nothing  | 198.18.1.2-3                                    | 10.0.0.0/8                  | 198.18.1.2 198.18.1.3
            """)
    void expandsValidForms(String name, String targets, String exclusions, String expected) {
        // (an exclusion wider than the targets leaves nothing: see everyTargetExcludedIsAnError)
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(" "));
        assertEquals(want, texts(expandDefault(targets, exclusions)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /20 is 4096 addresses                      | 198.18.16.0/20                   |                  | 4096  | 198.18.16.0 | 198.18.31.255
            /16 is exactly the default ceiling         | 198.18.0.0/16                    |                  | 65536 | 198.18.0.0  | 198.18.255.255
            /20 minus a /24 is 3840 addresses          | 198.18.16.0/20                   | 198.18.16.0/24   | 3840  | 198.18.17.0 | 198.18.31.255
            /20 minus an address is 4095 addresses     | 198.18.16.0/20                   | 198.18.20.20     | 4095  | 198.18.16.0 | 198.18.31.255
            two disjoint /24 given in reverse order    | 198.18.2.0/24 198.18.1.0/24      |                  | 512   | 198.18.1.0  | 198.18.2.255
            /20 with a /24 inside it counted once      | 198.18.16.0/20, 198.18.17.0/24   |                  | 4096  | 198.18.16.0 | 198.18.31.255
            """)
    void expandsBlocksToTheirSizeInOrder(String name, String targets, String exclusions, int count, String first, String last) {
        List<Long> out = expandDefault(targets, exclusions);
        assertAll(
                () -> assertEquals(count, out.size(), "count"),
                () -> assertEquals(first, AddressBlock.text(out.get(0)), "first"),
                () -> assertEquals(last, AddressBlock.text(out.get(out.size() - 1)), "last"),
                () -> {
                    for (int i = 1; i < out.size(); i++) {
                        assertTrue(out.get(i - 1) < out.get(i), "not strictly ascending at index " + i);
                    }
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            prefix above 32                       | 10.0.0.0/33                 | 10.0.0.0/33     | the prefix length must be from 0 to 32
            prefix not a number                   | 1.2.3.4/x                   | 1.2.3.4/x       | the prefix length must be a number from 0 to 32
            three octets                          | 1.2.3                       | 1.2.3           | is not an IPv4 address (four numbers 0-255 separated by dots)
            five octets                           | 1.2.3.4.5                   | 1.2.3.4.5       | is not an IPv4 address (four numbers 0-255 separated by dots)
            octet above 255                       | 256.1.1.1                   | 256.1.1.1       | 256 is not an octet (0-255)
            letters                               | a.b.c.d                     | a.b.c.d         | is not an IPv4 address (four numbers 0-255 separated by dots)
            empty octet                           | 1..2.3                      | 1..2.3          | is not an IPv4 address (four numbers 0-255 separated by dots)
            a lone dash                           | -                           | -               | is not an IPv4 address (four numbers 0-255 separated by dots)
            range ending in a full address        | 1.2.3.4-1.2.3.9             | 1.2.3.4-1.2.3.9 | a range is written a.b.c.d-e, the end being the last octet (0-255)
            range with no end                     | 1.2.3.4-                    | 1.2.3.4-        | a range is written a.b.c.d-e, the end being the last octet (0-255)
            range with two dashes                 | 1.2.3.4-5-6                 | 1.2.3.4-5-6     | a range is written a.b.c.d-e, the end being the last octet (0-255)
            range end below its start            | 1.2.3.9-4                   | 1.2.3.9-4       | the range's end must be an octet from 9 to 255
            range end above 255                   | 1.2.3.4-256                 | 1.2.3.4-256     | the range's end must be an octet from 4 to 255
            range with no start                   | -9                          | -9              | is not an IPv4 address (four numbers 0-255 separated by dots)
            range start of three octets           | 1.2.3-4                     | 1.2.3-4         | is not an IPv4 address (four numbers 0-255 separated by dots)
            range start with an octet above 255   | 1.2.300.4-9                 | 1.2.300.4-9     | 300 is not an octet (0-255)
            range written on a CIDR               | 1.2.3.0/24-9                | 1.2.3.0/24-9    | is not an IPv4 address (four numbers 0-255 separated by dots)
            bad token named inside a list         | 10.0.0.1, 1.2.3 10.0.0.2    | 1.2.3           | is not an IPv4 address (four numbers 0-255 separated by dots)
            bad token named in a later argument   | 10.0.0.1;10.0.0.2, 1.2.3.9-4 | 1.2.3.9-4      | the range's end must be an octet from 9 to 255
            """)
    void rejectsMalformedTargets(String name, String targets, String badToken, String expected) {
        TargetException e = assertThrows(TargetException.class, () -> expandDefault(targets, null));
        assertMessage(e, badToken, expected);
    }

    @org.junit.jupiter.api.Test
    void everyTargetExcludedIsAnError() {
        TargetException e = assertThrows(TargetException.class, () -> expandDefault("198.18.1.2-3", "198.18.1.0/29, 10.0.0.1"));
        assertEquals("every target is excluded", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed excluded address           | 10.0.0.0/24 | 1.2.3                  | 1.2.3           | is not an IPv4 address (four numbers 0-255 separated by dots)
            malformed excluded CIDR              | 10.0.0.0/24 | 10.0.0.0/33            | 10.0.0.0/33     | the prefix length must be from 0 to 32
            malformed excluded range             | 10.0.0.0/24 | 10.0.0.9-4             | 10.0.0.9-4      | the range's end must be an octet from 9 to 255
            malformed exclusion inside a list    | 10.0.0.0/24 | 10.0.0.1, 256.0.0.1    | 256.0.0.1       | 256 is not an octet (0-255)
            malformed exclusion with no targets  |             | a.b.c.d                | a.b.c.d         | is not an IPv4 address (four numbers 0-255 separated by dots)
            """)
    void rejectsMalformedExclusions(String name, String targets, String exclusions, String badToken, String expected) {
        TargetException e = assertThrows(TargetException.class, () -> expandDefault(targets, exclusions));
        assertMessage(e, badToken, expected);
    }

    private static void assertMessage(TargetException e, String badToken, String expected) {
        String quoted = "'" + badToken + "'";
        assertAll(
                () -> assertTrue(e.getMessage().contains(quoted), () -> "message should quote " + quoted + ": " + e.getMessage()),
                () -> assertTrue(e.getMessage().contains(expected), () -> "message should say '" + expected + "': " + e.getMessage()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no specification arguments           |               |
            one empty argument                   | ''            |
            only white space                     | '   '         |
            only separators                      | ' , ,\t'      |
            several empty arguments              | ';'           |
            empty targets with exclusions        | ''            | 10.0.0.1
            """)
    void refusesEmptyInput(String name, String targets, String exclusions) {
        TargetException e = assertThrows(TargetException.class, () -> expandDefault(targets, exclusions));
        assertEquals("no targets given", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /15 is over the default ceiling          | 198.18.0.0/15               | 65536 | 131072
            /16 plus one address is one too many     | 198.18.0.0/16, 10.0.0.1     | 65536 | 65537
            /0 is refused before expansion           | 0.0.0.0/0                   | 65536 | 4294967296
            /29 over a ceiling of 7                  | 10.0.0.0/29                 | 7     | 8
            range over a ceiling of 4                | 10.0.0.1-5                  | 4     | 5
            """)
    void refusesMoreThanTheCeiling(String name, String targets, long max, long total) {
        TargetException e = assertThrows(TargetException.class, () -> TargetSet.expand(specs(targets), List.of(), max, false));
        assertAll(
                () -> assertTrue(e.getMessage().contains("cover " + total + " addresses"), e.getMessage()),
                () -> assertTrue(e.getMessage().contains("limit of " + max), e.getMessage()),
                () -> assertTrue(e.getMessage().contains("--allow-large"), e.getMessage()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /16 plus one address with allowLarge     | 198.18.0.0/16, 10.0.0.1     | 65536 | true  | 65537
            /29 over a ceiling of 7 with allowLarge  | 10.0.0.0/29                 | 7     | true  | 8
            /29 at a ceiling of 8                    | 10.0.0.0/29                 | 8     | false | 8
            range at a ceiling of 5                  | 10.0.0.1-5                  | 5     | false | 5
            overlapping specs count once against the ceiling | 10.0.0.0/29, 10.0.0.0/29  | 8  | false | 8
            an address inside a block counts once    | 10.0.0.0/29 10.0.0.4        | 8     | false | 8
            """)
    void acceptsUpToTheCeilingOrWhenAllowed(String name, String targets, long max, boolean allowLarge, int count) {
        assertEquals(count, TargetSet.expand(specs(targets), List.of(), max, allowLarge).size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            range start parsed as an address  | 198.18.1.250-252 | 198.18.1.250 | 198.18.1.252
            range keeps the first three octets | 10.20.30.0-1    | 10.20.30.0   | 10.20.30.1
            CIDR gives its first and last     | 10.20.30.0/23    | 10.20.30.0   | 10.20.31.255
            """)
    void rangesAreInclusivePairs(String name, String token, String first, String last) {
        long[] r = TargetSet.range(token);
        assertAll(
                () -> assertEquals(address(first), r[0], "first"),
                () -> assertEquals(address(last), r[1], "last"));
    }
}
