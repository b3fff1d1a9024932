package io.scanfarm.matcher.match;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.osdb.MatchPoints;
import io.scanfarm.matcher.osdb.OsDb;
import io.scanfarm.matcher.osdb.ReferenceFingerprint;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * nmap-os-db compiled once into flat arrays, then Nmap 7.93's matching as arithmetic.
 *
 * <p>Nmap scores a reference as (sum of MatchPoints weights of the attributes that match) / (sum of weights of
 * the attributes both sides carry), a test or attribute counting only when reference and subject both have it
 * (osscan.cc compare_fingerprints / AVal_match). The sums are integers, so the order of addition does not
 * matter and the one division gives Nmap's exact double. Here each subject value looks up the expressions it
 * matches in an {@link AttributeIndex}; each matching expression adds its weight to the distinct test lines
 * that use it; each line's shared weight is one table lookup; and each fingerprint adds up one packed
 * (matched, shared) pair per test.
 */
public final class OsMatcher {

    private final OsDb db;
    private final int testCount;
    private final Map<String, Integer> testIndex = new HashMap<>();
    /** Per test: attribute name to index within the test, and the weights in that order. */
    private final List<Map<String, Integer>> attrIndex = new ArrayList<>();
    private final int[] attrBase;
    private final int[] attrWeight;
    /** Per test, the sum of weights for every subset of its attributes (bit i = attribute i). */
    private final int[][] weightSums;

    /** Distinct expressions, grouped by global attribute: those of attribute g are exprStart[g]..exprStart[g+1]. */
    private final Expression[] exprs;
    private final int[] exprStart;
    /** Per attribute, its expressions indexed by what values they match. */
    private final AttributeIndex[] attrIndexes;
    /** Per expression, the distinct lines it appears in (postings), so a hit adds its weight to just those. */
    private final int[] postStart;
    private final int[] postLine;
    private final int[] exprWeight;

    /** Distinct test lines, grouped by test: those of test t are lineStart[t]..lineStart[t+1]; line 0 is empty. */
    private final int[] lineStart;
    private final int[] lineMask;

    /** fpLine[f * testCount + t]: the line fingerprint f has for test t (0 when it has none). */
    private final int[] fpLine;
    private final ReferenceFingerprint[] prints;

    /**
     * The test whose values differ from host to host of one system (SEQ: rates, gcd, ISN counter, IP ID and
     * timestamp classes, all timing-sensitive), or -1. Every other test's per-fingerprint points depend only on
     * what the subject says in those tests, which hosts of one OS, configuration and distance share: they are
     * added up once per distinct set of those lines ({@link #steady}) and only this test is scored per subject.
     */
    private final int volatileTest;
    /** Per-fingerprint packed points of every test but {@link #volatileTest}, by the subject's text of those tests. */
    private final Map<String, long[]> steady;
    /** volatileLine[f]: fingerprint f's line of the volatile test as an index of {@link #linePoints} for that test alone. */
    private final int[] volatileLine;
    /**
     * Whole rankings by the subject's text of every scored test. Hosts of one system share most SEQ values too
     * (over the lab's 4,096 hosts of one kernel, 871 distinct subjects): a ranking is a function of those texts alone.
     * Null when none are kept.
     */
    private final Map<String, MatchResult> rankings;
    /** How many rankings {@link #rankings} keeps; 0 when none. */
    private final int rankingEntries;

