package io.scanfarm.matcher.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanfarm.wire.DeadLetter;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.StoppableService;
import io.scanfarm.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateless matcher: consumes observations, publishes each one's OsVerdict (protobuf) and JSON line in the
 * same Kafka transaction that commits the observation's offset, so a restart neither loses nor repeats a
 * verdict for read-committed readers. A record it cannot decode goes to the dead-letter topic with the reason
 * in its headers, and consumption goes on.
 */
public final class MatcherService extends StoppableService {

    private static final Logger LOG = LoggerFactory.getLogger(MatcherService.class);
    public static final String GROUP = "scanfarm-matcher";

    private final Properties kafka;
    private final VerdictBuilder builder;
    private final String instanceId;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong verdicts = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();

    /** {@code instanceId} names this instance's transactional id: a restarted instance fences its predecessor. */
    public MatcherService(Properties kafka, VerdictBuilder builder, String instanceId) {
        this.kafka = kafka;
        this.builder = builder;
        this.instanceId = instanceId;
    }

    public long verdictsPublished() {
        return verdicts.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    @Override
    public void run() {
        Properties cp = KafkaDefaults.consumer(kafka, GROUP);
        cp.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        Properties pp = KafkaDefaults.producer(kafka);
        pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "scanfarm-matcher-" + instanceId);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cp);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp)) {
            attach(c);
            producer.initTransactions();
            c.subscribe(List.of(Topics.OBSERVATIONS));
            while (running()) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = c.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                try {
                    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                    long published = 0;
                    long dead = 0;
                    for (ConsumerRecord<String, byte[]> r : records) {
                        if (handle(r, producer)) {
                            published++;
                        } else {
                            dead++;
                        }
                        next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    if (abandoned()) {
                        return; // a simulated crash: the open transaction is never committed
                    }
                    producer.sendOffsetsToTransaction(next, c.groupMetadata());
                    producer.commitTransaction();
                    verdicts.addAndGet(published);
                    deadLetters.addAndGet(dead);
                } catch (ProducerFencedException | AuthorizationException e) {
                    LOG.error("matcher {} stops: {}", instanceId, e.getMessage());
                    return;
                } catch (KafkaException e) {
                    LOG.warn("matcher {}: transaction aborted ({}); the batch will be read again", instanceId, e.getMessage());
                    producer.abortTransaction();
                    rewind(c);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            attach(null);
        }
    }

    /** Publishes the verdict for one record, or dead-letters it; returns whether a verdict was published. */
    private boolean handle(ConsumerRecord<String, byte[]> r, KafkaProducer<String, byte[]> producer) {
        String reason;
        try {
            VerdictBuilder.Built built = builder.build(r.value(), System.currentTimeMillis());
            String target = built.verdict().getTarget();
            producer.send(new ProducerRecord<>(Topics.VERDICTS, target, built.verdict().toByteArray()));
            producer.send(new ProducerRecord<>(Topics.VERDICTS_JSON, target,
                    json.writeValueAsString(built.json()).getBytes(StandardCharsets.UTF_8)));
            return true;
        } catch (Exception e) {
            // The refusals VerdictBuilder declares; anything else is a bug, still set aside rather than stopping.
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        producer.send(DeadLetter.of(r, reason));
        LOG.warn("observation at {}/{}@{} dead-lettered: {}", r.topic(), r.partition(), r.offset(), reason);
        return false;
    }

    /** After an aborted transaction, read the batch again from the last committed offsets. */
    private static void rewind(KafkaConsumer<String, byte[]> c) {
        Map<TopicPartition, OffsetAndMetadata> committed = c.committed(c.assignment());
        for (TopicPartition tp : c.assignment()) {
            OffsetAndMetadata om = committed.get(tp);
            if (om != null) {
                c.seek(tp, om.offset());
            } else {
                c.seekToBeginning(List.of(tp));
            }
        }
    }
}
