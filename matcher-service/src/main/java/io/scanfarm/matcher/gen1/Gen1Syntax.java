package io.scanfarm.matcher.gen1;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.fp.TestSyntax;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code NAME(ATTR=VALUE%ATTR=VALUE)} lines of the first generation, checking names against
 * {@link Gen1Tests}. Failures are {@link IllegalArgumentException}s saying what was expected; callers add the place.
 */
final class Gen1Syntax {

    static final String EXAMPLE = "T1(DF=Y%W=8000%ACK=S++%Flags=AS%Ops=MNWNNT)";

    private Gen1Syntax() {
    }

    /**
     * One database test line. What follows the ')' may only be a {@code #} remark, as on the real file's
     * {@code TSeq(Class=RI|TD|64K%gcd=<6)  # Boy, OSF1 comes in all colors!}: Nmap stopped reading at the ')'
     * (osscan.cc parse_fingerprint_file).
     */
    static FpTest referenceLine(String line) {
        int[] end = new int[1];
        FpTest test = testAt(line, 0, end);
        String rest = line.substring(end[0]).strip();
        if (!rest.isEmpty() && rest.charAt(0) != '#') {
            throw new IllegalArgumentException("expected the end of the line or a '# remark' after " + test.name()
                    + "(...), found '" + excerpt(rest) + "'");
        }
        checkKnown(test, false);
        return test;
    }

    /** The tests written on one subject line: usually one, several back to back in a wrapped print. */
    static List<FpTest> subjectLine(String line) {
        List<FpTest> out = new ArrayList<>();
        int i = 0;
        int[] end = new int[1];
        while (true) {
            while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= line.length()) {
                return out;
            }
            FpTest test = testAt(line, i, end);
            checkKnown(test, true);
            out.add(test);
            i = end[0];
        }
    }

    private static FpTest testAt(String text, int from, int[] end) {
        int open = from;
        while (open < text.length() && isNameChar(text.charAt(open))) {
            open++;
        }
        if (open == from || open >= text.length() || text.charAt(open) != '(') {
            throw new IllegalArgumentException("expected a test like " + EXAMPLE + ", found '" + excerpt(text.substring(from)) + "'");
        }
        String name = text.substring(from, open);
        int close = text.indexOf(')', open + 1);
        if (close < 0) {
            throw new IllegalArgumentException("test " + name + " has no closing ')'");
        }
        end[0] = close + 1;
        return new FpTest(name, body(name, text.substring(open + 1, close)));
    }

    private static List<Attr> body(String test, String body) {
        if (body.isEmpty()) {
            throw new IllegalArgumentException("test " + test + "() is empty: expected ATTR=VALUE pairs separated by '%'");
        }
        List<Attr> attrs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : body.split("%", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected ATTR=VALUE in test " + test + ", found '" + excerpt(part) + "'");
            }
            String name = part.substring(0, eq);
            for (int k = 0; k < name.length(); k++) {
                if (!isNameChar(name.charAt(k))) {
                    throw new IllegalArgumentException("bad attribute name '" + excerpt(name) + "' in test " + test);
                }
            }
            String value = part.substring(eq + 1);
            for (int k = 0; k < value.length(); k++) {
                char c = value.charAt(k);
                if (c == '=' || c == '(' || c <= ' ' || c >= 0x7f) {
                    throw new IllegalArgumentException("unexpected character '" + TestSyntax.printable(String.valueOf(c))
                            + "' in the value of " + test + "." + name);
                }
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("attribute " + name + " appears twice in test " + test);
            }
            attrs.add(new Attr(name, value));
        }
        return attrs;
    }

    private static void checkKnown(FpTest test, boolean subject) {
        if (subject && test.name().equals(Gen1Tests.SINFO)) {
            return;
        }
        List<String> known = Gen1Tests.ATTRS.get(test.name());
        if (known == null) {
            throw new IllegalArgumentException("unknown test " + excerpt(test.name()) + " (expected "
                    + (subject ? "SInfo or " : "") + String.join(", ", Gen1Tests.ORDER) + ")");
        }
        for (Attr a : test.attrs()) {
            if (!known.contains(a.name())) {
                throw new IllegalArgumentException("test " + test.name() + " has no attribute " + a.name()
                        + " (expected " + String.join(", ", known) + ")");
            }
        }
    }

    private static boolean isNameChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
    }

    static String excerpt(String s) {
        return TestSyntax.printable(s.length() > 40 ? s.substring(0, 40) + "..." : s);
    }
}