    private OsMatcher(OsDb db, int steadyEntries, int rankingEntries) {
        this.db = db;
        List<FpTest> mp = db.matchPoints().tests();
        testCount = mp.size();
        attrBase = new int[testCount + 1];
        weightSums = new int[testCount][];
        List<Integer> weights = new ArrayList<>();
        for (int t = 0; t < testCount; t++) {
            FpTest test = mp.get(t);
            testIndex.put(test.name(), t);
            Map<String, Integer> idx = new HashMap<>();
            attrBase[t] = weights.size();
            for (Attr a : test.attrs()) {
                idx.put(a.name(), idx.size());
                weights.add(Integer.parseInt(a.value()));
            }
            attrIndex.add(idx);
            weightSums[t] = subsetSums(test);
        }
        attrBase[testCount] = weights.size();
        attrWeight = weights.stream().mapToInt(Integer::intValue).toArray();

        int attrCount = attrWeight.length;
        List<Map<String, Integer>> exprIdsByAttr = new ArrayList<>();
        List<List<String>> exprTextByAttr = new ArrayList<>();
        for (int g = 0; g < attrCount; g++) {
            exprIdsByAttr.add(new HashMap<>());
            exprTextByAttr.add(new ArrayList<>());
        }
        List<ReferenceFingerprint> fps = db.fingerprints();
        prints = fps.toArray(new ReferenceFingerprint[0]);
        // First pass: local expression ids per attribute, and the distinct lines of each test. Lines are told apart
        // by identity: the parser shares one FpTest per distinct line, and an unshared copy only costs a duplicate.
        List<Map<FpTest, Integer>> lineIdsByTest = new ArrayList<>();
        List<List<FpTest>> linesByTest = new ArrayList<>();
        for (int t = 0; t < testCount; t++) {
            lineIdsByTest.add(new IdentityHashMap<>());
            linesByTest.add(new ArrayList<>());
        }
        int[][] localLine = new int[fps.size()][testCount];
        for (int f = 0; f < fps.size(); f++) {
            java.util.Arrays.fill(localLine[f], -1);
            for (FpTest test : fps.get(f).tests()) {
                int t = testIndex.get(test.name());
                Map<FpTest, Integer> ids = lineIdsByTest.get(t);
                Integer id = ids.get(test);
                if (id == null) {
                    id = ids.size();
                    ids.put(test, id);
                    linesByTest.get(t).add(test);
                    for (Attr a : test.attrs()) {
                        int g = attrBase[t] + attrIndex.get(t).get(a.name());
                        if (!exprIdsByAttr.get(g).containsKey(a.value())) {
                            exprIdsByAttr.get(g).put(a.value(), exprTextByAttr.get(g).size());
                            exprTextByAttr.get(g).add(a.value());
                        }
                    }
                }
                localLine[f][t] = id;
            }
        }
        exprStart = new int[attrCount + 1];
        List<Expression> allExprs = new ArrayList<>();
        for (int g = 0; g < attrCount; g++) {
            exprStart[g] = allExprs.size();
            for (String text : exprTextByAttr.get(g)) {
                allExprs.add(Expression.compile(text));
            }
        }
        exprStart[attrCount] = allExprs.size();
        exprs = allExprs.toArray(new Expression[0]);

        int lineCount = 1;
        int termCount = 0;
        for (int t = 0; t < testCount; t++) {
            lineCount += linesByTest.get(t).size();
            for (FpTest line : linesByTest.get(t)) {
                termCount += line.attrs().size();
            }
        }
        lineStart = new int[testCount + 1];
        lineMask = new int[lineCount];
        int[] lineTermStart = new int[lineCount + 1];
        int[] termExpr = new int[termCount];
        int l = 1;
        int term = 0;
        lineTermStart[0] = 0;
        for (int t = 0; t < testCount; t++) {
            lineStart[t] = l;
            for (FpTest line : linesByTest.get(t)) {
                lineTermStart[l] = term;
                int mask = 0;
                for (Attr a : line.attrs()) {
                    int local = attrIndex.get(t).get(a.name());
                    int g = attrBase[t] + local;
                    mask |= 1 << local;
                    termExpr[term] = exprStart[g] + exprIdsByAttr.get(g).get(a.value());
                    term++;
                }
                lineMask[l] = mask;
                l++;
            }
        }
        lineStart[testCount] = l;
        lineTermStart[l] = term;

        attrIndexes = new AttributeIndex[attrCount];
        exprWeight = new int[exprs.length];
        for (int g = 0; g < attrCount; g++) {
            int[] ids = new int[exprStart[g + 1] - exprStart[g]];
            for (int e = exprStart[g]; e < exprStart[g + 1]; e++) {
                exprWeight[e] = attrWeight[g];
                ids[e - exprStart[g]] = e;
            }
            attrIndexes[g] = new AttributeIndex(ids, exprs);
        }
        postStart = new int[exprs.length + 1];
        for (int k = 0; k < termCount; k++) {
            postStart[termExpr[k] + 1]++;
        }
        for (int e = 0; e < exprs.length; e++) {
            postStart[e + 1] += postStart[e];
        }
        postLine = new int[termCount];
        int[] fill = java.util.Arrays.copyOf(postStart, exprs.length);
        for (int line = 1; line < lineCount; line++) {
            for (int k = lineTermStart[line]; k < lineTermStart[line + 1]; k++) {
                postLine[fill[termExpr[k]]++] = line;
            }
        }

        fpLine = new int[fps.size() * testCount];
        for (int f = 0; f < fps.size(); f++) {
            for (int t = 0; t < testCount; t++) {
                fpLine[f * testCount + t] = localLine[f][t] < 0 ? 0 : lineStart[t] + localLine[f][t];
            }
        }
        volatileTest = steadyEntries > 0 ? testIndex.getOrDefault("SEQ", -1) : -1;
        volatileLine = new int[fps.size()];
        if (volatileTest >= 0) {
            for (int f = 0; f < fps.size(); f++) {
                volatileLine[f] = slot(fpLine[f * testCount + volatileTest], volatileTest);
            }
        }
        steady = Lru.of(steadyEntries);
        this.rankingEntries = Math.max(0, rankingEntries);
        rankings = rankingEntries > 0 ? Lru.of(rankingEntries) : null;
    }

