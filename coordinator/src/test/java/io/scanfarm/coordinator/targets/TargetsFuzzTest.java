package io.scanfarm.coordinator.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.fuzz.FuzzBudget;
import io.scanfarm.fuzz.FuzzTally;
import io.scanfarm.fuzz.Mutations;
import io.scanfarm.wire.AddressBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Target parsing on mutated specifications: {@link TargetSet#expand} gives exactly the addresses the text names
 * (checked against a brute-force set where it is small) or a {@link TargetException}; {@link SegmentMap#parse}
 * gives a map whose answer for any address is the most specific block's segment, or a {@link TargetException}.
 */
@AddLifecycleHook(FuzzBudget.class)
class TargetsFuzzTest {

    private static final long LIMIT = 4096;
    private static final List<String> TOKENS = new ArrayList<>(Mutations.STRUCTURE);

    static {
        TOKENS.addAll(List.of("198.18.1.2-9", "/0", "/32", "/31", "-255", "-0", ",", " ", "=", "=lab", "1.2.3.4"));
    }

    @Property(tries = 2000)
    void mutatedSpecificationsExpandToWhatTheyNameOrAreRefused(@ForAll("specs") Mutations.TextMutant targets,
                                                              @ForAll("specs") Mutations.TextMutant exclusions) {
        List<String> include = List.of(targets.text().split(";", -1));
        List<String> exclude = exclusions.seed().startsWith("198.18.1.2-9;") ? List.of() : List.of(exclusions.text().split(";", -1));
        List<Long> out;
        try {
            out = TargetSet.expand(include, exclude, LIMIT, false);
        } catch (TargetException e) {
            assertNotNull(e.getMessage());
            FuzzTally.count("target specs", "refused");
            return;
        }
        FuzzTally.count("target specs", "expanded");
        assertTrue(!out.isEmpty() && out.size() <= LIMIT, "within the limit: " + out.size());
        for (int i = 0; i < out.size(); i++) {
            assertTrue(out.get(i) >= 0 && out.get(i) <= 0xFFFF_FFFFL);
            assertTrue(i == 0 || out.get(i - 1) < out.get(i), "sorted and unique");
        }
        TreeSet<Long> expected = bruteForce(include, exclude);
        if (expected != null) {
            assertEquals(new ArrayList<>(expected), out, "exactly the included addresses less the excluded ones");
        }
    }

    @Property(tries = 2000)
    void mutatedSegmentEntriesRouteToTheMostSpecificBlockOrAreRefused(@ForAll("segmentEntries") Mutations.TextMutant m,
                                                                     @ForAll("addresses") List<Long> probes) {
        List<String> entries = List.of(m.text().split(",", -1));
        SegmentMap map;
        try {
            map = SegmentMap.parse(entries);
        } catch (TargetException e) {
            assertNotNull(e.getMessage());
            FuzzTally.count("segment entries", "refused");
            return;
        }
        FuzzTally.count("segment entries", "parsed");
        List<AddressBlock> blocks = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            blocks.add(AddressBlock.parse(e.substring(0, eq)));
            names.add(e.substring(eq + 1).strip());
        }
        for (long a : probes) {
            int best = -1;
            for (int i = 0; i < blocks.size(); i++) {
                if (blocks.get(i).contains(a) && (best < 0 || blocks.get(i).prefix() > blocks.get(best).prefix())) {
                    best = i;
                }
            }
            assertEquals(best < 0 ? null : names.get(best), map.segmentOf(a), AddressBlock.text(a));
        }
        Map<String, List<Long>> routed = map.route(probes);
        assertEquals(probes.size(), routed.values().stream().mapToInt(List::size).sum(), "every address routed once");
    }

    /** The addresses a specification names, one by one, when they are few enough to list; else null. */
    private static TreeSet<Long> bruteForce(List<String> include, List<String> exclude) {
        List<long[]> in = TargetSet.ranges(include);
        List<long[]> out = TargetSet.ranges(exclude);
        long size = 0;
        for (long[] r : in) {
            size += r[1] - r[0] + 1;
        }
        if (size > 20_000) {
            return null;
        }
        TreeSet<Long> set = new TreeSet<>();
        for (long[] r : in) {
            for (long a = r[0]; a <= r[1]; a++) {
                set.add(a);
            }
        }
        set.removeIf(a -> out.stream().anyMatch(r -> r[0] <= a && a <= r[1]));
        return set;
    }

    @Provide
    Arbitrary<Mutations.TextMutant> specs() {
        Map<String, String> seeds = new LinkedHashMap<>();
        for (String s : List.of("198.18.1.2-9;198.18.1.20", "198.18.16.0/22, 198.18.1.1 198.18.1.3", "10.0.0.1;10.0.0.1/31",
                "198.18.1.0/24", "198.18.1.5-5", "198.18.0.0/20")) {
            seeds.put(s, s);
        }
        return Mutations.text(seeds, TOKENS, 4);
    }

    @Provide
    Arbitrary<Mutations.TextMutant> segmentEntries() {
        Map<String, String> seeds = new LinkedHashMap<>();
        for (String s : List.of("198.18.0.0/15=lab,198.18.16.0/20=scale", "10.0.0.0/8=corp,10.1.0.0/16=corp-east,0.0.0.0/0=default",
                "127.0.0.1=loop")) {
            seeds.put(s, s);
        }
        return Mutations.text(seeds, TOKENS, 4);
    }

    @Provide
    Arbitrary<List<Long>> addresses() {
        Arbitrary<Long> any = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
        Arbitrary<Long> near = Arbitraries.longs().between(0xC612_0000L - 2, 0xC613_FFFFL + 2);
        Arbitrary<Long> ten = Arbitraries.longs().between(0x0A00_0000L, 0x0AFF_FFFFL);
        return Arbitraries.oneOf(any, near, ten).list().ofMinSize(1).ofMaxSize(8);
    }
}
