package io.scanfarm.matcher.gen1;

import io.scanfarm.matcher.match.HexStrtol;

/**
 * A reference value of nmap-os-fingerprints, compiled once into what first-generation Nmap (osscan.cc
 * AVal_match, 3.x and 4.x alike) did with it. The facts, and the quirks kept on purpose:
 * <ul>
 *   <li>an expression holding a '|' is a list of alternatives, any of which may match; otherwise it is split on
 *       '&' and every part must match ({@code <7A8FA&>50}). A '&' inside a '|' list is not split: the part is
 *       read as one term, so {@code <5&>2|7} means {@code <5|7} (strtol stops at the '&');</li>
 *   <li>{@code <N} and {@code >N} (N hexadecimal, the character after the sign a hex digit) compare strictly
 *       with the subject's value read as hex; the value must be hex through to its end. Numbers are C
 *       {@code strtol(.., 16)} results kept as unsigned 32-bit ints;</li>
 *   <li>{@code +} means a nonzero hex value; {@code A-B} (4.x) a hex range, bounds included;</li>
 *   <li>anything else is a literal compared exactly ({@code strcmp}), case and all: {@code S++}, {@code 100HZ},
 *       and the empty alternative of {@code M|} or {@code Ops=}, which matches only an empty value;</li>
 *   <li>an empty subject value fails a numeric term of an '&' expression, but inside a '|' list Nmap went on and
 *       read it as 0: {@code <6|X} matches an empty value.</li>
 * </ul>
 */
final class Gen1Expression {

    private static final int LITERAL = 0;
    private static final int NONZERO = 1;
    private static final int LESS = 2;
    private static final int GREATER = 3;
    private static final int RANGE = 4;

    private record Term(int kind, String literal, int a, int b) {
    }

    private final String text;
    private final boolean anyOf;
    private final Term[] terms;

    private Gen1Expression(String text, boolean anyOf, Term[] terms) {
        this.text = text;
        this.anyOf = anyOf;
        this.terms = terms;
    }

    static Gen1Expression compile(String expr) {
        boolean anyOf = expr.indexOf('|') >= 0;
        String[] parts = expr.split(anyOf ? "\\|" : "&", -1);
        Term[] terms = new Term[parts.length];
        for (int i = 0; i < parts.length; i++) {
            terms[i] = term(parts[i]);
        }
        return new Gen1Expression(expr, anyOf, terms);
    }

    // The order of these tests is AVal_match's: "+", then '<' and '>' before a hex digit, then a range, else text.
    private static Term term(String p) {
        if (p.equals("+")) {
            return new Term(NONZERO, null, 0, 0);
        }
        if (p.length() > 1 && (p.charAt(0) == '<' || p.charAt(0) == '>') && isHexDigit(p.charAt(1))) {
            return new Term(p.charAt(0) == '<' ? LESS : GREATER, null, HexStrtol.value(HexStrtol.parse(p, 1)), 0);
        }
        int dash = p.indexOf('-');
        if (dash >= 0 && !p.isEmpty() && isHexDigit(p.charAt(0)) && dash + 1 < p.length() && isHexDigit(p.charAt(dash + 1))) {
            return new Term(RANGE, null, HexStrtol.value(HexStrtol.parse(p, 0)), HexStrtol.value(HexStrtol.parse(p, dash + 1)));
        }
        return new Term(LITERAL, p, 0, 0);
    }

    String text() {
        return text;
    }

    boolean matches(String value) {
        long parsed = HexStrtol.parse(value, 0);
        return matches(value, HexStrtol.end(parsed) == value.length(), HexStrtol.value(parsed));
    }

    /**
     * The same, with the value already read by strtol: {@code hex} when it converted through to the end
     * (Nmap's {@code *endptr == '\0'}), {@code number} what it converted, as an unsigned 32-bit int.
     */
    boolean matches(String value, boolean hex, int number) {
        for (Term t : terms) {
            boolean ok = switch (t.kind) {
                case LITERAL -> t.literal.equals(value);
                case NONZERO -> !value.isEmpty() && hex && number != 0;
                // An empty value fails here only in an '&' expression; in a '|' list it reads as 0 (see above).
                case LESS -> (anyOf || !value.isEmpty()) && hex && Integer.compareUnsigned(number, t.a) < 0;
                case GREATER -> (anyOf || !value.isEmpty()) && hex && Integer.compareUnsigned(number, t.a) > 0;
                default -> (anyOf || !value.isEmpty()) && hex
                        && Integer.compareUnsigned(number, t.a) >= 0 && Integer.compareUnsigned(number, t.b) <= 0;
            };
            if (ok && anyOf) {
                return true;
            }
            if (!ok && !anyOf) {
                return false;
            }
        }
        return !anyOf;
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    @Override
    public String toString() {
        return text;
    }
}
