package io.scanfarm.wire;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A service's transactional producer, kept usable through broker outages. A commit that times out is retried, as
 * Kafka requires (the same call again, nothing else in between). A transaction that cannot be aborted (the broker
 * away, the producer in a fatal state, a commit still pending) is left to a new producer with the same
 * transactional id: its initTransactions aborts whatever the old one left open. Only fencing (another instance
 * with the same id started since) or a refused authorization ends it: those are thrown.
 */
public final class TransactionalProducer implements AutoCloseable {

    private final Properties properties;
    private final MeterRegistry registry;
    private final BooleanSupplier running;
    private KafkaProducer<String, byte[]> producer;
    private KafkaClientMetrics meters;
    private int replaced;

    /** {@code properties} with a transactional.id; {@code running} says when to stop retrying (the service stops). */
    public TransactionalProducer(Properties properties, MeterRegistry registry, BooleanSupplier running) {
        this.properties = properties;
        this.registry = registry;
        this.running = running;
    }

    /** Creates the producer and initialises its transactions, waiting for the broker as long as the service runs. */
    public void start() {
        producer = new KafkaProducer<>(properties);
        meters = new KafkaClientMetrics(producer);
        meters.bindTo(registry);
        while (true) {
            try {
                producer.initTransactions();
                return;
            } catch (TimeoutException e) {
                if (!running.getAsBoolean()) {
                    throw e;
                }
                // no transaction coordinator yet (the broker is away): the same call again, as Kafka allows
            }
        }
    }

    /** The producer to send with, inside a transaction begun with {@link #begin}. */
    public KafkaProducer<String, byte[]> producer() {
        return producer;
    }

    public void begin() {
        producer.beginTransaction();
    }

    public void sendOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        producer.sendOffsetsToTransaction(offsets, group);
    }

    /** Commits; a commit the broker did not confirm within max.block.ms is retried while the service runs. */
    public void commit() {
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (!running.getAsBoolean()) {
                    throw e;
                }
            }
        }
    }

    /**
     * Aborts the transaction in hand so that none of it becomes visible; where the producer cannot (the broker
     * away, a fatal error, a commit still pending), replaces it: the new producer's initTransactions aborts it.
     */
    public void abort() {
        try {
            producer.abortTransaction();
            return;
        } catch (ProducerFencedException | AuthorizationException e) {
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            // replaced below
        }
        replace();
    }

    /** How many times the producer was replaced after it could not abort. */
    public int replaced() {
        return replaced;
    }

    private void replace() {
        replaced++;
        meters.close();
        producer.close(Duration.ZERO);
        start();
    }

    @Override
    public void close() {
        if (producer != null) {
            meters.close();
            producer.close(Duration.ofSeconds(10)); // a transaction still open is aborted by the next instance or its timeout
        }
    }
}
