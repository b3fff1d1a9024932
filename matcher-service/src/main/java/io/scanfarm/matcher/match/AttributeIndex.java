package io.scanfarm.matcher.match;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * Every distinct expression of one attribute, indexed so that a subject value finds the expressions it matches
 * without trying each: literals by hash (equality) and by the value's prefixes (Nmap's prefix alternatives),
 * and numeric comparisons by the elementary interval of the 32-bit number line the value falls in. The answer
 * is the same as evaluating {@link Expression#matches} on each expression, with possible repeats when several
 * alternatives of one expression match (the caller removes them).
 */
final class AttributeIndex {

    private final Form numeric;
    private final Form text;

    /** What one form (numeric values, or text values) of the expressions can match. */
    private static final class Form {
        final Map<String, int[]> equals;
        final Map<String, int[]> prefixes;
        final int[] prefixLengths;
        /** Interval starts (unsigned, ascending) and the expressions matching every number of each interval. */
        final long[] starts;
        final int[][] hits;

        Form(Map<String, int[]> equals, Map<String, int[]> prefixes, int[] prefixLengths, long[] starts, int[][] hits) {
            this.equals = equals;
            this.prefixes = prefixes;
            this.prefixLengths = prefixLengths;
            this.starts = starts;
            this.hits = hits;
        }
    }

    AttributeIndex(int[] ids, Expression[] exprs) {
        numeric = build(ids, exprs, true);
        text = build(ids, exprs, false);
    }

    /** Calls {@code hit} with each expression id that matches {@code v} (an id may come more than once). */
    void forEachMatch(SubjectValue v, IntConsumer hit) {
        Form f = v.numeric() ? numeric : text;
        String s = v.text();
        int[] eq = f.equals.get(s);
        if (eq != null) {
            for (int e : eq) {
                hit.accept(e);
            }
        }
        for (int len : f.prefixLengths) {
            if (len > s.length()) {
                break;
            }
            int[] pre = f.prefixes.get(s.substring(0, len));
            if (pre != null) {
                for (int e : pre) {
                    hit.accept(e);
                }
            }
        }
        if (v.numeric() && f.starts.length > 0) {
            long x = v.number() & 0xFFFF_FFFFL;
            int lo = 0;
            int hi = f.starts.length - 1;
            if (x >= f.starts[0]) {
                while (lo < hi) {
                    int mid = (lo + hi + 1) >>> 1;
                    if (f.starts[mid] <= x) {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                for (int e : f.hits[lo]) {
                    hit.accept(e);
                }
            }
        }
    }

    private static Form build(int[] ids, Expression[] exprs, boolean numericForm) {
        Map<String, List<Integer>> equals = new HashMap<>();
        Map<String, List<Integer>> prefixes = new HashMap<>();
        TreeSet<Integer> lengths = new TreeSet<>();
        List<long[]> intervals = new ArrayList<>(); // {lo, hi, id}
        for (int e : ids) {
            for (Expression.Step st : numericForm ? exprs[e].numericSteps() : exprs[e].textSteps()) {
                switch (st.kind()) {
                    case Expression.EQUALS -> equals.computeIfAbsent(st.literal(), k -> new ArrayList<>()).add(e);
                    case Expression.PREFIX -> {
                        prefixes.computeIfAbsent(st.literal(), k -> new ArrayList<>()).add(e);
                        lengths.add(st.literal().length());
                    }
                    case Expression.LESS -> {
                        long x = st.a() & 0xFFFF_FFFFL;
                        if (x > 0) {
                            intervals.add(new long[] {0, x - 1, e});
                        }
                    }
                    case Expression.GREATER -> {
                        long x = st.a() & 0xFFFF_FFFFL;
                        if (x < 0xFFFF_FFFFL) {
                            intervals.add(new long[] {x + 1, 0xFFFF_FFFFL, e});
                        }
                    }
                    default -> {
                        long a = st.a() & 0xFFFF_FFFFL;
                        long b = st.b() & 0xFFFF_FFFFL;
                        if (a <= b) {
                            intervals.add(new long[] {a, b, e});
                        }
                    }
                }
            }
        }
        TreeSet<Long> bounds = new TreeSet<>();
        for (long[] iv : intervals) {
            bounds.add(iv[0]);
            bounds.add(iv[1] + 1);
        }
        long[] starts = bounds.stream().mapToLong(Long::longValue).filter(x -> x <= 0xFFFF_FFFFL).toArray();
        int[][] hits = new int[starts.length][];
        for (int i = 0; i < starts.length; i++) {
            List<Integer> in = new ArrayList<>();
            for (long[] iv : intervals) {
                if (iv[0] <= starts[i] && starts[i] <= iv[1]) {
                    in.add((int) iv[2]);
                }
            }
            hits[i] = in.stream().mapToInt(Integer::intValue).toArray();
        }
        return new Form(toArrays(equals), toArrays(prefixes), lengths.stream().mapToInt(Integer::intValue).toArray(), starts, hits);
    }

    private static Map<String, int[]> toArrays(Map<String, List<Integer>> m) {
        Map<String, int[]> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }
}
