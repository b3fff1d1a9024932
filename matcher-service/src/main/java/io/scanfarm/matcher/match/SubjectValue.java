package io.scanfarm.matcher.match;

/**
 * An observed attribute value with what Nmap's expr_match derives from it once: whether the whole string reads
 * as hex ({@code strtol} consumed all of it, so "" and "A" are numeric) and its value as an unsigned int.
 */
record SubjectValue(String text, boolean numeric, int number) {

    static SubjectValue of(String text) {
        long p = HexStrtol.parse(text, 0);
        return new SubjectValue(text, HexStrtol.end(p) == text.length(), HexStrtol.value(p));
    }
}