    /** Distinct sets of steady test lines remembered ({@link #steady}); each holds 8 bytes a fingerprint. */
    public static final int STEADY_CACHE_ENTRIES = 64;
    /** Distinct subjects whose rankings are remembered ({@link #rankings}); each holds up to 36 matches, ~2 KB. */
    public static final int RANKING_CACHE_ENTRIES = 1024;

    public static OsMatcher compile(OsDb db) {
        return new OsMatcher(db, STEADY_CACHE_ENTRIES, RANKING_CACHE_ENTRIES);
    }

    /**
     * A matcher that remembers up to {@code entries} sets of steady lines and as many rankings; 0 scores every test
     * of every subject.
     */
    public static OsMatcher compile(OsDb db, int entries) {
        return compile(db, entries, entries);
    }

    /** A matcher that remembers up to {@code steadyEntries} sets of steady lines and {@code rankingEntries} rankings. */
    public static OsMatcher compile(OsDb db, int steadyEntries, int rankingEntries) {
        return new OsMatcher(db, steadyEntries, rankingEntries);
    }

    /**
     * How many subjects' rankings this matcher remembers (0: none). A subject ranked again gets the very same
     * {@link MatchResult}, so a caller may remember what it derives from one by identity, as many as this.
     */
    public int rankingsRemembered() {
        return rankingEntries;
    }

    public OsDb db() {
        return db;
    }

    /** Ranks the database against one subject exactly as Nmap 7.93 does with --osscan-guess. */
    public MatchResult match(SubjectFingerprint subject) {
        String[] texts = new String[attrWeight.length];
        int[] subjectMask = new int[testCount];
        for (FpTest test : subject.tests()) {
            Integer t = testIndex.get(test.name());
            if (t == null) {
                continue; // a test this database does not score
            }
            for (Attr a : test.attrs()) {
                Integer local = attrIndex.get(t).get(a.name());
                if (local != null) {
                    texts[attrBase[t] + local] = a.value();
                    subjectMask[t] |= 1 << local;
                }
            }
        }
        String subjectKey = rankings == null ? null : key(texts, subjectMask, -1);
        MatchResult known = subjectKey == null ? null : rankings.get(subjectKey);
        if (known != null) {
            return known;
        }
        MatchResult result = rank(texts, subjectMask);
        if (subjectKey != null) {
            rankings.put(subjectKey, result);
        }
        return result;
    }

    /** The ranking of a subject, from the steady points remembered for its other tests when there are some. */
    private MatchResult rank(String[] texts, int[] subjectMask) {
        SubjectValue[] values = new SubjectValue[texts.length];
        for (int g = 0; g < texts.length; g++) {
            if (texts[g] != null) {
                values[g] = SubjectValue.of(texts[g]);
            }
        }
        int tc = testCount;
        int v = volatileTest;
        Ranking ranking = new Ranking();
        String key = v < 0 ? null : key(texts, subjectMask, v);
        long[] rest = key == null ? null : steady.get(key);
        if (rest != null) {
            long[] nd = linePoints(values, subjectMask, v, v, -1);
            for (int f = 0; f < prints.length; f++) {
                if (!offer(ranking, f, rest[f] + nd[volatileLine[f]])) {
                    break;
                }
            }
            return ranking.result();
        }
        // Scored in full, remembering (when there is a volatile test) each fingerprint's points but that test's, for
        // the next host with these steady lines. Two threads may both compute one entry, with the same result.
        long[] nd = linePoints(values, subjectMask, 0, tc - 1, -1);
        long[] remember = key == null ? null : new long[prints.length];
        boolean more = true;
        for (int f = 0, base = 0; f < prints.length; f++, base += tc) {
            long sum = 0;
            for (int t = 0; t < tc; t++) {
                sum += nd[fpLine[base + t]];
            }
            if (remember != null) {
                // Each half of the packed sum only grows, so taking one test's part back borrows nothing.
                remember[f] = sum - nd[fpLine[base + v]];
            }
            more = more && offer(ranking, f, sum);
            if (!more && remember == null) {
                break;
            }
        }
        if (remember != null) {
            steady.put(key, remember);
        }
        return ranking.result();
    }

