package io.scanfarm.matcher.match;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HexStrtol} against glibc's {@code strtol(s, &end, 16)} on a 64-bit long, the result stored in an
 * unsigned int as Nmap's expr_match does. Expected values are worked out from the C standard and glibc's
 * documented behaviour (saturation to LONG_MAX / LONG_MIN, end left at the start when nothing converts, "0x"
 * without a hex digit after it read as the number 0 ending at the 'x').
 */
class HexStrtolTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // case, input, from, expected value (unsigned int, hex), expected end
                Arguments.of("uppercase digits", "1F", 0, "1F", 2),
                Arguments.of("lowercase digits", "ff", 0, "FF", 2),
                Arguments.of("mixed-case digits", "aBc", 0, "ABC", 3),
                Arguments.of("stops at the first non-hex character", "12|34", 0, "12", 2),
                Arguments.of("leading space, tab and newline skipped", " \t\n1A", 0, "1A", 5),
                Arguments.of("vertical tab, form feed and CR are C white space", "\u000B\f\r7", 0, "7", 4),
                Arguments.of("plus sign", "+A", 0, "A", 2),
                Arguments.of("minus one wraps to 0xFFFFFFFF in an unsigned int", "-1", 0, "FFFFFFFF", 2),
                Arguments.of("negative value keeps its two's complement low bits", "-10", 0, "FFFFFFF0", 3),
                Arguments.of("0x prefix followed by a hex digit is skipped", "0x1F", 0, "1F", 4),
                Arguments.of("0X prefix with lowercase digits", "0X1f", 0, "1F", 4),
                Arguments.of("sign before 0x prefix", "-0x10", 0, "FFFFFFF0", 5),
                Arguments.of("0x alone reads 0 and ends at the x", "0x", 0, "0", 1),
                Arguments.of("0x before a non-hex character reads 0 and ends at the x", "0xG", 0, "0", 1),
                Arguments.of("white space then 0x alone ends at the x", " 0x", 0, "0", 2),
                Arguments.of("signed 0x alone ends at the x", "-0x", 0, "0", 2),
                Arguments.of("empty string: no digits, end at start", "", 0, "0", 0),
                Arguments.of("non-hex first character: end at start", "G1", 0, "0", 0),
                Arguments.of("only white space: end at start, not after the spaces", "   ", 0, "0", 0),
                Arguments.of("lone sign: end at start", "-", 0, "0", 0),
                Arguments.of("white space after the sign is not allowed", "+ 1", 0, "0", 0),
                Arguments.of("x without the leading 0 is not a prefix", "x1", 0, "0", 0),
                Arguments.of("largest 32-bit value", "FFFFFFFF", 0, "FFFFFFFF", 8),
                Arguments.of("33-bit value keeps its low 32 bits", "123456789", 0, "23456789", 9),
                Arguments.of("2^32 truncates to 0", "100000000", 0, "0", 9),
                Arguments.of("LONG_MAX converts without overflow", "7FFFFFFFFFFFFFFF", 0, "FFFFFFFF", 16),
                Arguments.of("2^63 saturates to LONG_MAX (plain truncation would give 0)",
                        "8000000000000000", 0, "FFFFFFFF", 16),
                Arguments.of("2^64 saturates to LONG_MAX (plain truncation would give 0)",
                        "10000000000000000", 0, "FFFFFFFF", 17),
                Arguments.of("overflow still consumes every digit", "123456789ABCDEF0123Z", 0, "FFFFFFFF", 19),
                Arguments.of("-2^63 is exactly LONG_MIN", "-8000000000000000", 0, "0", 17),
                Arguments.of("below LONG_MIN saturates (plain negation would give FFFFFFFF)",
                        "-8000000000000001", 0, "0", 17),
                Arguments.of("far below LONG_MIN saturates (plain negation would give FFFFFFFF)",
                        "-10000000000000001", 0, "0", 18),
                Arguments.of("-FFFFFFFF fits in a long and keeps low bits 1", "-FFFFFFFF", 0, "1", 9),
                Arguments.of("parsing from an offset", "ab|12", 3, "12", 5),
                Arguments.of("no digits at an offset: end at that offset", "ab|zz", 3, "0", 3),
                Arguments.of("offset after a '<' operator", "<1F", 1, "1F", 3));
    }

    @ParameterizedTest(name = "{0}: \"{1}\" from {2}")
    @MethodSource("cases")
    void behavesLikeGlibcStrtolBase16(String description, String input, int from, String expectedHex, int expectedEnd) {
        long packed = HexStrtol.parse(input, from);
        int expected = Integer.parseUnsignedInt(expectedHex, 16);
        assertAll(
                () -> assertEquals(Integer.toHexString(expected), Integer.toHexString(HexStrtol.value(packed)), "value"),
                () -> assertEquals(expectedEnd, HexStrtol.end(packed), "end index"));
    }
}
