package io.scanfarm.matcher.subject;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.fp.NmapTests;
import io.scanfarm.matcher.fp.TestSyntax;
import io.scanfarm.matcher.subject.TextBlocks.Line;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads subject fingerprints in every form Nmap prints them: one test per line, or the wrapped {@code OS:}
 * lines of {@code nmap -O} (optionally under a {@code TCP/IP fingerprint:} heading), with or without SCAN.
 * Lines starting with {@code #} are comments; blank lines separate subjects. A bad block is reported with its
 * line and does not stop the others.
 */
public final class SubjectParser {

    private static final String WRAP_PREFIX = "OS:";
    private static final String HEADING = "TCP/IP fingerprint:";

    private record PlacedTest(int line, FpTest test) {
    }

    /** A block that cannot be read: the line at fault and what was wrong there. */
    private static final class BlockException extends RuntimeException {
        private final int line;

        BlockException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private SubjectParser() {
    }

    public static List<ParsedSubject> parseAll(String text) {
        List<ParsedSubject> out = new ArrayList<>();
        for (List<Line> block : TextBlocks.of(text)) {
            int index = out.size() + 1;
            int blockStart = block.get(0).no();
            try {
                out.add(new ParsedSubject(index, blockStart, parseBlock(block), -1, null));
            } catch (BlockException e) {
                out.add(new ParsedSubject(index, blockStart, null, e.line, e.getMessage()));
            }
        }
        return out;
    }

    /** Parses text that must hold exactly one subject. */
    public static SubjectFingerprint parseOne(String text) {
        List<ParsedSubject> all = parseAll(text);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one subject fingerprint, found " + all.size());
        }
        if (!all.get(0).ok()) {
            throw new IllegalArgumentException("line " + all.get(0).errorLine() + ": " + all.get(0).error());
        }
        return all.get(0).subject();
    }

    private static SubjectFingerprint parseBlock(List<Line> block) {
        List<PlacedTest> tests = new ArrayList<>();
        StringBuilder wrapped = new StringBuilder();
        int wrappedLine = -1;
        for (Line entry : block) {
            String line = entry.text().strip();
            if (line.startsWith(WRAP_PREFIX)) {
                if (wrappedLine < 0) {
                    wrappedLine = entry.no();
                }
                wrapped.append(line, WRAP_PREFIX.length(), line.length());
            } else if (!line.equals(HEADING)) {
                tests.addAll(parseLine(line, entry.no()));
            }
        }
        if (wrappedLine >= 0) {
            tests.addAll(parseLine(wrapped.toString(), wrappedLine));
        }
        return assemble(tests, block.get(0).no());
    }

    private static List<PlacedTest> parseLine(String line, int lineNo) {
        try {
            List<PlacedTest> tests = new ArrayList<>();
            for (FpTest t : TestSyntax.parseSequence(line)) {
                checkKnown(t);
                tests.add(new PlacedTest(lineNo, t));
            }
            return tests;
        } catch (IllegalArgumentException e) {
            throw new BlockException(lineNo, e.getMessage());
        }
    }

    private static void checkKnown(FpTest t) {
        if (t.name().equals(NmapTests.SCAN)) {
            return;
        }
        List<String> attrs = NmapTests.ATTRS.get(t.name());
        if (attrs == null) {
            throw new IllegalArgumentException("unknown test " + TestSyntax.printable(t.name())
                    + " (expected SCAN or one of " + String.join(" ", NmapTests.ORDER) + ")");
        }
        for (Attr a : t.attrs()) {
            if (!attrs.contains(a.name())) {
                throw new IllegalArgumentException("test " + t.name() + " has no attribute " + a.name());
            }
        }
    }

    private static SubjectFingerprint assemble(List<PlacedTest> tests, int line) {
        Set<String> seen = new HashSet<>();
        ScanInfo scan = null;
        List<FpTest> body = new ArrayList<>();
        for (PlacedTest placed : tests) {
            FpTest t = placed.test();
            if (!seen.add(t.name())) {
                throw new BlockException(placed.line(), "test " + t.name() + " appears twice in one subject"
                        + " (separate subjects with a blank line)");
            }
            if (t.name().equals(NmapTests.SCAN)) {
                scan = new ScanInfo(t);
            } else {
                body.add(t);
            }
        }
        if (body.isEmpty()) {
            throw new BlockException(line, "no fingerprint tests (expected lines like SEQ(...), T1(...))");
        }
        return new SubjectFingerprint(scan, body);
    }
}
