package io.scanfarm.agent.service;

import io.scanfarm.agent.plan.NmapFirstGenerationPlan;
import io.scanfarm.agent.plan.NmapSecondGenerationPlan;
import io.scanfarm.agent.plan.ProbePlan;
import io.scanfarm.proto.ProbeProfile;
import io.scanfarm.agent.scan.HostResult;
import io.scanfarm.agent.scan.OsScanner;
import io.scanfarm.agent.scan.ScanOptions;
import io.scanfarm.proto.HostObservation;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.JobState;
import io.scanfarm.proto.JobStatus;
import io.scanfarm.proto.ScanJob;
import io.scanfarm.wire.AddressBlock;
import io.scanfarm.wire.AddressRanges;
import io.scanfarm.wire.ClientIds;
import io.scanfarm.wire.EnumCounters;
import io.scanfarm.wire.DeadLetter;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.StoppableService;
import io.scanfarm.wire.Topics;
import io.scanfarm.wire.TransactionalProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scanfarm.agent.scan.ScanCounters;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A probe agent for one segment: takes jobs from the segment's topic (one consumer group per segment, so a job
 * is probed once), probes the targets its allowlist permits, and publishes one HostObservation per address and
 * a JobStatus, all in one Kafka transaction with the job's offset. An agent that dies mid-job leaves nothing
 * visible to read-committed readers, and another agent of the segment runs the whole job again.
 */
public final class AgentService extends StoppableService {

