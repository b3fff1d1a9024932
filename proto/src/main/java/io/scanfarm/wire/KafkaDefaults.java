package io.scanfarm.wire;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The project's Kafka client conventions: idempotent producers, acks=all, zstd; string keys and byte values;
 * consumers that read committed data and commit by hand. The operator's properties (bootstrap, TLS, SASL)
 * come first and pass through untouched; these are added where the operator set nothing.
 */
public final class KafkaDefaults {

    private KafkaDefaults() {
    }

    public static Properties producer(Properties base) {
        Properties p = copy(base);
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        // An observation or a verdict is a few KB, so Kafka's 16 KB batches held three or four of them, and a busy
        // agent or matcher sent a request (and the broker handled one) for every few records. 256 KB stays under the
        // 1 MB a broker accepts by default; the 5 ms linger, not the size, decides when a batch goes.
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    public static Properties consumer(Properties base, String group) {
        Properties p = copy(base);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // An idle consumer's fetch comes back within 100 ms rather than Kafka's 500: closing waits for the fetch in
        // flight, so a service stops that much sooner; records that arrive are returned at once either way.
        p.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        // A member that joins a group is taken in when the members already in it next heartbeat. At Kafka's 3 s,
        // a matcher started beside another sat out the first 3 s of a scan while the other held every partition
        // (the embedded farm's second matcher joined 11 ms after the first had formed the group).
        p.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    public static Properties copy(Properties base) {
        Properties p = new Properties();
        p.putAll(base);
        return p;
    }
}
