package io.scanfarm.matcher.osdb;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.fp.TestSyntax;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses nmap-os-db text (any Nmap 7.x second-generation database). Unlike Nmap, which logs a bad line and
 * goes on, any malformed line fails the load with {@code file:line} and what was expected there.
 */
public final class OsDbParser {

    private enum State { OUTSIDE, MATCHPOINTS, FINGERPRINT }

    private final String source;
    private boolean bytesAsLatin1;
    private State state = State.OUTSIDE;
    private int lineNo;
    private List<FpTest> matchPointTests;
    private Map<String, Set<String>> knownAttrs;
    private long totalWeight;
    private final List<ReferenceFingerprint> prints = new ArrayList<>();
    /** Each distinct test line, parsed once and shared by every fingerprint that has it. */
    private final Map<String, FpTest> testLines = new HashMap<>();
    /**
     * One instance of each distinct attribute (and of its name and value) across the distinct test lines: some
     * 15,000 lines hold about 120,000 attributes but only a few thousand different ones. The database lives as
     * long as the matcher, and fewer objects are less for every young collection to copy when it is promoted.
     */
    private final Map<Attr, Attr> sharedAttrs = new HashMap<>();
    private final Map<String, String> sharedStrings = new HashMap<>();

    private String fpName;
    private int fpLine;
    private List<OsClass> fpClasses;
    private List<String> fpClassCpes;
    private String[] fpClassFields;
    private List<FpTest> fpTests;

    private OsDbParser(String source) {
        this.source = source;
    }

    public static OsDb parse(String text, String source) {
        return new OsDbParser(source).run(text);
    }