    private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);
    /** The most addresses one job may cover (a /16); a larger job is rejected before anything is expanded. */
    static final int MAX_JOB_ADDRESSES = 65_536;
    /** How often a job's progress and the observations sent so far are committed while it runs. */
    private static final long CHECKPOINT_NANOS = 250_000_000L;

    private final Properties kafka;
    private final String segment;
    private final String agentId;
    /** The allowlist merged into sorted ranges: one binary search an address. */
    private final AddressRanges permitted;
    private final ScanOptions scanOptions;
    private final AtomicLong jobsDone = new AtomicLong();
    private final MeterRegistry registry;
    private final EnumCounters<HostStatus> observationsByStatus;
    private final JobVerifier verifier;
    private final ScanCounters counters = new ScanCounters();
    /** How the job in hand ended (a tag of the jobs meter), counted once its transaction commits. */
    private String jobResult;
    private volatile Runnable beforeCommit = () -> { };
    /** Progress of the job in hand (touched only by the agent's thread). */
    private Checkpoint current;

    public AgentService(Properties kafka, String segment, String agentId, List<AddressBlock> allowlist, ScanOptions scanOptions,
                        JobVerifier verifier) {
        this(kafka, segment, agentId, allowlist, scanOptions, verifier, new SimpleMeterRegistry());
    }

    /**
     * An agent that runs the jobs {@code verifier} accepts, inside {@code allowlist}; its meters
     * ({@code scanfarm.agent.*}, its Kafka clients') go to {@code registry}.
     */
    public AgentService(Properties kafka, String segment, String agentId, List<AddressBlock> allowlist, ScanOptions scanOptions,
                        JobVerifier verifier, MeterRegistry registry) {
        this.registry = registry;
        this.observationsByStatus = new EnumCounters<>(registry, "scanfarm.agent.observations", "status", HostStatus.class);
        this.verifier = verifier;
        FunctionCounter.builder("scanfarm.agent.probes.sent", counters.probesSent, LongAdder::sum)
                .description("probe packets sent, discovery SYNs and retransmissions included").register(registry);
        FunctionCounter.builder("scanfarm.agent.probes.retransmitted", counters.probesRetransmitted, LongAdder::sum)
                .description("probes sent again because no answer came within the timeout").register(registry);
        FunctionCounter.builder("scanfarm.agent.probes.answered", counters.answersReceived, LongAdder::sum)
                .description("answers captured and tied to a probe").register(registry);
        Gauge.builder("scanfarm.agent.hosts.in.flight", counters.hostsInFlight, AtomicInteger::get)
                .description("hosts being probed right now").register(registry);
        Counter.builder("scanfarm.agent.jobs.retried")
                .description("jobs whose transaction could not commit (Kafka away, a rebalance): run again from their committed progress")
                .register(registry);
        this.kafka = kafka;
        this.segment = segment;
        this.agentId = agentId;
        this.permitted = AddressRanges.of(allowlist);
        this.scanOptions = scanOptions;
    }

    public long jobsDone() {
        return jobsDone.get();
    }

    /** For fault tests: runs after a job's records are sent and before its transaction commits. */
    public void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    @Override
    public void run() {
        Properties cp = KafkaDefaults.consumer(kafka, ClientIds.agentGroup(segment));
        cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        cp.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "900000");
        // A static member: the same instance restarted after a crash takes its place (and partitions) at once,
        // instead of waiting for the dead member's session to time out.
        cp.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "scanfarm-agent-" + agentId);
        Properties pp = KafkaDefaults.producer(kafka);
        pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, ClientIds.agentTransactionalId(segment, agentId));
        // Progress is committed every 250 ms from the scan loop, so a transaction lasts about that long; this is how
        // long an agent that died leaves its open one blocking read-committed readers (the matcher) of observations.
        pp.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cp);
        try (TransactionalProducer tx = new TransactionalProducer(pp, registry, this::running);
             KafkaClientMetrics consumerMeters = new KafkaClientMetrics(c)) {
            consumerMeters.bindTo(registry);
            attach(c);
            tx.start();
            c.subscribe(List.of(Topics.jobs(segment)));
            while (running()) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = c.poll(Duration.ofMillis(200));
                    ready(true);
                } catch (WakeupException e) {
                    break;
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    try {
                        tx.begin();
                        boolean ran;
                        try {
                            ran = runJob(r, tx, c);
                        } catch (KafkaException e) {
                            throw e;
                        } catch (RuntimeException e) {
                            // A job that breaks the agent must not break the next agent too: report it failed, move on.
                            LOG.error("agent {}: job at {}@{} failed: {}", agentId, r.partition(), r.offset(), e.toString());
                            tx.abort();
                            tx.begin();
                            failJob(r, tx, e);
                            ran = false;
                        }
                        beforeCommit.run();
                        if (abandoned()) {
                            return; // a simulated crash: nothing of this job becomes visible
                        }
                        tx.sendOffsets(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)), c.groupMetadata());
                        tx.commit();
                        current = null;
                        if (ran) {
                            jobsDone.incrementAndGet();
                        }
                        jobs(jobResult);
                    } catch (ProducerFencedException | AuthorizationException e) {
                        LOG.error("agent {} stops: {}", agentId, e.getMessage());
                        stoppedBy(e);
                        return;
                    } catch (KafkaException e) {
                        // Kafka away or the group rebalanced: nothing uncommitted becomes visible, and the job runs
                        // again (here or at the partition's new owner) from the progress its offset metadata records.
                        LOG.warn("agent {}: job at {}@{} not committed ({}); it runs again from its committed progress", agentId,
                                r.partition(), r.offset(), e.getMessage());
                        current = null;
                        jobResult = null;
                        registry.counter("scanfarm.agent.jobs.retried").increment();
                        tx.abort();
                        if (c.assignment().contains(tp)) {
                            c.seek(tp, r.offset());
                        }
                        if (tx.replaced() > 0) {
                            LOG.warn("agent {}: Kafka producer replaced {} time(s) so far after it could not abort", agentId, tx.replaced());
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (AuthenticationException e) {
            LOG.error("agent {} stops: Kafka refused its login ({}): check kafka.security.protocol, kafka.sasl.mechanism and"
                    + " kafka.sasl.jaas.config", agentId, e.getMessage());
            stoppedBy(e);
        } catch (AuthorizationException e) {
            LOG.error("agent {} stops: Kafka refused it ({}): its principal needs the agent role's ACLs for segment {}"
                    + " (scanfarm acls --role agent --principal User:NAME --segment {}, or deploy/kafka/acls)",
                    agentId, e.getMessage(), segment, segment);
            stoppedBy(e);
        } catch (KafkaException e) {
            if (running()) {
                LOG.error("agent {} stops: {}", agentId, e.getMessage());
                stoppedBy(e);
            }
        } finally {
            ready(false);
            attach(null);
            leave(c);
        }
    }

    /** Counts a job that ended (its transaction committed) by how it ended. */
    private void jobs(String result) {
        if (result != null) {
            registry.counter("scanfarm.agent.jobs", "result", result).increment();
        }
        jobResult = null;
    }

    /** Runs one job record; false when it was not a job (dead-lettered) or was rejected. */
    private boolean runJob(ConsumerRecord<String, byte[]> r, TransactionalProducer tx, KafkaConsumer<String, byte[]> c) {
        KafkaProducer<String, byte[]> producer = tx.producer();
        ScanJob job = decode(r.value());
        if (job == null || job.getJobId().isEmpty()) {
            jobResult = "dead-lettered";
            producer.send(DeadLetter.of(r, "undecodable ScanJob"));
            LOG.warn("agent {}: undecodable job at {}@{} dead-lettered", agentId, r.partition(), r.offset());
            return false;
        }
        JobStatus.Builder status = JobStatus.newBuilder().setSchemaVersion(Topics.SCHEMA_VERSION).setScanId(job.getScanId())
                .setJobId(job.getJobId()).setAgentId(agentId).setSegment(segment);
        String refusal = verifier.refusal(job, System.currentTimeMillis(), r.topic() + "/" + r.partition() + "@" + r.offset());
        if (refusal != null) {
            // Nothing probed: the job is answered with its reason, and counted by it.
            jobResult = "rejected";
            registry.counter("scanfarm.agent.jobs.refused", "reason", JobVerifier.reasonTag(refusal)).increment();
            LOG.warn("agent {}: job {} of scan {} refused: {}", agentId, job.getJobId(), job.getScanId(), refusal);
            status.setState(JobState.REJECTED).addErrors("refused: " + refusal);
            producer.send(new ProducerRecord<>(Topics.JOB_STATUS, job.getScanId(), status.build().toByteArray()));
            return false;
        }
        Set<String> allowed = new LinkedHashSet<>();
        List<String> refused = new ArrayList<>();
        try {
            List<AddressBlock> blocks = new ArrayList<>(job.getTargetsCount());
            long size = 0;
            for (String t : job.getTargetsList()) {
                AddressBlock b = AddressBlock.parse(t);
                blocks.add(b);
                size += b.size();
            }
            if (size > MAX_JOB_ADDRESSES) {
                throw new IllegalArgumentException("the job covers " + size + " addresses, more than an agent takes in one job ("
                        + MAX_JOB_ADDRESSES + ")");
            }
            for (AddressBlock b : blocks) {
                for (long a = b.first(); a <= b.last(); a++) {
                    String text = AddressBlock.text(a);
                    if (permitted(a)) {
                        allowed.add(text);
                    } else {
                        refused.add(text);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            jobResult = "rejected";
            status.setState(JobState.REJECTED).addErrors("bad target: " + e.getMessage());
            producer.send(new ProducerRecord<>(Topics.JOB_STATUS, job.getScanId(), status.build().toByteArray()));
            return false;
        }
        status.setHostsExpected(allowed.size() + refused.size());
        // Where a previous holder of this job got to: its committed observations are not sent again.
        List<String> order = new ArrayList<>(refused);
        order.addAll(allowed);
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        OffsetAndMetadata previous = c.committed(Set.of(tp)).get(tp);
        BitSet done = previous != null && previous.offset() == r.offset()
                ? JobProgress.decode(job.getJobId(), previous.metadata()) : new BitSet();
        current = new Checkpoint(r, c, job.getJobId(), done, position, System.nanoTime());
        int resumed = done.cardinality();
        if (resumed > 0) {
            LOG.info("agent {}: resuming job {}: {} of {} addresses already done", agentId, job.getJobId(), resumed, order.size());
        }
        for (String t : refused) {
            status.addErrors("refused " + t + ": outside the allowlist");
            if (!done.get(position.get(t))) {
                send(producer, job, HostObservation.newBuilder().setTarget(t).setStatus(HostStatus.REFUSED)
                        .setStatusDetail("refused: outside agent " + agentId + "'s allowlist; never probed"));
            }
        }
        allowed.removeIf(t -> done.get(position.get(t)));
        int[] counts = new int[3];
        counts[0] = resumed;
        if (!allowed.isEmpty()) {
            List<Integer> ports = job.getPortsCount() > 0 ? job.getPortsList() : scanOptions.ports();
            // The job may ask for less than the agent's own ceiling, never for more.
            int ceiling = scanOptions.maxPacketsPerSecond();
            int asked = job.getRateLimitPps();
            int rate = ceiling == 0 ? asked : asked == 0 ? ceiling : Math.min(asked, ceiling);
            // The job names the probe sequence: Nmap's first generation, or the second (the default).
            ProbePlan plan = job.getProfile() == ProbeProfile.NMAP1 ? NmapFirstGenerationPlan.create() : NmapSecondGenerationPlan.create();
            ScanOptions options = new ScanOptions(ports, plan, scanOptions.discoveryTimeoutMicros(),
                    scanOptions.discoveryTries(), scanOptions.maxHostsInFlight(), System.nanoTime(), rate);
            try (OsScanner scanner = new OsScanner(options, counters)) {
                scanner.scan(new ArrayList<>(allowed), h -> {
                    counts[0]++;
                    if (h.status() == HostResult.Status.UP) {
                        counts[1]++;
                    } else if (h.status() != HostResult.Status.DOWN) {
                        counts[2]++;
                    }
                    HostObservation.Builder o = Observations.of(h);
                    send(producer, job, o);
                }, () -> checkpoint(tx));
            } catch (java.io.IOException e) {
                status.addErrors("cannot scan: " + e.getMessage());
                status.setState(JobState.FAILED);
            }
        }
        status.setHostsProbed(counts[0]).setHostsUp(counts[1]).setHostsFailed(counts[2]);
        if (status.getState() != JobState.FAILED) {
            status.setState(JobState.DONE);
        }
        jobResult = status.getState() == JobState.DONE ? "done" : "failed";
        status.setFinishedAtMs(System.currentTimeMillis());
        producer.send(new ProducerRecord<>(Topics.JOB_STATUS, job.getScanId(), status.build().toByteArray()));
        return true;
    }

    /** Publishes ERROR observations for the job's addresses and a FAILED status, so every address is accounted for. */
    private void failJob(ConsumerRecord<String, byte[]> r, TransactionalProducer tx, RuntimeException cause) {
        KafkaProducer<String, byte[]> producer = tx.producer();
        ScanJob job = decode(r.value());
        if (job == null) {
            return;
        }
        String why = "the agent failed on this job: " + cause;
        Checkpoint cp = current != null && current.jobId.equals(job.getJobId()) ? current : null;
        current = null; // the aborted batch is gone: report every address not committed before it
        int hosts = 0;
        for (String t : job.getTargetsList()) {
            try {
                AddressBlock b = AddressBlock.parse(t);
                for (long a = b.first(); a <= b.last() && hosts < MAX_JOB_ADDRESSES; a++, hosts++) {
                    String text = AddressBlock.text(a);
                    Integer at = cp == null ? null : cp.position.get(text);
                    if (at != null && cp.committed.get(at)) {
                        continue;
                    }
                    send(producer, job, HostObservation.newBuilder().setTarget(text)
                            .setStatus(HostStatus.ERROR).setStatusDetail(why));
                }
            } catch (IllegalArgumentException e) {
                // a bad target in a failed job: nothing to account for
            }
        }
        producer.send(new ProducerRecord<>(Topics.JOB_STATUS, job.getScanId(), JobStatus.newBuilder()
                .setSchemaVersion(Topics.SCHEMA_VERSION).setScanId(job.getScanId()).setJobId(job.getJobId())
                .setAgentId(agentId).setSegment(segment).setState(JobState.FAILED).setHostsExpected(hosts)
                .addErrors(why).setFinishedAtMs(System.currentTimeMillis()).build().toByteArray()));
    }

    private static ScanJob decode(byte[] value) {
        try {
            return ScanJob.parseFrom(value == null ? new byte[0] : value);
        } catch (Exception e) {
            return null;
        }
    }

    private void send(KafkaProducer<String, byte[]> producer, ScanJob job, HostObservation.Builder o) {
        Observations.forJob(o, job, agentId, segment);
        producer.send(new ProducerRecord<>(Topics.OBSERVATIONS, o.getTarget(), o.build().toByteArray()));
        observationsByStatus.increment(o.getStatus());
        Checkpoint cp = current;
        if (cp != null && cp.jobId.equals(job.getJobId())) {
            Integer at = cp.position.get(o.getTarget());
            if (at != null) {
                cp.done.set(at);
                cp.pending++;
            }
        }
    }

    /** The job in hand: its address positions, which are done, and when progress was last committed. */
    private static final class Checkpoint {
        final ConsumerRecord<String, byte[]> record;
        final KafkaConsumer<String, byte[]> consumer;
        final String jobId;
        final BitSet done;
        /** What the last committed transaction holds (what a failure must not report again). */
        BitSet committed;
        final Map<String, Integer> position;
        long lastNanos;
        int pending;
        boolean tooBigSaid;

        Checkpoint(ConsumerRecord<String, byte[]> record, KafkaConsumer<String, byte[]> consumer, String jobId,
                   BitSet done, Map<String, Integer> position, long lastNanos) {
            this.record = record;
            this.consumer = consumer;
            this.jobId = jobId;
            this.done = done;
            this.committed = (BitSet) done.clone();
            this.position = position;
            this.lastNanos = lastNanos;
        }
    }

    /**
     * Called from the scan loop (at least every 50 ms): every 250 ms, commits the observations sent so far
     * together with the job's progress (the offset stays on the job), so the matcher works on them while the rest
     * of the job is probed, and no transaction stays open much longer than that.
     */
    private void checkpoint(TransactionalProducer tx) {
        Checkpoint cp = current;
        if (cp == null || cp.pending == 0 || System.nanoTime() - cp.lastNanos < CHECKPOINT_NANOS) {
            return;
        }
        String meta = JobProgress.encode(cp.jobId, cp.done);
        if (meta.length() > JobProgress.MAX_METADATA) {
            if (!cp.tooBigSaid) {
                cp.tooBigSaid = true;
                LOG.warn("agent {}: job {}'s progress does not fit in an offset's metadata: the job commits once, at its end,"
                        + " and must end within kafka.transaction.timeout.ms (or use fewer hosts.in.flight)", agentId, cp.jobId);
            }
            return;
        }
        tx.sendOffsets(Map.of(new TopicPartition(cp.record.topic(), cp.record.partition()),
                new OffsetAndMetadata(cp.record.offset(), meta)), cp.consumer.groupMetadata());
        tx.commit();
        tx.begin();
        cp.committed = (BitSet) cp.done.clone();
        cp.pending = 0;
        cp.lastNanos = System.nanoTime();
    }

    private boolean permitted(long address) {
        return permitted.contains(address);
    }
}
