package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.wire.KafkaDefaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** What a topic holds, as the tests read it: every committed record, from the beginning of each partition. */
final class CommittedRecords {

    /** What is done with each record read. */
    interface Each {
        void accept(ConsumerRecord<String, byte[]> record) throws Exception;
    }

    private CommittedRecords() {
    }

    /**
     * Hands every committed record of {@code topic} (read_committed, all partitions, up to where each ends when
     * called) to {@code each}, reading as {@code group} with the client settings {@code kafka}; fails the test
     * when that end is not reached within 30 s.
     */
    static void read(Properties kafka, String group, String topic, Each each) throws Exception {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaDefaults.consumer(kafka, group))) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.currentTimeMillis() + 30_000;
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                assertTrue(System.currentTimeMillis() < deadline, topic + " could not be read to its end within 30 s");
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    each.accept(r);
                }
            }
        }
    }
}