    /**
     * Parses the bytes of a UTF-8 file. The text is read byte for byte (ISO-8859-1, a plain copy) and only the
     * names, classes and CPEs kept from it are decoded as UTF-8: decoding all of a 5 MB file costs a cold JVM
     * tens of milliseconds, and non-ASCII text in nmap-os-db sits almost only in comments.
     */
    public static OsDb parseUtf8(byte[] bytes, String source) {
        OsDbParser p = new OsDbParser(source);
        p.bytesAsLatin1 = true;
        return p.run(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** A kept string, decoded as UTF-8 when the text was read byte for byte. */
    private String kept(String s) {
        if (bytesAsLatin1) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) >= 0x80) {
                    return new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                }
            }
        }
        return s;
    }

    private OsDb run(String text) {
        TextLines.each(text, l -> {
            lineNo++;
            if (l.isEmpty()) {
                blank();
            } else if (l.charAt(0) != '#') {
                line(l);
            }
        });
        finishRecord();
        if (matchPointTests == null) {
            throw new OsDbFormatException(source, "no MatchPoints section: this is not an nmap-os-db file");
        }
        if (prints.isEmpty()) {
            throw new OsDbFormatException(source, "no Fingerprint records found");
        }
        return new OsDb(source, new MatchPoints(matchPointTests), prints);
    }

    private void blank() {
        finishRecord();
        state = State.OUTSIDE;
    }

    private void line(String line) {
        char first = line.charAt(0);
        if (first <= ' ' && line.isBlank()) {
            blank();
            return;
        }
        if (first == 'F' && (line.startsWith("Fingerprint ") || line.equals("Fingerprint"))) {
            finishRecord();
            startFingerprint(line);
            return;
        }
        if (first == 'M' && line.strip().equals("MatchPoints")) {
            finishRecord();
            if (matchPointTests != null) {
                throw error("a second MatchPoints section (the first was already read)");
            }
            matchPointTests = new ArrayList<>();
            knownAttrs = new HashMap<>();
            state = State.MATCHPOINTS;
            return;
        }
        switch (state) {
            case OUTSIDE -> throw error("expected 'Fingerprint NAME' or 'MatchPoints', found '" + quote(line) + "'");
            case MATCHPOINTS -> matchPointLine(line);
            case FINGERPRINT -> fingerprintLine(line);
        }
    }

    private void startFingerprint(String line) {
        if (matchPointTests == null) {
            throw error("Fingerprint before the MatchPoints section");
        }
        // Nmap ends the name at a '#' (parse_fingerprint_file uses strpbrk(p, "\n#")).
        String rest = line.substring("Fingerprint".length());
        int hash = rest.indexOf('#');
        String name = (hash >= 0 ? rest.substring(0, hash) : rest).strip();
        if (name.isEmpty()) {
            throw error("expected 'Fingerprint NAME', the name is missing");
        }
        state = State.FINGERPRINT;
        fpName = kept(name);
        fpLine = lineNo;
        fpClasses = new ArrayList<>();
        fpClassFields = null;
        fpClassCpes = null;
        fpTests = new ArrayList<>();
    }

    private void matchPointLine(String line) {
        FpTest test = parseTest(line);
        if (knownAttrs.containsKey(test.name())) {
            throw error("MatchPoints defines test " + test.name() + " twice");
        }
        if (test.attrs().size() > MatchPoints.MAX_ATTRIBUTES) {
            throw error("MatchPoints test " + test.name() + " has " + test.attrs().size() + " attributes; at most "
                    + MatchPoints.MAX_ATTRIBUTES + " are supported");
        }
        for (Attr a : test.attrs()) {
            if (!isPositiveInt(a.value())) {
                throw error("expected a positive whole number of points for " + test.name() + "." + a.name()
                        + ", found '" + quote(a.value()) + "'");
            }
            totalWeight += Integer.parseInt(a.value());
        }
        if (totalWeight > MatchPoints.MAX_TOTAL_WEIGHT) {
            throw error("the MatchPoints weights add up to more than " + MatchPoints.MAX_TOTAL_WEIGHT
                    + " (at " + test.name() + "), past what scores are added up in");
        }
        Set<String> names = new HashSet<>();
        test.attrs().forEach(a -> names.add(a.name()));
        knownAttrs.put(test.name(), names);
        matchPointTests.add(test);
    }

    private void fingerprintLine(String line) {
        if (line.startsWith("Class ") || line.equals("Class")) {
            classLine(line);
        } else if (line.startsWith("CPE ") || line.equals("CPE")) {
            cpeLine(line);
        } else {
            FpTest test = testLines.get(line);
            if (test == null) {
                test = checkedTest(line);
                testLines.put(line, test);
            }
            for (FpTest t : fpTests) {
                if (t.name().equals(test.name())) {
                    throw error("test " + test.name() + " appears twice in fingerprint '" + fpName + "'");
                }
            }
            fpTests.add(test);
        }
    }

    /** Parses and checks a test line once; most of the database repeats a few thousand distinct lines. */
    private FpTest checkedTest(String line) {
        FpTest test = parseTest(line);
        Set<String> attrs = knownAttrs.get(test.name());
        if (attrs == null) {
            throw error("unknown test " + test.name() + " (MatchPoints defines " + knownAttrs.keySet() + ")");
        }
        if (!attrs.contains("R") && test.attrs().equals(List.of(new Attr("R", "N")))) {
            // SEQ(R=N), OPS(R=N), WIN(R=N): Nmap keeps such a test without any scored attribute
            // (FingerTest::str2AVal), so it contributes nothing to any score.
            test = new FpTest(test.name(), List.of());
        }
        List<Attr> shared = new ArrayList<>(test.attrs().size());
        for (Attr a : test.attrs()) {
            if (!attrs.contains(a.name())) {
                throw error("attribute " + test.name() + "." + a.name() + " has no weight in MatchPoints");
            }
            shared.add(sharedAttrs.computeIfAbsent(a, k -> new Attr(shared(k.name()), shared(k.value()))));
        }
        return new FpTest(shared(test.name()), List.copyOf(shared));
    }

    private String shared(String s) {
        return sharedStrings.computeIfAbsent(s, k -> k);
    }

    // Follows osscan.cc parse_classline: four '|'-separated fields, an empty generation is "none".
    private void classLine(String line) {
        String body = line.substring(Math.min(line.length(), 6));
        if (onlyBarsAndSpaces(body)) {
            return;
        }
        int p1 = body.indexOf('|');
        int p2 = p1 < 0 ? -1 : body.indexOf('|', p1 + 1);
        int p3 = p2 < 0 ? -1 : body.indexOf('|', p2 + 1);
        if (p3 < 0) {
            throw error("expected 'Class VENDOR | FAMILY | GENERATION | TYPE', found '" + quote(line) + "'");
        }
        flushClass();
        String generation = body.substring(p2 + 1, p3).strip();
        fpClassFields = new String[] {
            kept(body.substring(0, p1).strip()), kept(body.substring(p1 + 1, p2).strip()),
            generation.isEmpty() ? null : kept(generation), kept(body.substring(p3 + 1).strip())};
        fpClassCpes = new ArrayList<>();
    }

    // osscan.cc parse_cpeline keeps the first word; flags such as "auto" after it are ignored.
    private void cpeLine(String line) {
        if (fpClassFields == null) {
            throw error("CPE line without a preceding Class line");
        }
        String rest = line.substring(Math.min(line.length(), 4)).strip();
        if (rest.isEmpty()) {
            throw error("expected 'CPE cpe:/...', the CPE is missing");
        }
        int space = 0;
        while (space < rest.length() && !Character.isWhitespace(rest.charAt(space))) {
            space++;
        }
        fpClassCpes.add(kept(rest.substring(0, space)));
    }

    private static boolean onlyBarsAndSpaces(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '|' && !Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    private void flushClass() {
        if (fpClassFields != null) {
            fpClasses.add(new OsClass(fpClassFields[0], fpClassFields[1], fpClassFields[2], fpClassFields[3], fpClassCpes));
            fpClassFields = null;
            fpClassCpes = null;
        }
    }

    private void finishRecord() {
        if (state == State.FINGERPRINT) {
            flushClass();
            prints.add(new ReferenceFingerprint(fpName, fpLine, fpClasses, fpTests));
        }
        if (state == State.MATCHPOINTS && matchPointTests.isEmpty()) {
            throw error("the MatchPoints section has no tests");
        }
        state = State.OUTSIDE;
    }

    private FpTest parseTest(String line) {
        try {
            return TestSyntax.parseOne(line.strip());
        } catch (IllegalArgumentException e) {
            String expected = state == State.FINGERPRINT ? "a test line, Class or CPE" : "a MatchPoints test line";
            throw error("expected " + expected + ": " + e.getMessage());
        }
    }

    private static boolean isPositiveInt(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(s) > 0;
    }

    private static String quote(String line) {
        String s = line.length() > 60 ? line.substring(0, 60) + "..." : line;
        return TestSyntax.printable(s);
    }

    private OsDbFormatException error(String message) {
        return new OsDbFormatException(source, lineNo, message);
    }
}
