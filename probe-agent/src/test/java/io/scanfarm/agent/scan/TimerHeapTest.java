package io.scanfarm.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimerHeapTest {

    private record Ref(long due, long seq, int id) {
    }

    /**
     * Random adds and polls against a PriorityQueue ordered by (due, order of adding), with due times drawn from a
     * small range so that many tie: every poll must give the same timer, and the first due time must agree.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void pollsInDueOrderAndTiesInTheOrderAdded(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TimerHeap<Integer> heap = new TimerHeap<>();
        PriorityQueue<Ref> ref = new PriorityQueue<>(Comparator.comparingLong(Ref::due).thenComparingLong(Ref::seq));
        int range = 1 << (2 + seed);
        long seq = 0;
        for (int op = 0; op < 50_000; op++) {
            if (ref.isEmpty() || r.nextInt(100) < 55) {
                long due = 1_000_000 + r.nextInt(range);
                int id = op;
                heap.add(due, id);
                ref.add(new Ref(due, seq++, id));
            } else {
                assertEquals(ref.peek().due(), heap.firstDue());
                assertEquals(ref.poll().id(), heap.poll(), "op " + op);
            }
            assertEquals(ref.size(), heap.size());
        }
        while (!ref.isEmpty()) {
            assertEquals(ref.poll().id(), heap.poll());
        }
        assertTrue(heap.isEmpty());
    }

    @Test
    void timersDueTogetherComeOutInTheOrderAdded() {
        TimerHeap<String> heap = new TimerHeap<>();
        List<String> names = List.of("T2", "T3", "T4", "T5", "T6", "T7", "U1", "IE1", "IE2", "ECN");
        heap.add(50, "later");
        for (String n : names) {
            heap.add(10, n);
        }
        heap.add(5, "sooner");
        List<String> out = new ArrayList<>();
        while (!heap.isEmpty()) {
            out.add(heap.poll());
        }
        List<String> expected = new ArrayList<>(List.of("sooner"));
        expected.addAll(names);
        expected.add("later");
        assertEquals(expected, out);
    }

    @Test
    void anEmptyHeapSaysSo() {
        TimerHeap<String> heap = new TimerHeap<>();
        assertThrows(NoSuchElementException.class, heap::poll);
        assertThrows(NoSuchElementException.class, heap::firstDue);
        heap.add(1, "a");
        assertEquals("a", heap.poll());
        assertThrows(NoSuchElementException.class, heap::poll);
    }
}
