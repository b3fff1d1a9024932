package io.scanfarm.matcher.gen1;

import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.fp.TestSyntax;
import io.scanfarm.matcher.osdb.OsClass;
import io.scanfarm.matcher.osdb.OsDbFormatException;
import io.scanfarm.matcher.osdb.TextLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses nmap-os-fingerprints, the first-generation database (Nmap 2.x to 4.2x). Nmap logged a bad line and
 * skipped the rest of its entry (osscan.cc parse_fingerprint_file); here any malformed line fails the load with
 * {@code file:line: what was expected}. Where Nmap read a line in a particular way, that way is kept and noted.
 */
public final class Gen1DbParser {

    private final String source;
    private final List<Gen1Fingerprint> prints = new ArrayList<>();
    private int lineNo;

    private String name;
    private int nameLine = -1;
    private List<OsClass> classes;
    private List<FpTest> tests;

    private Gen1DbParser(String source) {
        this.source = source;
    }

    public static Gen1Db parse(String text, String source) {
        return new Gen1DbParser(source).run(text);
    }

    private Gen1Db run(String text) {
        TextLines.each(text, l -> {
            lineNo++;
            line(l);
        });
        finish();
        if (prints.isEmpty()) {
            throw new OsDbFormatException(source, "no Fingerprint entries found: this is not an nmap-os-fingerprints file");
        }
        return new Gen1Db(source, prints);
    }

    private void line(String line) {
        if (line.startsWith("#")) {
            return;
        }
        if (line.isBlank()) {
            finish();
            return;
        }
        if (isKeyword(line, "Fingerprint", true)) {
            finish();
            start(line);
            return;
        }
        if (line.strip().equals("MatchPoints")) {
            throw error("a MatchPoints line: this is a second-generation nmap-os-db, not an nmap-os-fingerprints file");
        }
        if (name == null) {
            throw error("expected 'Fingerprint NAME', a '# comment' or a blank line, found '" + Gen1Syntax.excerpt(line) + "'");
        }
        if (isKeyword(line, "Class", false)) {
            classes.add(classLine(line));
        } else if (isKeyword(line, "CPE", false)) {
            throw error("a CPE line: CPEs belong to the second-generation nmap-os-db, not to nmap-os-fingerprints");
        } else {
            FpTest test;
            try {
                test = Gen1Syntax.referenceLine(line);
            } catch (IllegalArgumentException e) {
                throw error("expected 'Class ...' or a test line: " + e.getMessage());
            }
            for (FpTest t : tests) {
                if (t.name().equals(test.name())) {
                    throw error("test " + test.name() + " appears twice in fingerprint '" + name + "'");
                }
            }
            tests.add(test);
        }
    }

    /** Nmap matched the keyword "FingerPrint" in any case (strncasecmp) and "Class " exactly. */
    private static boolean isKeyword(String line, String keyword, boolean anyCase) {
        if (line.length() < keyword.length()) {
            return false;
        }
        String head = line.substring(0, keyword.length());
        boolean same = anyCase ? head.toLowerCase(Locale.ROOT).equals(keyword.toLowerCase(Locale.ROOT)) : head.equals(keyword);
        return same && (line.length() == keyword.length() || Character.isWhitespace(line.charAt(keyword.length())));
    }

    private void start(String line) {
        // The name ends at the first '#' (strpbrk(p, "\n#")): "router (model #8000-02)" is read as "router (model".
        String rest = line.substring("Fingerprint".length());
        int hash = rest.indexOf('#');
        String found = (hash >= 0 ? rest.substring(0, hash) : rest).strip();
        if (found.isEmpty()) {
            throw error("expected 'Fingerprint NAME', the name is missing");
        }
        name = found;
        nameLine = lineNo;
        classes = new ArrayList<>();
        tests = new ArrayList<>();
    }

    // osscan.cc parse_classline: VENDOR | FAMILY | GENERATION | TYPE, the generation optional.
    private OsClass classLine(String line) {
        String[] f = line.substring("Class".length()).split("\\|", -1);
        String expected = "expected 'Class VENDOR | FAMILY | GENERATION | TYPE' (GENERATION may be empty)";
        if (f.length != 4) {
            throw error(expected + ", found " + f.length + " field" + (f.length == 1 ? "" : "s"));
        }
        String vendor = f[0].strip();
        String family = f[1].strip();
        String generation = f[2].strip();
        String type = f[3].strip();
        if (vendor.isEmpty() || family.isEmpty() || type.isEmpty()) {
            throw error(expected + ", found an empty " + (vendor.isEmpty() ? "VENDOR" : family.isEmpty() ? "FAMILY" : "TYPE"));
        }
        // Nmap ended the generation at the first space (strpbrk(p, " |")) and misread the rest as the type.
        if (generation.chars().anyMatch(Character::isWhitespace)) {
            throw error(expected + ": the generation '" + TestSyntax.printable(generation) + "' holds a space, which Nmap misread");
        }
        return new OsClass(vendor, family, generation.isEmpty() ? null : generation, type, List.of());
    }

    private void finish() {
        if (name != null) {
            if (tests.isEmpty()) {
                throw new OsDbFormatException(source, nameLine, "fingerprint '" + name
                        + "' has no test lines (expected TSeq(...), T1(...) .. T7(...), PU(...))");
            }
            prints.add(new Gen1Fingerprint(name, nameLine, classes, tests));
        }
        name = null;
    }

    private OsDbFormatException error(String message) {
        return new OsDbFormatException(source, lineNo, message);
    }
}
