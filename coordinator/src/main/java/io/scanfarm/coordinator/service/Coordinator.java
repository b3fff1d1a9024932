package io.scanfarm.coordinator.service;

import io.scanfarm.proto.ProbeProfile;
import io.scanfarm.proto.ScanJob;
import io.scanfarm.wire.AddressBlock;
import io.scanfarm.wire.ClientIds;
import io.scanfarm.wire.JobSignature;
import java.security.KeyPair;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The coordinator's Kafka side: creates the topics, publishes a scan's jobs to the segments' job topics and
 * notes where the result topics stood just before, so the scan's tracker reads exactly what came after (also in
 * a header of each job record, so that a tracker started later finds the scan again: {@link ScanLookup}).
 */
public final class Coordinator implements AutoCloseable {

    /** A scan to submit: its addresses per segment, the job size and what every job carries. */
    public record Request(String scanId, Map<String, List<Long>> bySegment, int jobSize, List<Integer> ports,
                          ProbeProfile profile, int rateLimitPps, Duration jobLifetime) {
    }

    /** What was published: the job ids and the result topics' offsets before publishing. */
    public record Submitted(String scanId, List<String> jobIds, int hosts, Map<TopicPartition, Long> resultsStart,
                            Map<String, Integer> jobHosts) {

        /** What the scan's tracker needs to follow it. */
        public ScanTracker.CoordinatorSubmission tracking() {
            return new ScanTracker.CoordinatorSubmission(scanId, hosts, jobIds.size(), resultsStart, jobHosts);
        }
    }

    /** The topics a scan's results come on: where they stand before its jobs go out is where its tracker starts. */
    public static final List<String> RESULT_TOPICS = List.of(Topics.VERDICTS, Topics.JOB_STATUS);

    private final Properties kafka;
    private final int partitions;
    private final short replication;
    private final Duration timeout;
    private volatile KeyPair signer;
    private volatile boolean resultTopicsEmpty;

    public Coordinator(Properties kafka, int partitions, short replication, Duration timeout) {
        this.kafka = kafka;
        this.partitions = partitions;
        this.replication = replication;
        this.timeout = timeout;
    }

    /** Signs every job this coordinator publishes from now on with the issuer's Ed25519 key. */
    public Coordinator signWith(KeyPair issuer) {
        this.signer = issuer;
        return this;
    }

    /**
     * Says that the result topics (scanfarm.verdicts and scanfarm.job-status) were created a moment ago with this
     * coordinator's partition count and that nothing was written to them since, as on a broker that lives for one
     * command: the next scan submitted has its results read from their beginning, with no consumer made to ask where
     * they end (a consumer's start and three requests to the broker, on the embedded scan's way to its first probe).
     * Any offset at or before a scan's first result is right, since its tracker keeps only the scan's own results:
     * said of topics that already held records, this makes the tracker read more, never miss anything. Said of topics
     * with more partitions than this coordinator's, the tracker would not read the others: only the creator of both
     * topics may say it ({@code LocalFarm} does, when {@link #ensureTopics} created both).
     */
    public Coordinator resultTopicsEmpty() {
        this.resultTopicsEmpty = true;
        return this;
    }

