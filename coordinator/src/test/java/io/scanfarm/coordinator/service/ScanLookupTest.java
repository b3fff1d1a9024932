package io.scanfarm.coordinator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The job header that tells a resumed tracker where a scan's results start. */
class ScanLookupTest {

    @Test
    void theResultsStartRoundTripsThroughTheHeader() {
        Map<TopicPartition, Long> start = Map.of(new TopicPartition("scanfarm.verdicts", 0), 12L,
                new TopicPartition("scanfarm.verdicts", 3), 0L, new TopicPartition("scanfarm.job-status", 1), 987_654_321_000L);
        assertEquals(start, ScanLookup.decodeStart(ScanLookup.encodeStart(start)));
    }

    @Test
    void unreadableItemsAreSkippedSoThoseResultsAreReadFromTheBeginning() {
        assertEquals(Map.of(new TopicPartition("scanfarm.verdicts", 1), 5L),
                ScanLookup.decodeStart("garbage,scanfarm.verdicts:1=5,scanfarm.verdicts:x=7,scanfarm.job-status:0=,:3=4"));
    }
}
