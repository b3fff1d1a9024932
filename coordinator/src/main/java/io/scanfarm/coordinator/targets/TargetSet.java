package io.scanfarm.coordinator.targets;

import io.scanfarm.wire.AddressBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

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
        List<long[]> include = ranges(specs);
        List<long[]> exclude = ranges(exclusions);
        long total = 0;
        for (long[] r : include) {
            total += r[1] - r[0] + 1;
        }
        if (include.isEmpty()) {
            throw new TargetException("no targets given");
        }
        if (total > maxAddresses && !allowLarge) {
            throw new TargetException("the targets cover " + total + " addresses, more than the limit of " + maxAddresses
                    + "; narrow them or pass --allow-large");
        }
        TreeSet<Long> out = new TreeSet<>();
        for (long[] r : include) {
            for (long a = r[0]; a <= r[1]; a++) {
                if (!excluded(a, exclude)) {
                    out.add(a);
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static boolean excluded(long a, List<long[]> exclude) {
        for (long[] r : exclude) {
            if (a >= r[0] && a <= r[1]) {
                return true;
            }
        }
        return false;
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
                if (end.isEmpty() || end.length() > 3 || !end.chars().allMatch(Character::isDigit)) {
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