    /**
     * Creates the shared topics and one job topic per segment where they do not exist yet; returns the names of
     * those it created (not those another client created meanwhile).
     */
    public Set<String> ensureTopics(Collection<String> segments) throws BrokerUnavailableException {
        Set<String> created = new LinkedHashSet<>();
        try (Admin admin = Admin.create(adminProperties())) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> wanted = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>(List.of(Topics.OBSERVATIONS, Topics.VERDICTS, Topics.VERDICTS_JSON,
                    Topics.JOB_STATUS, Topics.DEAD_LETTER));
            segments.forEach(s -> names.add(Topics.jobs(s)));
            for (String n : names) {
                if (!existing.contains(n)) {
                    wanted.add(new NewTopic(n, partitions, replication));
                }
            }
            if (!wanted.isEmpty()) {
                long deadline = System.nanoTime() + timeout.toNanos();
                for (var made : admin.createTopics(wanted).values().entrySet()) {
                    try {
                        made.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        created.add(made.getKey());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new BrokerUnavailableException("cannot use Kafka at " + kafka.getProperty("bootstrap.servers") + ": " + e.getMessage());
        } catch (TimeoutException e) {
            throw unreachable();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable();
            }
            throw new BrokerUnavailableException("Kafka refused: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while talking to Kafka");
        }
        return created;
    }

    /** The error for a broker that did not answer within the timeout. */
    private BrokerUnavailableException unreachable() {
        return new BrokerUnavailableException("no answer from Kafka at " + kafka.getProperty("bootstrap.servers")
                + " within " + timeout.toSeconds() + " s: is the broker running and reachable?");
    }

    /** Admin client settings bounded by this coordinator's timeout, so an absent broker is noticed in time. */
    private Properties adminProperties() {
        Properties p = KafkaDefaults.copy(kafka);
        p.putIfAbsent("default.api.timeout.ms", String.valueOf(timeout.toMillis()));
        p.putIfAbsent("request.timeout.ms", String.valueOf(Math.min(timeout.toMillis(), 30_000)));
        return p;
    }

    /** Publishes the scan's jobs; fails with the broker's reason when any job could not be written. */
    public Submitted submit(Request req) throws BrokerUnavailableException {
        Map<TopicPartition, Long> start = resultsStart();
        List<String> jobIds = new ArrayList<>();
        Map<String, Integer> jobHosts = new HashMap<>();
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
        int hosts = 0;
        long now = System.currentTimeMillis();
        byte[] startHeader = ScanLookup.encodeStart(start).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Properties pp = KafkaDefaults.producer(kafka);
        pp.putIfAbsent("delivery.timeout.ms", String.valueOf(Math.max(timeout.toMillis(), 30_000) + 10_000));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp)) {
            for (Map.Entry<String, List<Long>> e : req.bySegment().entrySet()) {
                List<Long> addrs = e.getValue();
                for (int i = 0; i < addrs.size(); i += req.jobSize()) {
                    List<Long> chunk = addrs.subList(i, Math.min(addrs.size(), i + req.jobSize()));
                    String jobId = req.scanId() + "-" + e.getKey() + "-" + (i / req.jobSize() + 1);
                    ScanJob.Builder job = ScanJob.newBuilder().setSchemaVersion(Topics.SCHEMA_VERSION).setScanId(req.scanId())
                            .setJobId(jobId).setSegment(e.getKey()).addAllPorts(req.ports()).setProfile(req.profile())
                            .setRateLimitPps(req.rateLimitPps()).setCreatedAtMs(now)
                            .setExpiresAtMs(now + req.jobLifetime().toMillis());
                    chunk.forEach(a -> job.addTargets(AddressBlock.text(a)));
                    ScanJob built = signer == null ? job.build() : JobSignature.sign(job.build(), signer);
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.jobs(e.getKey()), jobId, built.toByteArray());
                    // Outside the signed bytes: only where a resumed tracker starts reading results (ScanLookup).
                    record.headers().add(ScanLookup.RESULTS_START_HEADER, startHeader);
                    sent.add(producer.send(record));
                    jobIds.add(jobId);
                    jobHosts.put(jobId, chunk.size());
                    hosts += chunk.size();
                }
            }
            producer.flush();
            for (var f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new BrokerUnavailableException("a job could not be published: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while publishing jobs");
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new BrokerUnavailableException("Kafka refused the jobs: " + e.getMessage());
        }
        return new Submitted(req.scanId(), jobIds, hosts, start, jobHosts);
    }

    /** Where the next scan's tracker starts: the result topics' beginning if they are known empty, else their ends. */
    private Map<TopicPartition, Long> resultsStart() throws BrokerUnavailableException {
        if (resultTopicsEmpty) {
            resultTopicsEmpty = false; // the next scan's results come after this one's
            Map<TopicPartition, Long> start = new HashMap<>();
            for (String topic : RESULT_TOPICS) {
                for (int p = 0; p < partitions; p++) {
                    start.put(new TopicPartition(topic, p), 0L);
                }
            }
            return start;
        }
        try {
            return resultOffsets();
        } catch (org.apache.kafka.common.KafkaException e) {
            // e.g. no READ on scanfarm.verdicts or scanfarm.job-status: say so instead of failing as a bug
            throw new BrokerUnavailableException("cannot read where the result topics stand: " + e.getMessage());
        }
    }

    /** The end offsets of the verdict and job-status topics right now. */
    private Map<TopicPartition, Long> resultOffsets() throws BrokerUnavailableException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaDefaults.consumer(kafka, "scanfarm-coordinator-probe"))) {
            List<TopicPartition> tps = new ArrayList<>();
            for (String topic : RESULT_TOPICS) {
                // A topic created a moment ago can be missing from the broker's metadata for a moment more: its
                // partitions are listed as none, and a tracker given none would follow nothing.
                List<PartitionInfo> partitions = c.partitionsFor(topic, timeout);
                while (partitions.isEmpty() && System.nanoTime() < deadline) {
                    sleep(20);
                    partitions = c.partitionsFor(topic, timeout);
                }
                if (partitions.isEmpty()) {
                    throw new BrokerUnavailableException("topic " + topic + " has no partitions at " + kafka.getProperty("bootstrap.servers")
                            + " (does it exist? scanfarm creates it when it may)");
                }
                for (PartitionInfo pi : partitions) {
                    tps.add(new TopicPartition(topic, pi.partition()));
                }
            }
            return new HashMap<>(c.endOffsets(tps, timeout));
        }
    }

    private static void sleep(long millis) throws BrokerUnavailableException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while waiting for the result topics");
        }
    }

    /** How many agents are in the segment's consumer group right now (0: nobody would take its jobs). */
    public int activeAgents(String segment) throws BrokerUnavailableException {
        Properties p = adminProperties();
        String group = ClientIds.agentGroup(segment);
        try (Admin admin = Admin.create(p)) {
            return admin.describeConsumerGroups(List.of(group)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(group).members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                return 0; // no agent ever joined
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable();
            }
            throw new BrokerUnavailableException("cannot ask Kafka at " + kafka.getProperty("bootstrap.servers")
                    + " about segment " + segment + "'s agents: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw unreachable();
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new BrokerUnavailableException("cannot use Kafka at " + kafka.getProperty("bootstrap.servers") + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while talking to Kafka");
        }
    }

    public static String newScanId() {
        return "scan-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void close() {
        // clients are opened per call
    }
}
