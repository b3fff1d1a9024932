package io.scanfarm.matcher.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One row per fact of first-generation AVal_match (osscan.cc, Nmap 3.x/4.x): expression, subject value, verdict. */
class Gen1ExpressionTest {

    @ParameterizedTest(name = "{0}: ''{1}'' vs ''{2}''")
    @CsvSource(delimiter = ';', value = {
        // literal values compare exactly, case and all
        "symbol equal                           ; S++          ; S++      ; true",
        "symbol differs                         ; S++          ; S        ; false",
        "case matters                           ; 100HZ        ; 100hz    ; false",
        "hex literal is text, not a number      ; 16A0         ; 16a0     ; false",
        "hex literal equal                      ; 16A0         ; 16A0     ; true",
        "leading zero is another literal        ; 0            ; 00       ; false",
        // '|' alternatives
        "first alternative                      ; RI|TD        ; RI       ; true",
        "last alternative                       ; I|RD|BI      ; BI       ; true",
        "no alternative                         ; RI|TD        ; TR       ; false",
        "alternatives are whole, not prefixes   ; AS|ARS       ; A        ; false",
        // empty values and empty alternatives
        "empty expression matches empty         ; ''           ; ''       ; true",
        "empty expression refuses a value       ; ''           ; M        ; false",
        "trailing empty alternative, empty      ; MEWNNNT|     ; ''       ; true",
        "trailing empty alternative, value      ; MEWNNNT|     ; MEWNNNT  ; true",
        "leading empty alternative, empty       ; |M           ; ''       ; true",
        "empty alternative is not a wildcard    ; M|           ; ME       ; false",
        // < and >: strict, hexadecimal
        "less than, hex                         ; <6           ; 5        ; true",
        "less than is strict                    ; <6           ; 6        ; false",
        "less than reads the value as hex       ; <1E          ; 1D       ; true",
        "less than, hex value above             ; <1E          ; 1F       ; false",
        "less than, A is ten                    ; <A           ; 9        ; true",
        "less than, F bound                     ; <F           ; E        ; true",
        "less than refuses a non-hex value      ; <6           ; 5Z       ; false",
        "less than refuses an empty value       ; <6           ; ''       ; false",
        "greater than                           ; >FFFF        ; 10000    ; true",
        "greater than is strict                 ; >FFFF        ; FFFF     ; false",
        "greater than, lowercase value is hex   ; >FF          ; 1ff      ; true",
        "less-than before a non-hex char: text ; <X           ; <X       ; true",
        "a lone less-than is text               ; <            ; 0        ; false",
        // & : every part
        "both bounds inside                     ; <7A8FA&>50   ; 1000     ; true",
        "both bounds: at upper bound            ; <7A8FA&>50   ; 7A8FA    ; false",
        "both bounds: at lower bound            ; <7A8FA&>50   ; 50       ; false",
        "both bounds, reversed order            ; >AAA&<AAAAA  ; AAAB     ; true",
        "both bounds: empty value fails         ; <7A8FA&>50   ; ''       ; false",
        // quirks of mixing and of empty values in '|' lists
        "an ampersand in an or-list: not split  ; <5&>2|7      ; 0        ; true",
        "... it reads as its first comparison   ; <5&>2|7      ; 7        ; true",
        "numeric alternative, empty reads as 0  ; <6|X         ; ''       ; true",
        "alternative with numbers               ; 388|710|A98  ; 710      ; true",
        "numeric literal alternative is text    ; 388|710|A98  ; 0710     ; false",
        "mixed numeric and symbolic             ; 100HZ|U      ; U        ; true",
        "symbol or other                        ; S++|O        ; O        ; true",
        // + and ranges (4.x)
        "plus: nonzero                          ; +            ; 1F       ; true",
        "plus: zero fails                       ; +            ; 0        ; false",
        "plus: empty fails                      ; +            ; ''       ; false",
        "range includes its bounds              ; 10-20        ; 20       ; true",
        "range, hex inside                      ; 10-20        ; 1A       ; true",
        "range, above                           ; 10-20        ; 21       ; false",
        "range, non-hex value                   ; 10-20        ; 1G       ; false",
        // numbers are unsigned 32-bit
        "values are unsigned                    ; >7FFFFFFF    ; 80000000 ; true",
        "32-bit wrap of an overlong value       ; <2           ; 100000001; true",
    })
    void evaluatesLikeAValMatch(String name, String expression, String value, boolean expected) {
        assertEquals(expected, Gen1Expression.compile(expression).matches(value), name);
    }
}
