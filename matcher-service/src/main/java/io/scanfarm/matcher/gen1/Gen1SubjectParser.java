package io.scanfarm.matcher.gen1;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.subject.TextBlocks;
import io.scanfarm.matcher.subject.TextBlocks.Line;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads first-generation subject fingerprints as Nmap 3.x/4.x printed them under {@code TCP/IP fingerprint:}:
 * an optional {@code SInfo(...)} line, then one test a line ({@code TSeq(...)}, {@code T1(...)} .. {@code T7(...)},
 * {@code PU(...)}, {@code Resp=N} alone for a probe that got no answer). The heading may be kept, {@code OS:}
 * wrapped lines are joined, {@code #} lines are comments, blank lines separate subjects. A bad block is reported
 * with its line and does not stop the others.
 */
public final class Gen1SubjectParser {

    private static final String HEADING = "TCP/IP fingerprint:";
    private static final String WRAP_PREFIX = "OS:";

    private record Placed(int line, FpTest test) {
    }

    private static final class BlockException extends RuntimeException {
        private final int line;

        BlockException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private Gen1SubjectParser() {
    }

    /** Parses text that must hold exactly one subject; the message of a failure names the line. */
    public static Gen1Subject parse(String text) {
        List<Gen1ParsedSubject> all = parseAll(text);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one first-generation subject fingerprint, found " + all.size());
        }
        Gen1ParsedSubject s = all.get(0);
        if (!s.ok()) {
            throw new IllegalArgumentException("line " + s.errorLine() + ": " + s.error());
        }
        return s.subject();
    }

    public static List<Gen1ParsedSubject> parseAll(String text) {
        List<Gen1ParsedSubject> out = new ArrayList<>();
        for (List<Line> raw : TextBlocks.of(text)) {
            List<Line> block = raw.stream().map(l -> new Line(l.no(), l.text().strip())).toList();
            int index = out.size() + 1;
            int start = block.get(0).no();
            try {
                out.add(new Gen1ParsedSubject(index, start, block(block), -1, null));
            } catch (BlockException e) {
                out.add(new Gen1ParsedSubject(index, start, null, e.line, e.getMessage()));
            }
        }
        return out;
    }

    private static Gen1Subject block(List<Line> block) {
        List<Placed> placed = new ArrayList<>();
        StringBuilder wrapped = new StringBuilder();
        int wrappedLine = -1;
        for (Line l : block) {
            if (l.text().startsWith(WRAP_PREFIX)) {
                if (wrappedLine < 0) {
                    wrappedLine = l.no();
                }
                wrapped.append(l.text(), WRAP_PREFIX.length(), l.text().length());
            } else if (!l.text().equals(HEADING)) {
                placed.addAll(line(l.text(), l.no()));
            }
        }
        if (wrappedLine >= 0) {
            placed.addAll(line(wrapped.toString(), wrappedLine));
        }
        return assemble(placed, block.get(0).no());
    }

    private static List<Placed> line(String text, int no) {
        try {
            List<Placed> out = new ArrayList<>();
            for (FpTest t : Gen1Syntax.subjectLine(text)) {
                out.add(new Placed(no, t));
            }
            return out;
        } catch (IllegalArgumentException e) {
            throw new BlockException(no, e.getMessage());
        }
    }

    private static Gen1Subject assemble(List<Placed> placed, int firstLine) {
        FpTest info = null;
        List<FpTest> tests = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int lastIndex = -1;
        String lastName = null;
        for (Placed p : placed) {
            FpTest t = p.test();
            if (t.name().equals(Gen1Tests.SINFO)) {
                if (info != null) {
                    throw new BlockException(p.line(), "a second SInfo line (separate subjects with a blank line)");
                }
                info = t;
                continue;
            }
            for (Attr a : t.attrs()) {
                if (a.value().chars().anyMatch(c -> c == '|' || c == '&' || c == '<' || c == '>')) {
                    throw new BlockException(p.line(), t.name() + "." + a.name() + "=" + Gen1Syntax.excerpt(a.value())
                            + " is an expression: a subject holds observed values (is this a database line?)");
                }
            }
            // mergeFPs printed the tries test by test, so the order never goes back: a step back is a new subject.
            int index = Gen1Tests.testIndex(t.name());
            if (index < lastIndex) {
                throw new BlockException(p.line(), t.name() + " after " + lastName
                        + ": tests come in the order " + String.join(", ", Gen1Tests.ORDER)
                        + " (separate subjects with a blank line)");
            }
            int times = seen.merge(t.name(), 1, Integer::sum);
            if (times > Gen1Subject.MAX_TRIES) {
                throw new BlockException(p.line(), "test " + t.name() + " appears " + times
                        + " times; Nmap printed at most " + Gen1Subject.MAX_TRIES + " tries (separate subjects with a blank line)");
            }
            lastIndex = index;
            lastName = t.name();
            tests.add(t);
        }
        if (tests.isEmpty()) {
            throw new BlockException(firstLine, "no fingerprint tests (expected lines like TSeq(...), T1(...) .. PU(...))");
        }
        return new Gen1Subject(info, tests);
    }
}
