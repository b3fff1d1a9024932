package io.scanfarm.matcher.match;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.osdb.OsDb;
import io.scanfarm.matcher.osdb.ReferenceFingerprint;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * nmap-os-db compiled once into flat arrays, then Nmap 7.93's matching as arithmetic.
 *
 * <p>Nmap scores a reference as (sum of MatchPoints weights of the attributes that match) / (sum of weights of
 * the attributes both sides carry), a test or attribute counting only when reference and subject both have it
 * (osscan.cc compare_fingerprints / AVal_match). The sums are integers, so the order of addition does not
 * matter and the one division gives Nmap's exact double. Here every distinct expression of an attribute is
 * evaluated once per subject, every distinct test line is summed once per subject, and each fingerprint then
 * adds up one pre-summed line per test.
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

    /** Distinct test lines, grouped by test: those of test t are lineStart[t]..lineStart[t+1]; line 0 is empty. */
    private final int[] lineStart;
    private final int[] lineMask;
    private final int[] lineTermStart;
    private final int[] termExpr;
    private final int[] termWeight;

    /** fpLine[f * testCount + t]: the line fingerprint f has for test t (0 when it has none). */
    private final int[] fpLine;
    private final ReferenceFingerprint[] prints;

    private OsMatcher(OsDb db) {
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
        // First pass: local expression ids per attribute, distinct lines per test keyed by their text.
        List<Map<String, Integer>> lineIdsByTest = new ArrayList<>();
        List<List<FpTest>> linesByTest = new ArrayList<>();
        for (int t = 0; t < testCount; t++) {
            lineIdsByTest.add(new HashMap<>());
            linesByTest.add(new ArrayList<>());
        }
        int[][] localLine = new int[fps.size()][testCount];
        for (int f = 0; f < fps.size(); f++) {
            java.util.Arrays.fill(localLine[f], -1);
            for (FpTest test : fps.get(f).tests()) {
                int t = testIndex.get(test.name());
                Map<String, Integer> ids = lineIdsByTest.get(t);
                Integer id = ids.get(test.toString());
                if (id == null) {
                    id = ids.size();
                    ids.put(test.toString(), id);
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
        lineTermStart = new int[lineCount + 1];
        termExpr = new int[termCount];
        termWeight = new int[termCount];
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
                    termWeight[term] = attrWeight[g];
                    term++;
                }
                lineMask[l] = mask;
                l++;
            }
        }
        lineStart[testCount] = l;
        lineTermStart[l] = term;

        fpLine = new int[fps.size() * testCount];
        for (int f = 0; f < fps.size(); f++) {
            for (int t = 0; t < testCount; t++) {
                fpLine[f * testCount + t] = localLine[f][t] < 0 ? 0 : lineStart[t] + localLine[f][t];
            }
        }
    }

    public static OsMatcher compile(OsDb db) {
        return new OsMatcher(db);
    }

    public OsDb db() {
        return db;
    }

    /** Ranks the database against one subject exactly as Nmap 7.93 does with --osscan-guess. */
    public MatchResult match(SubjectFingerprint subject) {
        SubjectValue[] values = new SubjectValue[attrWeight.length];
        int[] subjectMask = new int[testCount];
        for (FpTest test : subject.tests()) {
            Integer t = testIndex.get(test.name());
            if (t == null) {
                continue; // a test this database does not score
            }
            for (Attr a : test.attrs()) {
                Integer local = attrIndex.get(t).get(a.name());
                if (local != null) {
                    values[attrBase[t] + local] = SubjectValue.of(a.value());
                    subjectMask[t] |= 1 << local;
                }
            }
        }

        boolean[] hit = new boolean[exprs.length];
        for (int g = 0; g < values.length; g++) {
            SubjectValue v = values[g];
            if (v != null) {
                for (int e = exprStart[g]; e < exprStart[g + 1]; e++) {
                    hit[e] = exprs[e].matches(v);
                }
            }
        }

        int[] lineNum = new int[lineMask.length];
        int[] lineDen = new int[lineMask.length];
        for (int t = 0; t < testCount; t++) {
            int sm = subjectMask[t];
            if (sm == 0) {
                continue;
            }
            int[] sums = weightSums[t];
            for (int l = lineStart[t]; l < lineStart[t + 1]; l++) {
                lineDen[l] = sums[lineMask[l] & sm];
                int num = 0;
                for (int k = lineTermStart[l]; k < lineTermStart[l + 1]; k++) {
                    if (hit[termExpr[k]]) {
                        num += termWeight[k];
                    }
                }
                lineNum[l] = num;
            }
        }

        Ranking ranking = new Ranking();
        int tc = testCount;
        for (int f = 0, base = 0; f < prints.length; f++, base += tc) {
            int num = 0;
            int den = 0;
            for (int t = 0; t < tc; t++) {
                int l = fpLine[base + t];
                num += lineNum[l];
                den += lineDen[l];
            }
            double acc = den == 0 ? 0 : num / (double) den;
            if (!ranking.offer(prints[f], acc)) {
                break;
            }
        }
        return ranking.result();
    }

    /** The exact score of one reference against a subject, for explanations and tests. */
    public double score(ReferenceFingerprint reference, SubjectFingerprint subject) {
        int num = 0;
        int den = 0;
        for (FpTest ref : reference.tests()) {
            FpTest obs = subject.test(ref.name());
            Integer t = testIndex.get(ref.name());
            if (obs == null || t == null) {
                continue;
            }
            for (Attr a : ref.attrs()) {
                String value = obs.value(a.name());
                if (value != null) {
                    int w = attrWeight[attrBase[t] + attrIndex.get(t).get(a.name())];
                    den += w;
                    if (Expression.compile(a.value()).matches(SubjectValue.of(value))) {
                        num += w;
                    }
                }
            }
        }
        return den == 0 ? 0 : num / (double) den;
    }

    /** Sizes of the compiled form, for benchmarks and logs. */
    public String describe() {
        return prints.length + " fingerprints, " + exprs.length + " distinct expressions, "
                + (lineMask.length - 1) + " distinct test lines";
    }

    private static int[] subsetSums(FpTest test) {
        int n = test.attrs().size();
        if (n > 16) {
            throw new IllegalArgumentException("test " + test.name() + " has " + n + " attributes; at most 16 are supported");
        }
        int[] sums = new int[1 << n];
        for (int mask = 1; mask < sums.length; mask++) {
            int low = Integer.numberOfTrailingZeros(mask);
            sums[mask] = sums[mask & (mask - 1)] + Integer.parseInt(test.attrs().get(low).value());
        }
        return sums;
    }
}