    /** Offers fingerprint f with its packed (matched, shared) points; false once matching must stop. */
    private boolean offer(Ranking ranking, int f, long sum) {
        return ranking.offer(prints[f], (int) (sum >>> 32), (int) sum);
    }

    /**
     * The subject's text of every scored test but {@code skip} (-1 for none): with the volatile test skipped, what the
     * steady points depend on; with none, what the whole ranking depends on.
     */
    private String key(String[] texts, int[] subjectMask, int skip) {
        StringBuilder k = new StringBuilder(256);
        for (int t = 0; t < testCount; t++) {
            if (t == skip || subjectMask[t] == 0) {
                continue;
            }
            k.append(t).append('(');
            for (int g = attrBase[t]; g < attrBase[t + 1]; g++) {
                if (texts[g] != null) {
                    k.append(g - attrBase[t]).append('=').append(texts[g]).append('%');
                }
            }
            k.append(')');
        }
        return k.toString();
    }

    /**
     * Packed points of the lines of tests {@code from..to} but {@code skip}: the points a line shares with the
     * subject in the low 32 bits, the matched points in the high 32. Indexed by {@link #slot}: 0 stands for "no
     * line" and is always 0; the tests' lines follow in order.
     */
    private long[] linePoints(SubjectValue[] values, int[] subjectMask, int from, int to, int skip) {
        int firstLine = lineStart[from];
        long[] nd = new long[lineStart[to + 1] - firstLine + 1];
        int firstExpr = exprStart[attrBase[from]];
        boolean[] credited = new boolean[exprStart[attrBase[to + 1]] - firstExpr];
        IntConsumer credit = e -> {
            if (!credited[e - firstExpr]) {
                credited[e - firstExpr] = true;
                long w = (long) exprWeight[e] << 32;
                for (int p = postStart[e]; p < postStart[e + 1]; p++) {
                    nd[postLine[p] - firstLine + 1] += w;
                }
            }
        };
        for (int t = from; t <= to; t++) {
            int sm = subjectMask[t];
            if (sm == 0 || t == skip) {
                continue;
            }
            int[] sums = weightSums[t];
            for (int l = lineStart[t]; l < lineStart[t + 1]; l++) {
                nd[l - firstLine + 1] = sums[lineMask[l] & sm];
            }
            // An expression's postings are lines of its own test only.
            for (int g = attrBase[t]; g < attrBase[t + 1]; g++) {
                if (values[g] != null) {
                    attrIndexes[g].forEachMatch(values[g], credit);
                }
            }
        }
        return nd;
    }

    /** Where {@link #linePoints} for tests {@code from..} keeps line {@code line} (0, no line, at 0). */
    private int slot(int line, int from) {
        return line == 0 ? 0 : line - lineStart[from] + 1;
    }

    /** Sizes of the compiled form, for benchmarks and logs. */
    public String describe() {
        return prints.length + " fingerprints, " + exprs.length + " distinct expressions, "
                + (lineMask.length - 1) + " distinct test lines";
    }

    private static int[] subsetSums(FpTest test) {
        int n = test.attrs().size();
        if (n > MatchPoints.MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("test " + test.name() + " has " + n + " attributes; at most "
                    + MatchPoints.MAX_ATTRIBUTES + " are supported");
        }
        int[] sums = new int[1 << n];
        for (int mask = 1; mask < sums.length; mask++) {
            int low = Integer.numberOfTrailingZeros(mask);
            sums[mask] = sums[mask & (mask - 1)] + Integer.parseInt(test.attrs().get(low).value());
        }
        return sums;
    }
}
