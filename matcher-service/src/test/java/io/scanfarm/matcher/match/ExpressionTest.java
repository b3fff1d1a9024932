package io.scanfarm.matcher.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nmap 7.93 {@code expr_match} (osscan.cc) as {@link Expression} reproduces it. Each expected answer follows from
 * that C function: the value is numeric when strtol(val, 16) consumes all of it; '<' and '>' alternatives and
 * '-' ranges are only tried for numeric values (the '-' is searched with an unbounded strchr, so it may belong to
 * a later alternative); everything else is compared with strncmp over the alternative's length, or strcmp for the
 * last alternative.
 */
class ExpressionTest {

    @ParameterizedTest(name = "{0}: ''{1}'' vs ''{2}'' -> {3}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
            # case                                                        ; expression   ; value        ; matches
            plain equality                                                ; M5B4         ; M5B4         ; true
            plain inequality                                              ; M5B4         ; M5B          ; false
            the last alternative needs the whole value                    ; M5B4         ; M5B4W0       ; false
            plain numeric alternative compares as text (040 is not 40)   ; 40           ; 040          ; false
            prefix alternative equal to the value                         ; M5B4|M5B4W0L ; M5B4         ; true
            last alternative equal to the value                           ; M5B4|M5B4W0L ; M5B4W0L      ; true
            non-last alternative matches any value it prefixes            ; M5B4|M5B4W0L ; M5B4ST11NW7  ; true
            non-last alternative prefixes a near-miss of the last one     ; M5B4|M5B4W0L ; M5B4W0       ; true
            value shorter than the prefix alternative does not match      ; M5B4|M5B4W0L ; M5B          ; false
            unrelated value                                               ; M5B4|M5B4W0L ; M5C4         ; false
            last alternative is not a prefix match                        ; M5B4W0L|M5B4 ; M5B4W0       ; false
            first alternative prefixes a longer value                     ; M5B4W0L|M5B4 ; M5B4W0LX     ; true
            empty first alternative matches any text                      ; |M5B4        ; XYZ          ; true
            empty first alternative matches the empty value               ; |M5B4        ; ""           ; true
            empty first alternative matches a number when no '-' follows  ; |M5B4        ; 0            ; true
            empty first alternative before a range is a failed range      ; |1-5         ; 9            ; false
            empty first alternative before a range still matches text     ; |1-5         ; Z            ; true
            empty last alternative matches only the empty value           ; M5B4|        ; ""           ; true
            empty last alternative does not match other text              ; M5B4|        ; X            ; false
            lookahead: plain numeric before a range never matches         ; 79|B0-BA     ; 79           ; false
            range lower bound                                             ; 79|B0-BA     ; B0           ; true
            inside the range                                              ; 79|B0-BA     ; B5           ; true
            range upper bound                                             ; 79|B0-BA     ; BA           ; true
            above the range                                               ; 79|B0-BA     ; BB           ; false
            below the range                                               ; 79|B0-BA     ; AF           ; false
            lookahead spares text values, which match by prefix          ; 79|B0-BA     ; 79Z          ; true
            plain alternative after a range matches                       ; B0-BA|79     ; 79           ; true
            lookahead with decimal-looking digits                         ; 1|5-7        ; 1            ; false
            small range lower bound                                       ; 1|5-7        ; 5            ; true
            small range upper bound                                       ; 1|5-7        ; 7            ; true
            above small range                                             ; 1|5-7        ; 8            ; false
            below small range                                             ; 1|5-7        ; 4            ; false
            lookahead: hex letter A is numeric too                        ; A|C-E        ; A            ; false
            letter range lower bound                                      ; A|C-E        ; C            ; true
            letter range upper bound                                      ; A|C-E        ; E            ; true
            above letter range                                            ; A|C-E        ; F            ; false
            greater-than: equal is not greater                            ; >0           ; 0            ; false
            greater-than: one                                             ; >0           ; 1            ; true
            greater-than: large value                                     ; >0           ; FFFF         ; true
            greater-than: empty value is numeric zero                     ; >0           ; ""           ; false
            greater-than is not tried for text values                     ; >0           ; Z            ; false
            greater-than text is compared literally with a text value     ; >0           ; >0           ; true
            greater-than compares unsigned: -1 is FFFFFFFF                ; >FFFFFFFE    ; -1           ; true
            less-than: below                                              ; <5           ; 4            ; true
            less-than: equal is not less                                  ; <5           ; 5            ; false
            less-than: empty value is numeric zero                        ; <5           ; ""           ; true
            less-than is not tried for a text value (4Z)                  ; <5           ; 4Z           ; false
            less-than text is compared literally with a text value        ; <5           ; <5           ; true
            less-than compares unsigned: -1 is not below 5                ; <5           ; -1           ; false
            less-than with trailing garbage never matches a number        ; <5Z          ; 4            ; false
            less-than bound is hex and case-insensitive                   ; <a           ; 9            ; true
            less-than hex bound: equal is not less                        ; <a           ; A            ; false
            value with leading white space is numeric                     ; <6           ; " 5"         ; true
            value with 0x prefix is numeric                               ; >F           ; 0x10         ; true
            1000000 matches 1|>1000000 by prefix, not by '>'              ; 1|>1000000   ; 1000000      ; true
            1000001 matches 1|>1000000                                    ; 1|>1000000   ; 1000001      ; true
            10 matches 1|>1000000 only by prefix                          ; 1|>1000000   ; 10           ; true
            2000000 matches 1|>1000000 by '>'                             ; 1|>1000000   ; 2000000      ; true
            2 matches neither alternative of 1|>1000000                   ; 1|>1000000   ; 2            ; false
            FFFFFF matches neither alternative of 1|>1000000              ; 1|>1000000   ; FFFFFF       ; false
            1000000 is neither in 1-6 nor greater than 1000000            ; 1-6|>1000000 ; 1000000      ; false
            1000001 is greater than 1000000                               ; 1-6|>1000000 ; 1000001      ; true
            5 is in the range 1-6                                         ; 1-6|>1000000 ; 5            ; true
            7 is in neither                                               ; 1-6|>1000000 ; 7            ; false
            a range alternative is no prefix for numbers (10)             ; 1-6|>1000000 ; 10           ; false
            a range alternative is a text prefix for text values          ; 1-6|>1000000 ; 1-6Z         ; true
            hex range accepts a lowercase value                           ; 6A-BE        ; 6a           ; true
            hex range accepts a leading zero                              ; 6A-BE        ; 06A          ; true
            hex range upper bound in lowercase                            ; 6A-BE        ; be           ; true
            hex range below lower bound                                   ; 6A-BE        ; 69           ; false
            hex range above upper bound                                   ; 6A-BE        ; BF           ; false
            non-hex value is text and does not equal the range text       ; 6A-BE        ; 6AG          ; false
            lowercase range bounds                                        ; 6a-be        ; BE           ; true
            """)
    void matchesLikeNmapExprMatch(String description, String expression, String value, boolean expected) {
        assertEquals(expected, Expression.compile(expression).matches(SubjectValue.of(value)),
                () -> "'" + expression + "' vs '" + value + "'");
    }

    @ParameterizedTest(name = "''{0}'' numeric={1}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
            ""    ; true
            A     ; true
            0     ; true
            ff    ; true
            " 5"  ; true
            0x10  ; true
            0x    ; false
            " "   ; false
            M5B4  ; false
            6AG   ; false
            S+    ; false
            """)
    void valueIsNumericWhenStrtolConsumesAllOfIt(String value, boolean numeric) {
        assertEquals(numeric, SubjectValue.of(value).numeric());
    }
}
