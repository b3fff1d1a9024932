package io.scanfarm.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AddressRangesTest {

    private static AddressBlock b(String text) {
        return AddressBlock.parse(text);
    }

    @Test
    void adjacentAndOverlappingBlocksMergeIntoOneRange() {
        AddressRanges r = AddressRanges.of(List.of(b("198.18.16.1"), b("198.18.16.0"), b("198.18.16.2/31"), b("198.18.16.0/30"),
                b("198.18.17.0/24")));
        assertEquals(2, r.rangeCount()); // 198.18.16.0-3 and 198.18.17.0/24
        assertTrue(r.contains(AddressBlock.address("198.18.16.3", "")));
        assertFalse(r.contains(AddressBlock.address("198.18.16.4", "")));
        assertTrue(r.contains(AddressBlock.address("198.18.17.255", "")));
        assertFalse(r.contains(AddressBlock.address("198.18.18.0", "")));
        assertFalse(r.contains(AddressBlock.address("198.18.15.255", "")));
    }

    @Test
    void emptySetContainsNothingAndWholeSpaceEverything() {
        assertFalse(AddressRanges.of(List.of()).contains(0));
        AddressRanges all = AddressRanges.of(List.of(b("0.0.0.0/0")));
        assertTrue(all.contains(0));
        assertTrue(all.contains(0xFFFF_FFFFL));
    }

    @Test
    void agreesWithScanningEveryBlock() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<AddressBlock> blocks = new ArrayList<>();
            for (int i = random.nextInt(12); i > 0; i--) {
                blocks.add(new AddressBlock((random.nextInt(1 << 12) & 0xFFFFFFFFL) << 4 & AddressBlock.mask(24 + random.nextInt(9)),
                        24 + random.nextInt(9)));
            }
            blocks.replaceAll(x -> new AddressBlock(x.first() & AddressBlock.mask(x.prefix()), x.prefix()));
            AddressRanges r = AddressRanges.of(blocks);
            for (int probe = 0; probe < 300; probe++) {
                long a = (random.nextInt(1 << 16) & 0xFFFFL);
                boolean expected = blocks.stream().anyMatch(x -> x.contains(a));
                assertEquals(expected, r.contains(a), () -> "address " + a + " in " + blocks);
            }
        }
    }
}
