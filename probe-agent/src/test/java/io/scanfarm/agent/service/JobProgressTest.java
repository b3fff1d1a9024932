package io.scanfarm.agent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobProgressTest {

    @ParameterizedTest(name = "{0} addresses, {1} done")
    @CsvSource({"1, 1", "256, 100", "4096, 4000", "65536, 65536", "65536, 1"})
    void roundTripsAndFitsInKafkasMetadataLimit(int size, int doneCount) {
        BitSet done = new BitSet(size);
        Random r = new Random(size);
        while (done.cardinality() < doneCount) {
            done.set(r.nextInt(size));
        }
        String meta = JobProgress.encode("job-1", done);
        assertEquals(done, JobProgress.decode("job-1", meta));
        if (doneCount == size || doneCount <= 1) {
            assertTrue(meta.length() <= JobProgress.MAX_METADATA, "mostly-uniform progress is small: " + meta.length());
        }
    }

    @Test
    void anotherJobsOrForeignOrBrokenMetadataMeansNothingDone() {
        BitSet done = new BitSet();
        done.set(3);
        String meta = JobProgress.encode("job-1", done);
        assertTrue(JobProgress.decode("job-2", meta).isEmpty());
        assertTrue(JobProgress.decode("job-1", null).isEmpty());
        assertTrue(JobProgress.decode("job-1", "").isEmpty());
        assertTrue(JobProgress.decode("job-1", "scanfarm:v1:job-1:!!!not base64").isEmpty());
        assertTrue(JobProgress.decode("job-1", "scanfarm:v1:job-1:AAAA").isEmpty());
    }
}
