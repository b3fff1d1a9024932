package io.scanfarm.matcher.osdb;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.fuzz.FuzzBudget;
import io.scanfarm.fuzz.FuzzTally;
import io.scanfarm.fuzz.Mutations;
import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.match.RankedMatch;
import io.scanfarm.matcher.oracle.OracleMatcher;
import io.scanfarm.matcher.report.OsSection;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import io.scanfarm.matcher.tests.FingerprintComputer;
import io.scanfarm.matcher.tests.RecordedObservations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * {@link OsDbParser} on mutated databases (slices of the oracle's nmap-os-db and a hand-made one): a database
 * or an {@link OsDbFormatException} naming {@code file:line} inside the text; and a database it accepts compiles,
 * matches real subjects with scores between 0 and 1, and words a verdict.
 */
@AddLifecycleHook(FuzzBudget.class)
class OsDbParserFuzzTest {

    private static final String SOURCE = "fuzz.db";
    private static final Pattern LOCATED = Pattern.compile(Pattern.quote(SOURCE) + "(?::(\\d+))?: .+", Pattern.DOTALL);
    private static final List<String> TOKENS = new ArrayList<>(Mutations.STRUCTURE);
    private static final Map<String, String> SEEDS = seeds();
    private static List<SubjectFingerprint> subjects;

    static {
        TOKENS.addAll(List.of("Fingerprint ", "Fingerprint", "Class ", "Class | | |", "CPE ", "CPE", "MatchPoints", "\nMatchPoints\n",
                "SEQ(", "T1(R=Y)", "SEQ(R=N)", "=0", "=-5", "=999999999", "=1000000000", "A=1%B=2%C=3%D=4%E=5%F=6%G=7%H=8%I=9",
                "%J=1%K=1%L=1%M=1%N=1%O=1%P=1%Q=1%R2=1", ">FFFFFFFF", "<0", "0-FFFFFFFF", "|||", "0x", "\n\n", "\u00c3\u00a9"));
    }

    @Property(tries = 1000)
    void mutatedDatabasesLoadOrNameTheLine(@ForAll("databases") Mutations.TextMutant m) {
        String outcome = load(m.text(), () -> OsDbParser.parse(m.text(), SOURCE));
        Set<String> ops = new LinkedHashSet<>();
        m.edits().forEach(e -> ops.add(e.op().name()));
        ops.forEach(op -> FuzzTally.count("database " + op, outcome));
    }

    @Property(tries = 500)
    void mutatedBytesLoadAsUtf8OrNameTheLine(@ForAll("databaseBytes") Mutations.BytesMutant m) {
        String text = new String(m.bytes(), StandardCharsets.ISO_8859_1);
        FuzzTally.count("database bytes", load(text, () -> OsDbParser.parseUtf8(m.bytes(), SOURCE)));
    }

    @Property(tries = 800)
    void builtDatabasesWithHostileWeightsAndExpressionsLoadOrNameTheLine(@ForAll("builtDatabases") String text,
                                                                       @ForAll long subjectSeed) {
        String outcome = load(text, () -> OsDbParser.parse(text, SOURCE));
        if (outcome.equals("loaded")) {
            // A subject with a value for every attribute the database weighs: every expression is tried.
            OsDb db = OsDbParser.parse(text, SOURCE);
            java.util.Random random = new java.util.Random(subjectSeed);
            List<FpTest> tests = new ArrayList<>();
            for (FpTest mp : db.matchPoints().tests()) {
                List<Attr> attrs = new ArrayList<>();
                mp.attrs().forEach(a -> attrs.add(new Attr(a.name(), SUBJECT_VALUES.get(random.nextInt(SUBJECT_VALUES.size())))));
                tests.add(new FpTest(mp.name(), attrs));
            }
            SubjectFingerprint s = new SubjectFingerprint(null, tests);
            MatchResult r = OsMatcher.compile(db).match(s);
            for (RankedMatch x : r.matches()) {
                assertTrue(x.score() >= 0 && x.score() <= 1, "a score is a fraction: " + x.score() + " for " + x.fingerprint().name());
            }
            OsSection.withDistance(r, null);
        }
        FuzzTally.count("built database", outcome);
    }

    @Property(tries = 6)
    void oneEditAnywhereInTheWholeDatabase(@ForAll("wholeDatabase") Mutations.TextMutant m) {
        FuzzTally.count("whole database", load(m.text(), () -> OsDbParser.parse(m.text(), SOURCE)));
    }

    /** Loads, and checks the result: a located error, or a database that compiles, matches and words verdicts. */
    private static String load(String text, java.util.function.Supplier<OsDb> parse) {
        OsDb db;
        try {
            db = parse.get();
        } catch (OsDbFormatException e) {
            Matcher at = LOCATED.matcher(e.getMessage());
            assertTrue(at.matches(), "names the file: " + e.getMessage());
            if (at.group(1) != null) {
                int line = Integer.parseInt(at.group(1));
                assertTrue(line >= 1 && line <= text.split("\n", -1).length, "a line of the text: " + e.getMessage());
            }
            return "refused";
        }
        OsMatcher matcher = OsMatcher.compile(db);
        for (SubjectFingerprint s : subjects()) {
            MatchResult r = matcher.match(s);
            for (RankedMatch x : r.matches()) {
                assertTrue(x.score() >= 0 && x.score() <= 1, "a score is a fraction: " + x.score() + " for " + x.fingerprint().name());
            }
            OsSection.withDistance(r, s.scan());
        }
        return "loaded";
    }

    private static synchronized List<SubjectFingerprint> subjects() {
        if (subjects == null) {
            subjects = new ArrayList<>();
            RecordedObservations.all().values().forEach(o -> subjects.add(FingerprintComputer.compute(o, "fuzz").subject()));
        }
        return subjects;
    }

    /** The oracle database cut after its first {@code prints} fingerprints (or the hand-made one without it). */
    private static String slice(String db, int skip, int prints) {
        int mp = db.indexOf("\nMatchPoints");
        int firstPrint = db.indexOf("\nFingerprint ", Math.max(0, mp));
        if (mp < 0 || firstPrint < 0) {
            return db;
        }
        int from = firstPrint;
        for (int i = 0; i < skip && from >= 0; i++) {
            from = db.indexOf("\nFingerprint ", from + 1);
        }
        int to = from;
        for (int i = 0; i < prints && to >= 0; i++) {
            to = db.indexOf("\nFingerprint ", to + 1);
        }
        if (from < 0) {
            return db;
        }
        return db.substring(0, firstPrint) + "\n" + db.substring(from, to < 0 ? db.length() : to);
    }

    private static Map<String, String> seeds() {
        String db = OracleMatcher.databaseText();
        Map<String, String> out = new LinkedHashMap<>();
        out.put("oracle first 30", slice(db, 0, 30));
        out.put("oracle 3000-3030", slice(db, 3000, 30));
        out.put("oracle last 30", slice(db, 5648, 30));
        out.put("hand-made", String.join("\n",
                "# Hand-made database", "MatchPoints", "SEQ(SP=25%GCD=75%TI=100)", "T1(R=100%DF=20%W=10)", "IE(DFI=40%CD=100)", "",
                "Fingerprint Acme RouterOS 1.0 - 1.2", "Class Acme | RouterOS | 1.X | router", "CPE cpe:/o:acme:routeros:1 auto",
                "SEQ(SP=0-5%GCD=1|2)", "T1(R=Y%DF=N%W=0)", "", "Fingerprint Bolt Box   # trailing remark",
                "Class Bolt | Bolt | | WAP", "CPE cpe:/h:bolt:box", "Class Bolt | BoltOS | 2 | general purpose", "SEQ(R=N)",
                "T1(R=N)", "IE(DFI=S%CD=Z)", ""));
        return out;
    }

    @Provide
    Arbitrary<Mutations.TextMutant> databases() {
        return Mutations.text(SEEDS, TOKENS, 5);
    }

    @Provide
    Arbitrary<Mutations.BytesMutant> databaseBytes() {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        SEEDS.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return Mutations.bytes(bytes, 6);
    }

    private static final List<String> SUBJECT_VALUES = List.of("", "0", "1", "A", "Z", "S+", "FFFFFFFF", "100000000",
            "7FFFFFFF", "80000000", "M5B4ST11NW7", "-1", "0x10", " 5", "G", "Y", "N", "I", "RD");

    /** Expressions at the corners of Nmap's expression syntax (expr_match) and of hex parsing. */
    private static Arbitrary<String> expressions() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "|", "||", "-", "0-", "-0", ">", "<", ">FFFFFFFF", "<0", "0-FFFFFFFF", "FFFFFFFF-0",
                        "1|>1000000", "79|B0-BA", "0x10-0x20", "+5", "-5", " 5", "M5B4ST11NW7", "Z", "S+", "A|B|",
                        "99999999999999999999", "-8000000000000000", "0-0|1-1|2-2", "Y|N", "G"),
                Arbitraries.strings().withChars("0123456789ABCDEFxX|-<>+ Z").ofMaxLength(14));
    }

    /** A weight: the usual small ones, the largest the parser takes, and any in between. */
    private static Arbitrary<String> weights() {
        return Arbitraries.oneOf(Arbitraries.of("1", "20", "100", "999999999", "0", "-1", "1000000000", "01"),
                Arbitraries.integers().between(1, 999_999_999).map(String::valueOf));
    }

    /**
     * A database built line by line: a MatchPoints section whose tests have from 1 to 24 attributes and
     * weights up to the parser's limit, then fingerprints whose tests carry hostile expressions.
     */
    @Provide
    Arbitrary<String> builtDatabases() {
        List<String> testNames = List.of("SEQ", "OPS", "WIN", "ECN", "T1", "T2", "U1", "IE", "X9");
        Arbitrary<Integer> attrCount = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(1, 11)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(12, 24)));
        Arbitrary<List<String>> matchPoints = Combinators.combine(Arbitraries.of(testNames).set().ofMinSize(1).ofMaxSize(5),
                attrCount.list().ofSize(5), weights().list().ofSize(24)).as((names, counts, w) -> {
                    List<String> lines = new ArrayList<>();
                    int t = 0;
                    for (String name : names) {
                        StringBuilder sb = new StringBuilder(name).append('(');
                        for (int a = 0; a < counts.get(t); a++) {
                            sb.append(a > 0 ? "%" : "").append("A").append(a).append('=').append(w.get((a + t) % w.size()));
                        }
                        lines.add(sb.append(')').toString());
                        t++;
                    }
                    return lines;
                });
        Arbitrary<List<String>> exprs = expressions().list().ofSize(24);
        Arbitrary<String> classLine = Arbitraries.of("Class Acme | RouterOS | 1.X | router", "Class a|b||d", "Class ||||",
                "Class |", "Class Acme | Acme | | WAP", "Class x | y | z | w | v");
        return Combinators.combine(matchPoints, exprs.list().ofMinSize(1).ofMaxSize(4), classLine,
                Arbitraries.integers().between(0, Integer.MAX_VALUE)).as((mp, prints, cls, pick) -> {
                    StringBuilder db = new StringBuilder("MatchPoints\n");
                    mp.forEach(l -> db.append(l).append('\n'));
                    int f = 0;
                    for (List<String> e : prints) {
                        db.append("\nFingerprint Built ").append(f).append('\n').append(cls).append("\nCPE cpe:/o:built:").append(f).append('\n');
                        for (int t = 0; t < mp.size(); t++) {
                            if (((pick >>> (f * 5 + t)) & 1) == 1) {
                                continue;
                            }
                            String line = mp.get(t);
                            String name = line.substring(0, line.indexOf('('));
                            int attrs = line.split("%").length;
                            StringBuilder sb = new StringBuilder(name).append('(');
                            for (int a = 0; a < attrs; a++) {
                                sb.append(a > 0 ? "%" : "").append("A").append(a).append('=').append(e.get((a + t) % e.size()));
                            }
                            db.append(sb).append(")\n");
                        }
                        f++;
                    }
                    return db.toString();
                });
    }

    @Provide
    Arbitrary<Mutations.TextMutant> wholeDatabase() {
        return Mutations.text(Map.of("oracle", OracleMatcher.databaseText()), TOKENS, 2);
    }
}
