package io.scanfarm.coordinator.targets;

import io.scanfarm.wire.AddressBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands target specifications into a sorted set of unique IPv4 addresses: single addresses, CIDR blocks
 * ({@code 198.18.16.0/20}), last-octet ranges ({@code 198.18.1.2-9}), lists separated by commas or white space,
 * minus exclusions given the same way. Refuses more than {@code maxAddresses} unless allowed, before expanding.
 */
public final class TargetSet {

    /** A /16: the default ceiling a scan needs --allow-large to exceed. */
    public static final long DEFAULT_MAX = 65_536;

    private TargetSet() {
    }

    public static List<Long> expand(List<String> specs, List<String> exclusions, long maxAddresses, boolean allowLarge) {
        List<long[]> include = merge(ranges(specs));
        List<long[]> exclude = merge(ranges(exclusions));
        if (include.isEmpty()) {
            throw new TargetException("no targets given");
        }
        // Counted on the unique addresses left after exclusions, before anything is expanded.
        List<long[]> wanted = subtract(include, exclude);
        long total = 0;
        for (long[] r : wanted) {
            total += r[1] - r[0] + 1;
        }
        if (total == 0) {
            throw new TargetException("every target is excluded");
        }
        if (total > maxAddresses && !allowLarge) {
            throw new TargetException("the targets cover " + total + " addresses, more than the limit of " + maxAddresses
                    + "; narrow them or pass --allow-large");
        }
        List<Long> out = new ArrayList<>();
        for (long[] r : wanted) {
            for (long a = r[0]; a <= r[1]; a++) {
                out.add(a);
            }
        }
        return out;
    }

    /** Ranges sorted and merged where they overlap or touch. */
    static List<long[]> merge(List<long[]> ranges) {
        List<long[]> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] r : sorted) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(new long[] {r[0], r[1]});
            }
        }
        return out;
    }

    /** Merged ranges minus merged ranges. */
    static List<long[]> subtract(List<long[]> include, List<long[]> exclude) {
        List<long[]> out = new ArrayList<>();
        for (long[] r : include) {
            long start = r[0];
            for (long[] x : exclude) {
                if (x[1] < start || x[0] > r[1]) {
                    continue;
                }
                if (x[0] > start) {
                    out.add(new long[] {start, x[0] - 1});
                }
                start = Math.max(start, x[1] + 1);
            }
            if (start <= r[1]) {
                out.add(new long[] {start, r[1]});
            }
        }
        return out;
    }

    /** Each specification as an inclusive [first, last] range. */
    static List<long[]> ranges(List<String> specs) {
        List<long[]> out = new ArrayList<>();
        for (String spec : specs) {
            for (String token : spec.split("[,\\s]+")) {
                if (!token.isEmpty()) {
                    out.add(range(token));
                }
            }
        }
        return out;
    }

    static long[] range(String token) {
        try {
            int dash = token.indexOf('-');
            if (dash >= 0) {
                String start = token.substring(0, dash);
                String end = token.substring(dash + 1);
                long first = AddressBlock.address(start, token);
                if (end.isEmpty() || end.length() > 3 || !end.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new TargetException("'" + token + "': a range is written a.b.c.d-e, the end being the last octet (0-255)");
                }
                int lastOctet = Integer.parseInt(end);
                if (lastOctet > 255 || lastOctet < (first & 0xFF)) {
                    throw new TargetException("'" + token + "': the range's end must be an octet from " + (first & 0xFF) + " to 255");
                }
                return new long[] {first, (first & ~0xFFL) | lastOctet};
            }
            AddressBlock b = AddressBlock.parse(token);
            return new long[] {b.first(), b.last()};
        } catch (IllegalArgumentException e) {
            throw new TargetException(e.getMessage());
        }
    }
}
