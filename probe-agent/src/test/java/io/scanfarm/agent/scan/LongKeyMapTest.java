package io.scanfarm.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LongKeyMapTest {

    /** Random puts, gets and conditional removes against a HashMap, on key sets small enough to collide a lot. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void behavesLikeAHashMap(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        LongKeyMap<String> map = new LongKeyMap<>();
        Map<Long, String> ref = new HashMap<>();
        String[] values = {"a", "b", "c"};
        int keySpace = 1 << (4 + seed % 8);
        for (int op = 0; op < 20_000; op++) {
            // keys like the scheduler's: address << 24 | protocol << 16 | port, clustered
            long key = Answer.key(0xC6121000 + r.nextInt(keySpace) / 20, 6, 40_000 + r.nextInt(keySpace) % 20);
            String v = values[r.nextInt(values.length)];
            switch (r.nextInt(3)) {
                case 0 -> {
                    map.put(key, v);
                    ref.put(key, v);
                }
                case 1 -> assertEquals(ref.remove(key, v), map.remove(key, v), "remove " + key + " " + v);
                default -> assertEquals(ref.get(key), map.get(key), "get " + key);
            }
            assertEquals(ref.size(), map.size());
        }
        assertTrue(map.consistent());
        for (Map.Entry<Long, String> e : ref.entrySet()) {
            assertSame(e.getValue(), map.get(e.getKey()));
        }
    }

    @Test
    void removesOnlyWhatMapsToTheGivenValueAndEmptiesCompletely() {
        LongKeyMap<String> map = new LongKeyMap<>();
        String a = new String("x");
        String b = new String("x");
        map.put(7, a);
        assertFalse(map.remove(7, b), "an equal value that is another object");
        assertSame(a, map.get(7));
        for (long k = 0; k < 1000; k++) {
            map.put(k << 16, a);
        }
        for (long k = 0; k < 1000; k++) {
            assertTrue(map.remove(k << 16, a));
        }
        assertTrue(map.remove(7, a));
        assertEquals(0, map.size());
        assertNull(map.get(7));
        assertTrue(map.consistent());
        assertThrows(NullPointerException.class, () -> map.put(1, null));
    }
}
