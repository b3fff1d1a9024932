package io.scanfarm.fuzz;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * How many inputs of each class a property tried and how each ended ({@code "ihl past end/malformed"}), so a run
 * shows that hostile inputs were tried, not only that nothing failed. Reset by {@link FuzzBudget} per property;
 * properties run one at a time on one thread.
 */
public final class FuzzTally {

    private static final Map<String, Long> COUNTS = new TreeMap<>();

    private FuzzTally() {
    }

    /** Counts one input of {@code inputClass} that ended as {@code outcome} (e.g. "parsed", "malformed"). */
    public static synchronized void count(String inputClass, String outcome) {
        COUNTS.merge(inputClass + "/" + outcome, 1L, Long::sum);
    }

    static synchronized void reset() {
        COUNTS.clear();
    }

    static synchronized Map<String, Long> snapshot() {
        return new TreeMap<>(COUNTS);
    }

    /** {@code class: outcome=n outcome=n; class: ...}, classes in name order. */
    static String format(Map<String, Long> tally) {
        StringJoiner j = new StringJoiner("; ");
        String current = null;
        StringBuilder part = null;
        for (Map.Entry<String, Long> e : tally.entrySet()) {
            int slash = e.getKey().lastIndexOf('/');
            String cls = e.getKey().substring(0, slash);
            if (!cls.equals(current)) {
                if (part != null) {
                    j.add(part);
                }
                current = cls;
                part = new StringBuilder(cls).append(':');
            }
            part.append(' ').append(e.getKey().substring(slash + 1)).append('=').append(e.getValue());
        }
        if (part != null) {
            j.add(part);
        }
        return j.toString();
    }
}
