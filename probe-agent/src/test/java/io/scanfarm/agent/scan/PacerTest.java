package io.scanfarm.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PacerTest {

    @ParameterizedTest(name = "{0} pps")
    @CsvSource({"10", "1000", "25000", "1000000"})
    void takesTheRateOverTimeWithin10MsOfBurst(int pps) {
        Pacer p = new Pacer(pps, 0);
        long taken = 0;
        long seconds = 10;
        for (long t = 0; t < seconds * 1_000_000; t += 5) {
            while (p.tryTake(t)) {
                taken++;
            }
        }
        long expected = pps * seconds;
        long burst = Math.max(1, pps / 100);
        assertTrue(Math.abs(taken - expected) <= burst + 1, "took " + taken + ", expected " + expected + " within " + burst);
    }

    @ParameterizedTest(name = "{0} pps")
    @CsvSource({"1000", "3"})
    void saysWhenTheNextTokenComes(int pps) {
        Pacer p = new Pacer(pps, 0);
        assertTrue(p.tryTake(0));
        assertFalse(p.tryTake(0));
        long next = p.nextMicros(0);
        assertEquals((long) Math.ceil(1e6 / pps), next);
        assertFalse(p.tryTake(next - 1));
        assertTrue(p.tryTake(next));
    }
}
