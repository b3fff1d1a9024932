package io.scanfarm.matcher.fp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code NAME(ATTR=VALUE%ATTR=VALUE)} syntax shared by nmap-os-db and subject fingerprints.
 * Failures are {@link IllegalArgumentException}s whose message says what was expected; callers add the place.
 */
public final class TestSyntax {

    private TestSyntax() {
    }

    /** Parses a whole string that must be exactly one test. */
    public static FpTest parseOne(String text) {
        List<FpTest> tests = parseSequence(text);
        if (tests.size() != 1) {
            throw new IllegalArgumentException("expected one test like SEQ(SP=1%GCD=1), found " + tests.size());
        }
        return tests.get(0);
    }

    /** Parses tests written back to back, as in Nmap's wrapped {@code OS:} form: {@code SEQ(...)OPS(...)}. */
    public static List<FpTest> parseSequence(String text) {
        List<FpTest> tests = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return tests;
            }
            int open = i;
            while (open < n && isNameChar(text.charAt(open))) {
                open++;
            }
            if (open == i || open >= n || text.charAt(open) != '(') {
                throw new IllegalArgumentException("expected a test like SEQ(SP=1%GCD=1) at '" + excerpt(text, i) + "'");
            }
            int close = text.indexOf(')', open + 1);
            if (close < 0) {
                throw new IllegalArgumentException("test " + text.substring(i, open) + " has no closing ')'");
            }
            tests.add(new FpTest(text.substring(i, open), parseBody(text.substring(i, open), text.substring(open + 1, close))));
            i = close + 1;
        }
    }

    private static List<Attr> parseBody(String test, String body) {
        List<Attr> attrs = new ArrayList<>();
        if (body.isEmpty()) {
            return attrs;
        }
        Set<String> seen = new HashSet<>();
        for (String part : body.split("%", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected ATTR=VALUE in test " + test + ", found '" + part + "'");
            }
            String name = part.substring(0, eq);
            for (int k = 0; k < name.length(); k++) {
                if (!isNameChar(name.charAt(k))) {
                    throw new IllegalArgumentException("bad attribute name '" + name + "' in test " + test);
                }
            }
            String value = part.substring(eq + 1);
            if (value.indexOf('(') >= 0) {
                throw new IllegalArgumentException("unexpected '(' in value of " + test + "." + name);
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("attribute " + name + " appears twice in test " + test);
            }
            attrs.add(new Attr(name, value));
        }
        return attrs;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
    }

    private static String excerpt(String text, int from) {
        String s = text.substring(from, Math.min(text.length(), from + 24));
        return printable(s);
    }

    /** Makes a fragment of untrusted input safe to quote in a one-line error. */
    public static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }
}
