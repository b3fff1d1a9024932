package io.scanfarm.wire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A set of IPv4 addresses given as blocks, held as sorted, merged, disjoint ranges: membership is a binary
 * search, however many blocks it was made of (an embedded farm's allowlist is one /32 per target).
 */
public final class AddressRanges {

    private final long[] firsts;
    private final long[] lasts;

    private AddressRanges(long[] firsts, long[] lasts) {
        this.firsts = firsts;
        this.lasts = lasts;
    }

    public static AddressRanges of(Collection<AddressBlock> blocks) {
        List<AddressBlock> sorted = new ArrayList<>(blocks);
        sorted.sort((a, b) -> Long.compare(a.first(), b.first()));
        long[] firsts = new long[sorted.size()];
        long[] lasts = new long[sorted.size()];
        int n = 0;
        for (AddressBlock b : sorted) {
            if (n > 0 && b.first() <= lasts[n - 1] + 1) {
                lasts[n - 1] = Math.max(lasts[n - 1], b.last()); // overlaps or touches the range before: one range
            } else {
                firsts[n] = b.first();
                lasts[n] = b.last();
                n++;
            }
        }
        return new AddressRanges(java.util.Arrays.copyOf(firsts, n), java.util.Arrays.copyOf(lasts, n));
    }

    public boolean contains(long address) {
        int lo = 0;
        int hi = firsts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (address < firsts[mid]) {
                hi = mid - 1;
            } else if (address > lasts[mid]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** How many disjoint ranges the blocks merged into. */
    public int rangeCount() {
        return firsts.length;
    }
}
