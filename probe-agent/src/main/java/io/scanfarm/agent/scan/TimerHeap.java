package io.scanfarm.agent.scan;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * The scheduler's timers: a binary min-heap by due time, timers due at the same time in the order they were added.
 * The keys live in primitive arrays, so sifting compares longs and never touches a timer: with thousands of hosts
 * in flight the heap holds tens of thousands, and a {@link java.util.PriorityQueue} of comparable timers followed
 * two references and an interface call for every comparison (a quarter of the scheduler thread's samples).
 */
final class TimerHeap<T> {

    private long[] due = new long[256];
    /** The order of adding, to break ties between timers due at the same microsecond. */
    private long[] order = new long[256];
    private Object[] items = new Object[256];
    private int size;
    private long added;

    void add(long dueMicros, T item) {
        if (size == due.length) {
            int n = size * 2;
            due = Arrays.copyOf(due, n);
            order = Arrays.copyOf(order, n);
            items = Arrays.copyOf(items, n);
        }
        long seq = added++;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(dueMicros, seq, due[parent], order[parent])) {
                break;
            }
            moveTo(parent, i);
            i = parent;
        }
        put(i, dueMicros, seq, item);
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** When the first timer is due; the heap must not be empty. */
    long firstDue() {
        if (size == 0) {
            throw new NoSuchElementException("no timer");
        }
        return due[0];
    }

    /** Takes the first timer out; the heap must not be empty. */
    @SuppressWarnings("unchecked")
    T poll() {
        if (size == 0) {
            throw new NoSuchElementException("no timer");
        }
        T first = (T) items[0];
        int last = --size;
        long d = due[last];
        long s = order[last];
        Object item = items[last];
        items[last] = null;
        if (last > 0) {
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < size && before(due[right], order[right], due[child], order[child])) {
                    child = right;
                }
                if (!before(due[child], order[child], d, s)) {
                    break;
                }
                moveTo(child, i);
                i = child;
            }
            put(i, d, s, item);
        }
        return first;
    }

    private static boolean before(long due1, long order1, long due2, long order2) {
        return due1 < due2 || (due1 == due2 && order1 < order2);
    }

    private void moveTo(int from, int to) {
        due[to] = due[from];
        order[to] = order[from];
        items[to] = items[from];
    }

    private void put(int i, long d, long s, Object item) {
        due[i] = d;
        order[i] = s;
        items[i] = item;
    }
}
