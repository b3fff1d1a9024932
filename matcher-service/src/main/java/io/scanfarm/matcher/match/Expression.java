package io.scanfarm.matcher.match;

import java.util.ArrayList;
import java.util.List;

/**
 * A reference value of nmap-os-db compiled once into what Nmap 7.93's {@code expr_match} (osscan.cc) would do
 * with it, for numeric and for non-numeric subject values. The quirks are reproduced on purpose:
 * <ul>
 *   <li>every alternative but the last matches any value it is a prefix of ({@code strncmp} over the
 *       alternative's length), so {@code 1|>1000000} matches {@code 1000000} and an empty alternative that is
 *       not the last matches anything;</li>
 *   <li>for a numeric value the range test looks for a '-' anywhere in the rest of the expression, so a plain
 *       alternative placed before a range alternative never matches ({@code 79} does not match
 *       {@code 79|B0-BA});</li>
 *   <li>numbers are read with C's {@code strtol(..., 16)} and compared as unsigned 32-bit ints.</li>
 * </ul>
 */
final class Expression {

    static final int LESS = 0;
    static final int GREATER = 1;
    static final int RANGE = 2;
    static final int PREFIX = 3;
    static final int EQUALS = 4;

    private final String text;
    /** The alternatives as seen by a numeric value, and as seen by any other value. */
    private final Step[] numericSteps;
    private final Step[] textSteps;

    /** One alternative as it can match: a comparison with a (and b for a range), or a literal to compare. */
    record Step(int kind, String literal, int a, int b) {
    }

    private Expression(String text, Step[] numericSteps, Step[] textSteps) {
        this.text = text;
        this.numericSteps = numericSteps;
        this.textSteps = textSteps;
    }

    static Expression compile(String expr) {
        return new Expression(expr, steps(expr, true), steps(expr, false));
    }

    String text() {
        return text;
    }

    /**
     * Whether the expression is one alternative that numeric and text values alike can only match by equality
     * (no '|', no range '-', no leading '<' or '>'), so a hash lookup of the value decides it.
     */
    boolean isPlainLiteral() {
        return text.indexOf('|') < 0 && text.indexOf('-') < 0 && !text.startsWith("<") && !text.startsWith(">");
    }

    /** The alternatives that can match a numeric value. */
    Step[] numericSteps() {
        return numericSteps;
    }

    /** The alternatives that can match any other value. */
    Step[] textSteps() {
        return textSteps;
    }

    boolean matches(SubjectValue v) {
        String s = v.text();
        for (Step step : v.numeric() ? numericSteps : textSteps) {
            switch (step.kind) {
                case LESS -> {
                    if (Integer.compareUnsigned(v.number(), step.a) < 0) {
                        return true;
                    }
                }
                case GREATER -> {
                    if (Integer.compareUnsigned(v.number(), step.a) > 0) {
                        return true;
                    }
                }
                case RANGE -> {
                    if (Integer.compareUnsigned(v.number(), step.a) >= 0 && Integer.compareUnsigned(v.number(), step.b) <= 0) {
                        return true;
                    }
                }
                case PREFIX -> {
                    if (s.startsWith(step.literal)) {
                        return true;
                    }
                }
                default -> {
                    if (s.equals(step.literal)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Walks the alternatives exactly as expr_match does, keeping only the steps that can ever match. */
    private static Step[] steps(String expr, boolean numeric) {
        List<Step> out = new ArrayList<>();
        int p = 0;
        int len = expr.length();
        while (true) {
            int q = expr.indexOf('|', p);
            int altEnd = q < 0 ? len : q;
            char first = p < len ? expr.charAt(p) : '\0';
            int dash;
            if (numeric && (first == '<' || first == '>')) {
                long r = HexStrtol.parse(expr, p + 1);
                if (HexStrtol.end(r) == altEnd) {
                    out.add(new Step(first == '<' ? LESS : GREATER, null, HexStrtol.value(r), 0));
                }
            } else if (numeric && (dash = expr.indexOf('-', p)) >= 0) {
                // strchr(p, '-') is not bounded by the '|': the lookahead quirk lives here.
                long lo = HexStrtol.parse(expr, p);
                if (HexStrtol.end(lo) == dash) {
                    long hi = HexStrtol.parse(expr, dash + 1);
                    if (HexStrtol.end(hi) == altEnd) {
                        out.add(new Step(RANGE, null, HexStrtol.value(lo), HexStrtol.value(hi)));
                    }
                }
            } else {
                String literal = expr.substring(p, altEnd);
                out.add(new Step(q >= 0 ? PREFIX : EQUALS, literal, 0, 0));
            }
            if (q < 0) {
                return out.toArray(new Step[0]);
            }
            p = q + 1;
        }
    }
}
