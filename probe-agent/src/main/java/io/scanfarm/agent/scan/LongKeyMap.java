package io.scanfarm.agent.scan;

/**
 * A hash map from {@code long} keys to objects, open addressing with linear probing: the scheduler keeps one
 * entry per probe source port of every host in flight (tens of thousands), and a {@code HashMap<Long, ?>} held
 * a boxed key and a node for each, which every young collection copied while the host was in flight.
 * Not thread-safe; null values are not allowed.
 */
final class LongKeyMap<V> {

    private long[] keys;
    private Object[] values;
    private int size;

    LongKeyMap() {
        keys = new long[64];
        values = new Object[64];
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Maps the key to the value, replacing what it mapped to. */
    void put(long key, V value) {
        if (value == null) {
            throw new NullPointerException("null value");
        }
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != null) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    /** Removes the key if it maps to this very value; returns whether it did. */
    boolean remove(long key, V value) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != null) {
            if (keys[i] == key) {
                if (values[i] != value) {
                    return false;
                }
                delete(i, mask);
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    /** Empties slot i and moves later entries of its run back so that every key stays reachable from its slot. */
    private void delete(int i, int mask) {
        size--;
        int hole = i;
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            // j's entry may fill the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        int mask = keys.length - 1;
        for (int k = 0; k < oldKeys.length; k++) {
            if (oldValues[k] != null) {
                int i = slot(oldKeys[k], mask);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[k];
                values[i] = oldValues[k];
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: the keys are address, protocol and port bits
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** For tests: each entry is found from its home slot, and size counts the entries. */
    boolean consistent() {
        int n = 0;
        for (int k = 0; k < keys.length; k++) {
            if (values[k] != null) {
                n++;
                if (get(keys[k]) != values[k]) {
                    return false;
                }
            }
        }
        return n == size;
    }
}
