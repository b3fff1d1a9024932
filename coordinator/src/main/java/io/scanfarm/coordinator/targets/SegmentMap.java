package io.scanfarm.coordinator.targets;

import io.scanfarm.wire.AddressBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which segment's agents can reach an address: CIDR blocks to segment names; the most specific block wins. */
public final class SegmentMap {

    private final List<AddressBlock> blocks = new ArrayList<>();
    private final List<String> segments = new ArrayList<>();

    /** From "CIDR=segment" entries, e.g. {@code 198.18.0.0/15=lab}. */
    public static SegmentMap parse(List<String> entries) {
        SegmentMap m = new SegmentMap();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new TargetException("segment entry '" + e + "' is not CIDR=segment");
            }
            String segment = e.substring(eq + 1).strip();
            if (!segment.matches("[A-Za-z0-9._-]+")) {
                throw new TargetException("segment name '" + segment + "' may hold only letters, digits, '.', '_' and '-'");
            }
            AddressBlock block;
            try {
                block = AddressBlock.parse(e.substring(0, eq));
            } catch (IllegalArgumentException ex) {
                throw new TargetException(ex.getMessage());
            }
            int same = m.blocks.indexOf(block);
            if (same >= 0) {
                // The same block twice would route by the order of entries: say which the operator meant.
                throw new TargetException("block " + block + " is given twice (for '" + m.segments.get(same) + "' and '"
                        + segment + "'): each block belongs to one segment");
            }
            m.blocks.add(block);
            m.segments.add(segment);
        }
        return m;
    }

    /** The segment of an address, or null when no block holds it. */
    public String segmentOf(long address) {
        int best = -1;
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).contains(address) && (best < 0 || blocks.get(i).prefix() > blocks.get(best).prefix())) {
                best = i;
            }
        }
        return best < 0 ? null : segments.get(best);
    }

    /** Addresses grouped by segment in address order; those in no segment under the key null. */
    public Map<String, List<Long>> route(List<Long> addresses) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (long a : addresses) {
            out.computeIfAbsent(segmentOf(a), k -> new ArrayList<>()).add(a);
        }
        return out;
    }

    public List<String> segments() {
        return segments.stream().distinct().toList();
    }
}
