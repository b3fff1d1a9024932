package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scanfarm.cli.farm.EmbeddedKafka;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.TransactionalProducer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services' transactional producer across a broker outage longer than its max.block.ms, on the in-process
 * broker stopped and started again on its data: a commit that times out is retried and lands once (where the plain
 * producer, told to abort after the timeout, refuses); a transaction that cannot be aborted is aborted by the
 * producer that replaces it, and never becomes visible.
 */
class TransactionalProducerIT {

    private static final Duration OUTAGE = Duration.ofSeconds(6);

    @TempDir
    Path tmp;

    @Test
    void aCommitThatTimesOutWhileTheBrokerIsAwayIsRetriedAndLandsOnce() throws Exception {
        EmbeddedKafka[] broker = {EmbeddedKafka.start(0, tmp.resolve("kafka"))};
        try {
            topics(broker[0], "kept", "plain");
            KafkaProducer<String, byte[]> plain = new KafkaProducer<>(properties(broker[0], "plain"));
            plain.initTransactions();
            plain.beginTransaction();
            plain.send(new ProducerRecord<>("plain", "k", bytes("plain"))).get();
            try (TransactionalProducer tx = new TransactionalProducer(properties(broker[0], "kept"), new SimpleMeterRegistry(), () -> true)) {
                tx.start();
                tx.begin();
                tx.producer().send(new ProducerRecord<>("kept", "k", bytes("once"))).get();
                Thread restart = outage(broker);
                // Kafka's rule: after a commit timed out, only the same call may follow. The services used to abort here.
                assertThrows(TimeoutException.class, plain::commitTransaction);
                assertThrows(IllegalStateException.class, plain::abortTransaction);
                plain.close(Duration.ZERO);
                tx.commit(); // times out while the broker is away, and is retried until it returns
                restart.join();
            }
            assertEquals(List.of("once"), committed(broker[0], "kept"));
        } finally {
            broker[0].close();
        }
    }

    @Test
    void aTransactionThatCannotBeAbortedIsAbortedByTheProducerThatReplacesIt() throws Exception {
        EmbeddedKafka[] broker = {EmbeddedKafka.start(0, tmp.resolve("kafka"))};
        try {
            topics(broker[0], "t");
            try (TransactionalProducer tx = new TransactionalProducer(properties(broker[0], "t"), new SimpleMeterRegistry(), () -> true)) {
                tx.start();
                tx.begin();
                tx.producer().send(new ProducerRecord<>("t", "k", bytes("aborted"))).get();
                Thread restart = outage(broker);
                tx.abort(); // times out while the broker is away: a new producer with the same id takes over
                assertEquals(1, tx.replaced());
                restart.join();
                tx.begin();
                tx.producer().send(new ProducerRecord<>("t", "k", bytes("kept")));
                tx.commit();
            }
            assertEquals(List.of("kept"), committed(broker[0], "t"));
        } finally {
            broker[0].close();
        }
    }

    /** Stops the broker now and starts it again on its data after {@link #OUTAGE}, on another thread. */
    private static Thread outage(EmbeddedKafka[] broker) {
        broker[0].stop();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(OUTAGE.toMillis());
                broker[0] = EmbeddedKafka.start(0, broker[0].dataDir());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        return t;
    }

    private static Properties properties(EmbeddedKafka broker, String transactionalId) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000"); // well under the outage
        p = KafkaDefaults.producer(p);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + transactionalId);
        return p;
    }

    private static void topics(EmbeddedKafka broker, String... names) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(new NewTopic(n, 1, (short) 1));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The committed values of a one-partition topic (read_committed, from the beginning). */
    private static List<String> committed(EmbeddedKafka broker, String topic) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        List<String> out = new ArrayList<>();
        CommittedRecords.read(p, "it-reader", topic, r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
