package io.scanfarm.matcher.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.Outcome;
import io.scanfarm.wire.ClientIds;
import io.scanfarm.wire.EnumCounters;
import io.scanfarm.wire.DeadLetter;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.StoppableService;
import io.scanfarm.wire.Topics;
import io.scanfarm.wire.TransactionalProducer;
import java.time.Duration;
import java.util.HashMap;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.apache.kafka.common.errors.AuthenticationException;
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
    public static final String GROUP = ClientIds.MATCHER_GROUP;

    private final Properties kafka;
    private final VerdictBuilder builder;
    private final String instanceId;
    private final AtomicLong verdicts = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final MeterRegistry registry;
    private final Timer matchLatency;
    /** Verdicts of the batch in hand by outcome, counted once its transaction commits. */
    private final EnumMap<Outcome, Integer> batchOutcomes = new EnumMap<>(Outcome.class);
    private final EnumCounters<Outcome> verdictsByOutcome;
    /** Whether each verdict's JSON line goes to scanfarm.verdicts.json too (see {@link #withoutJsonTopic}). */
    private volatile boolean jsonTopic = true;

    /** {@code instanceId} names this instance's transactional id: a restarted instance fences its predecessor. */
    public MatcherService(Properties kafka, VerdictBuilder builder, String instanceId) {
        this(kafka, builder, instanceId, new SimpleMeterRegistry());
    }

    /** A matcher whose meters ({@code scanfarm.matcher.*}, its Kafka clients') go to {@code registry}. */
    public MatcherService(Properties kafka, VerdictBuilder builder, String instanceId, MeterRegistry registry) {
        this.registry = registry;
        this.verdictsByOutcome = new EnumCounters<>(registry, "scanfarm.matcher.verdicts", "outcome", Outcome.class);
        this.matchLatency = Timer.builder("scanfarm.matcher.match.latency")
                .description("time to compute one observation's fingerprint, match it and build its verdict")
                .publishPercentiles(0.5, 0.99).register(registry);
        FunctionCounter.builder("scanfarm.matcher.dead.letters", deadLetters, AtomicLong::get)
                .description("observations that could not be decoded, sent to the dead-letter topic").register(registry);
        Counter.builder("scanfarm.matcher.batches.aborted")
                .description("batches whose transaction could not commit (Kafka away, a rebalance): read again").register(registry);
        this.kafka = kafka;
        this.builder = builder;
        this.instanceId = instanceId;
    }

    /** The instance id its transactional id is made from. */
    public String instanceId() {
        return instanceId;
    }

    /**
     * Publishes verdicts to scanfarm.verdicts only, not their JSON lines to scanfarm.verdicts.json: for a farm
     * whose broker lives and dies with one command (scanfarm scan's embedded farm), where no SIEM can ever read
     * that topic and the command prints any form it is asked for itself. Call before the service runs.
     */
    public MatcherService withoutJsonTopic() {
        this.jsonTopic = false;
        return this;
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
        // A static member: the same instance restarted after a crash takes its place (and partitions) at once,
        // instead of waiting for the dead member's session to time out.
        cp.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "scanfarm-matcher-" + instanceId);
        Properties pp = KafkaDefaults.producer(kafka);
        pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, ClientIds.matcherTransactionalId(instanceId));
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cp);
        try (TransactionalProducer tx = new TransactionalProducer(pp, registry, this::running);
             KafkaClientMetrics consumerMeters = new KafkaClientMetrics(c)) {
            consumerMeters.bindTo(registry);
            attach(c);
            tx.start();
            c.subscribe(List.of(Topics.OBSERVATIONS));
            // A verdict's map of malformed answers builds the protobuf descriptors of the whole schema on its first
            // use, which the first verdict waited for: 63-79 ms in the embedded farm's scans (the class-data
            // archive in use), 130-170 ms in a JVM without one. Built now, before the first poll, while the consumer
            // has yet to join its group and no observation waits.
            OsVerdict.getDefaultInstance().getMalformedResponsesMap();
            while (running()) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = c.poll(Duration.ofMillis(200));
                    ready(true);
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) {
                    continue;
                }
                batchOutcomes.clear();
                try {
                    tx.begin();
                    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                    long published = 0;
                    long dead = 0;
                    for (ConsumerRecord<String, byte[]> r : records) {
                        if (handle(r, tx.producer())) {
                            published++;
                        } else {
                            dead++;
                        }
                        next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    if (abandoned()) {
                        return; // a simulated crash: the open transaction is never committed
                    }
                    tx.sendOffsets(next, c.groupMetadata());
                    tx.commit();
                    verdicts.addAndGet(published);
                    deadLetters.addAndGet(dead);
                    batchOutcomes.forEach(verdictsByOutcome::increment);
                } catch (ProducerFencedException | AuthorizationException e) {
                    LOG.error("matcher {} stops: {}", instanceId, e.getMessage());
                    stoppedBy(e);
                    return;
                } catch (KafkaException e) {
                    LOG.warn("matcher {}: transaction aborted ({}); the batch will be read again", instanceId, e.getMessage());
                    registry.counter("scanfarm.matcher.batches.aborted").increment();
                    tx.abort();
                    rewind(c, records);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (AuthenticationException e) {
            LOG.error("matcher {} stops: Kafka refused its login ({}): check kafka.security.protocol, kafka.sasl.mechanism and"
                    + " kafka.sasl.jaas.config", instanceId, e.getMessage());
            stoppedBy(e);
        } catch (AuthorizationException e) {
            LOG.error("matcher {} stops: Kafka refused it ({}): its principal needs the matcher role's ACLs"
                    + " (scanfarm acls --role matcher --principal User:NAME, or deploy/kafka/acls)", instanceId, e.getMessage());
            stoppedBy(e);
        } catch (KafkaException e) {
            if (running()) {
                LOG.error("matcher {} stops: {}", instanceId, e.getMessage());
                stoppedBy(e);
            }
        } finally {
            ready(false);
            attach(null);
            leave(c);
        }
    }

    /** Publishes the verdict for one record, or dead-letters it; returns whether a verdict was published. */
    private boolean handle(ConsumerRecord<String, byte[]> r, KafkaProducer<String, byte[]> producer) {
        String reason;
        try {
            long t0 = System.nanoTime();
            VerdictBuilder.Built built = builder.build(r.value(), System.currentTimeMillis());
            matchLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            batchOutcomes.merge(built.verdict().getOutcome(), 1, Integer::sum);
            String target = built.verdict().getTarget();
            producer.send(new ProducerRecord<>(Topics.VERDICTS, target, built.verdict().toByteArray()));
            if (jsonTopic) {
                producer.send(new ProducerRecord<>(Topics.VERDICTS_JSON, target, VerdictEcs.bytes(built.verdict())));
            }
            return true;
        } catch (KafkaException e) {
            throw e; // the producer's trouble, not the record's: the batch's transaction is aborted
        } catch (Exception e) {
            // The refusals VerdictBuilder declares; anything else is a bug, still set aside rather than stopping.
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        producer.send(DeadLetter.of(r, reason));
        LOG.warn("observation at {}/{}@{} dead-lettered: {}", r.topic(), r.partition(), r.offset(), reason);
        return false;
    }

    /**
     * After an aborted transaction, reads the batch again: each partition from the batch's first record (nothing
     * after it was committed). Asks nothing of the broker, which may be the reason for the abort.
     */
    private static void rewind(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> batch) {
        for (TopicPartition tp : batch.partitions()) {
            if (c.assignment().contains(tp)) {
                c.seek(tp, batch.records(tp).get(0).offset());
            }
        }
    }
}
