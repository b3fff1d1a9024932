package io.scanfarm.wire;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressBlockTest {

    /** Expected values are written in hex so that they do not depend on the code under test. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            single address is a /32                  | 10.0.0.1          | 0x0A000001 | 32 | 1          | 0x0A000001 | 10.0.0.1
            explicit /32                             | 10.0.0.1/32       | 0x0A000001 | 32 | 1          | 0x0A000001 | 10.0.0.1
            /20 holds 4096 addresses                 | 198.18.16.0/20    | 0xC6121000 | 20 | 4096       | 0xC6121FFF | 198.18.16.0/20
            /15 holds 131072 addresses               | 198.18.0.0/15     | 0xC6120000 | 15 | 131072     | 0xC613FFFF | 198.18.0.0/15
            /31 holds 2 addresses                    | 198.18.1.6/31     | 0xC6120106 | 31 | 2          | 0xC6120107 | 198.18.1.6/31
            /0 holds all 2^32 addresses              | 0.0.0.0/0         | 0x00000000 | 0  | 4294967296 | 0xFFFFFFFF | 0.0.0.0/0
            host bits below the prefix are cleared   | 198.18.16.77/20   | 0xC6121000 | 20 | 4096       | 0xC6121FFF | 198.18.16.0/20
            host bits cleared for /0                 | 10.1.2.3/0        | 0x00000000 | 0  | 4294967296 | 0xFFFFFFFF | 0.0.0.0/0
            highest address stays unsigned           | 255.255.255.255   | 0xFFFFFFFF | 32 | 1          | 0xFFFFFFFF | 255.255.255.255
            lowest address                           | 0.0.0.0           | 0x00000000 | 32 | 1          | 0x00000000 | 0.0.0.0
            surrounding white space is ignored       | '  10.0.0.1/8  '  | 0x0A000000 | 8  | 16777216   | 0x0AFFFFFF | 10.0.0.0/8
            three-digit octets with leading zeros    | 010.001.000.009   | 0x0A010009 | 32 | 1          | 0x0A010009 | 10.1.0.9
            """)
    void parsesValidForms(String name, String text, String first, int prefix, long size, String last, String shown) {
        AddressBlock b = AddressBlock.parse(text);
        assertAll(
                () -> assertEquals(Long.decode(first), b.first(), "first"),
                () -> assertEquals(prefix, b.prefix(), "prefix"),
                () -> assertEquals(size, b.size(), "size"),
                () -> assertEquals(Long.decode(last), b.last(), "last"),
                () -> assertEquals(shown, b.toString(), "toString"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            prefix above 32                   | 10.0.0.0/33 | the prefix length must be from 0 to 32
            negative prefix                   | 10.0.0.0/-1 | the prefix length must be a number from 0 to 32
            prefix not a number               | 1.2.3.4/x   | the prefix length must be a number from 0 to 32
            empty prefix                      | 1.2.3.4/    | the prefix length must be a number from 0 to 32
            two slashes                       | 1.2.3.4/8/9 | the prefix length must be a number from 0 to 32
            three octets                      | 1.2.3       | is not an IPv4 address (four numbers 0-255 separated by dots)
            five octets                       | 1.2.3.4.5   | is not an IPv4 address (four numbers 0-255 separated by dots)
            octet above 255                   | 256.1.1.1   | 256 is not an octet (0-255)
            last octet above 255              | 1.1.1.999   | 999 is not an octet (0-255)
            letters instead of numbers        | a.b.c.d     | is not an IPv4 address (four numbers 0-255 separated by dots)
            empty text                        | ''          | is not an IPv4 address (four numbers 0-255 separated by dots)
            empty octet between dots          | 1..2.3      | is not an IPv4 address (four numbers 0-255 separated by dots)
            trailing dot                      | 1.2.3.4.    | is not an IPv4 address (four numbers 0-255 separated by dots)
            negative octet                    | 1.2.3.-4    | is not an IPv4 address (four numbers 0-255 separated by dots)
            octet of four digits              | 1.2.3.0004  | is not an IPv4 address (four numbers 0-255 separated by dots)
            a range is not a block            | 1.2.3.4-9   | is not an IPv4 address (four numbers 0-255 separated by dots)
            white space inside the address    | 1.2.3 .4    | is not an IPv4 address (four numbers 0-255 separated by dots)
            """)
    void rejectsMalformedText(String name, String text, String expected) {
        String quoted = "'" + text + "'";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse(text));
        assertAll(
                () -> assertTrue(e.getMessage().contains(quoted), () -> "message should quote " + quoted + ": " + e.getMessage()),
                () -> assertTrue(e.getMessage().contains(expected), () -> "message should say '" + expected + "': " + e.getMessage()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /0 masks nothing       | 0  | 0x00000000
            /1 keeps the top bit   | 1  | 0x80000000
            /8                     | 8  | 0xFF000000
            /15                    | 15 | 0xFFFE0000
            /20                    | 20 | 0xFFFFF000
            /31                    | 31 | 0xFFFFFFFE
            /32 keeps all 32 bits  | 32 | 0xFFFFFFFF
            """)
    void masksStayWithin32Bits(String name, int prefix, String mask) {
        assertEquals(Long.decode(mask), AddressBlock.mask(prefix));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            first address of a /20       | 198.18.16.0/20 | 0xC6121000 | true
            last address of a /20        | 198.18.16.0/20 | 0xC6121FFF | true
            one below a /20              | 198.18.16.0/20 | 0xC6120FFF | false
            one above a /20              | 198.18.16.0/20 | 0xC6122000 | false
            a /32 holds its address      | 10.0.0.1       | 0x0A000001 | true
            a /32 holds no neighbour     | 10.0.0.1       | 0x0A000002 | false
            /0 holds the lowest address  | 0.0.0.0/0      | 0x00000000 | true
            /0 holds the highest address | 0.0.0.0/0      | 0xFFFFFFFF | true
            """)
    void containsExactlyTheBlock(String name, String block, String address, boolean expected) {
        assertEquals(expected, AddressBlock.parse(block).contains(Long.decode(address)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            zero                          | 0x00000000 | 0.0.0.0
            all ones stays unsigned       | 0xFFFFFFFF | 255.255.255.255
            each octet in its place       | 0xC6121009 | 198.18.16.9
            high bit set                  | 0x80000001 | 128.0.0.1
            """)
    void writesDottedQuads(String name, String address, String text) {
        assertAll(
                () -> assertEquals(text, AddressBlock.text(Long.decode(address)), "text"),
                () -> assertEquals(Long.decode(address), AddressBlock.address(text, text), "address"));
    }
}
