package io.scanfarm.cli.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scanfarm.coordinator.service.Coordinator;
import io.scanfarm.proto.ProbeProfile;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Where a scan's tracker starts reading the result topics. A farm that made them itself hands its first coordinator
 * the knowledge that they are empty, and the first scan starts at offset 0 without asking the broker; every other
 * submission asks where the topics end, so that a tracker does not read earlier scans' results.
 */
class ResultTopicsStartIT {

    private static final String SEGMENT = "lab";

    @Test
    void theFirstScanOfAFarmThatMadeItsResultTopicsStartsAtZeroAndLaterOnesWhereTheTopicsEnd() throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.start(0);
        try (LocalFarm farm = LocalFarm.on(broker.bootstrapServers(), broker, SEGMENT, 2)) {
            Coordinator first = farm.coordinator();
            Coordinator second = farm.coordinator();
            // Written by someone else after the farm made the topics: the first coordinator does not ask, so its scan's
            // tracker would start before these and read past them (FarmIT's corrupt-records scan does that for real).
            write(farm, Topics.VERDICTS, 0, 3);
            write(farm, Topics.JOB_STATUS, 1, 2);
            assertEquals(ends(0, 0, 0, 0), submit(first).resultsStart(), "made by the farm a moment ago: taken as empty");

            // The same coordinator's next scan, and another coordinator of the farm: where the topics end now.
            assertEquals(ends(3, 0, 0, 2), submit(first).resultsStart());
            assertEquals(ends(3, 0, 0, 2), submit(second).resultsStart());

            // A farm on a broker whose result topics were there before it: it asks, from its first scan on.
            try (LocalFarm again = LocalFarm.on(broker.bootstrapServers(), () -> { }, SEGMENT, 2)) {
                assertEquals(ends(3, 0, 0, 2), submit(again.coordinator()).resultsStart());
            }
        }
    }

    private static Coordinator.Submitted submit(Coordinator c) throws Exception {
        return c.submit(new Coordinator.Request(Coordinator.newScanId(), Map.of(SEGMENT, List.of(0x7F000001L)), 1,
                List.of(80, 1), ProbeProfile.NMAP2, 0, Duration.ofHours(1)));
    }

    /** The offsets of the two partitions of scanfarm.verdicts, then of scanfarm.job-status. */
    private static Map<TopicPartition, Long> ends(long v0, long v1, long s0, long s1) {
        return Map.of(new TopicPartition(Topics.VERDICTS, 0), v0, new TopicPartition(Topics.VERDICTS, 1), v1,
                new TopicPartition(Topics.JOB_STATUS, 0), s0, new TopicPartition(Topics.JOB_STATUS, 1), s1);
    }

    /** {@code n} records (not verdicts: the offsets are what counts) to one partition of {@code topic}. */
    private static void write(LocalFarm farm, String topic, int partition, int n) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaDefaults.producer(farm.kafka()))) {
            for (int i = 0; i < n; i++) {
                p.send(new ProducerRecord<>(topic, partition, "k", new byte[] {1})).get();
            }
        }
    }
}
