package io.scanfarm.matcher.match;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A thread-safe map that keeps the {@code entries} most recently used keys and forgets the rest. */
public final class Lru {

    private Lru() {
    }

    public static <K, V> Map<K, V> of(int entries) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > entries;
            }
        });
    }
}
