package io.scanfarm.cli.farm;

import io.scanfarm.agent.scan.ScanOptions;
import io.scanfarm.agent.service.AgentService;
import io.scanfarm.coordinator.service.BrokerUnavailableException;
import io.scanfarm.coordinator.service.Coordinator;
import io.scanfarm.matcher.service.MatcherService;
import io.scanfarm.matcher.service.VerdictBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scanfarm.agent.service.JobVerifier;
import io.scanfarm.proto.ScanJob;
import io.scanfarm.wire.AddressBlock;
import io.scanfarm.wire.JobSignature;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The whole farm in one process: a broker (embedded unless one is given), the topics, a matcher and the agents
 * of one segment, each on its own thread, talking only through Kafka as separate services would.
 */
public final class LocalFarm implements AutoCloseable {

    private final AutoCloseable broker;
    private final Properties kafka;
    /** Partitions of each topic the farm creates: as many consumers of a group as this can share the work. */
    private final int partitions;
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> services = new ArrayList<>();
    /** The farm's ephemeral job-signing key: its coordinator signs, its agents trust only this key. */
    private final KeyPair issuer = JobSignature.generate();
    /** Whether this farm made the result topics and no coordinator was handed out since (see {@link #coordinator}). */
    private boolean resultTopicsNew;

    private LocalFarm(AutoCloseable broker, Properties kafka, int partitions) {
        this.broker = broker;
        this.kafka = kafka;
        this.partitions = partitions;
    }

    /** Starts an embedded broker and creates the topics for {@code segment}. */
    public static LocalFarm start(String segment, int partitions) throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.startForOneCommand();
        if (ProcessEnd.claimed()) {
            broker.endWithProcess(); // whether the command returns or a signal ends it (see close())
        }
        // The broker creates its group and transaction topics when a client first looks for a coordinator. On a
        // fresh broker, the services' starts waited for that in turn (transactions, then groups): both are asked
        // for now, while the farm's own topics are made. The answers are not awaited; the asking is what counts.
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        try {
            admin.describeConsumerGroups(List.of("scanfarm-warm-up"));
            admin.describeTransactions(List.of("scanfarm-warm-up"));
            LocalFarm farm = on(broker.bootstrapServers(), broker, segment, partitions);
            // A client of a broker in this process waits 10 ms, not Kafka's 100, before asking again (say, for a
            // coordinator still loading): on a fresh broker every service's start met one such wait.
            farm.kafka.put(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG, "10");
            // Records to a broker in this process cross no network: lz4 costs the producers, the broker's checks and
            // the consumers less CPU than the services' zstd (whose smaller batches pay off between machines).
            // A /20 scan: median 4.30 -> 4.16 s over 8 alternated runs (4.19 -> 4.11 s in another 8; none: 4.17 s).
            farm.kafka.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            return farm;
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    /** A farm on a broker started elsewhere (a container in tests); {@code broker} is closed with the farm. */
    public static LocalFarm on(String bootstrap, AutoCloseable broker, String segment, int partitions) throws Exception {
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", bootstrap);
        LocalFarm farm = new LocalFarm(broker, kafka, partitions);
        try {
            Set<String> created = farm.coordinator().ensureTopics(List.of(segment));
            farm.resultTopicsNew = created.containsAll(Coordinator.RESULT_TOPICS);
        } catch (BrokerUnavailableException e) {
            farm.close();
            throw e;
        }
        return farm;
    }

    public Properties kafka() {
        return kafka;
    }

    /**
     * A coordinator of the farm. The first one handed out after the farm made its result topics knows them empty
     * ({@link Coordinator#resultTopicsEmpty}): the scan it submits first reads its results from their beginning,
     * without a consumer made to ask where they end. The embedded scan's submission, on its way to the first probe,
     * took 0.21 s instead of 0.28 s (medians of 8 alternated /20 scans, every pair).
     */
    public synchronized Coordinator coordinator() {
        Coordinator c = new Coordinator(kafka, partitions, (short) 1, Duration.ofSeconds(15)).signWith(issuer);
        if (resultTopicsNew) {
            resultTopicsNew = false;
            c.resultTopicsEmpty();
        }
        return c;
    }

    public MatcherService startMatcher(VerdictBuilder builder, String instanceId) {
        return start(new MatcherService(kafka, builder, instanceId));
    }

    /** Starts {@code matcher} (made on {@link #kafka()}) on a thread of the farm. */
    public MatcherService start(MatcherService matcher) {
        start(matcher, "matcher-" + matcher.instanceId());
        return matcher;
    }

    /** A job signed with the farm's key, as its coordinator signs them. */
    public ScanJob sign(ScanJob job) {
        return JobSignature.sign(job, issuer);
    }

    /** The public half of the farm's job-signing key. */
    public PublicKey issuerKey() {
        return issuer.getPublic();
    }

    public AgentService startAgent(String segment, String agentId, List<AddressBlock> allowlist, ScanOptions options) {
        return startAgent(segment, agentId, allowlist, options, new SimpleMeterRegistry());
    }

    /** An agent of the farm (trusting only the farm's signing key) whose meters go to {@code registry}. */
    public AgentService startAgent(String segment, String agentId, List<AddressBlock> allowlist, ScanOptions options,
                                   MeterRegistry registry) {
        AgentService a = new AgentService(kafka, segment, agentId, allowlist, options,
                JobVerifier.trusting(List.of(issuer.getPublic())), registry);
        start(a, "agent-" + agentId);
        return a;
    }

    private void start(Runnable service, String name) {
        Thread t = new Thread(service, name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
        services.add((AutoCloseable) service);
    }

    /**
     * Says that the command has what it ran the farm for (a scan's last result): from now on the broker only idles,
     * and its data may be deleted under it (see {@link #close}).
     */
    public void finished() {
        if (broker instanceof EmbeddedKafka k) {
            k.idle();
        }
    }

    /**
     * Stops the services and the broker, in order. In a process that ends with its command ({@link ProcessEnd}), a
     * finished farm on its own temporary broker is left running instead: it idles, and the process's end deletes the
     * broker's data ({@link EmbeddedKafka#endWithProcess}). An unfinished farm (the command failed) is stopped in
     * order: its broker may still be making the directories of new topics.
     */
    @Override
    public void close() {
        if (broker instanceof EmbeddedKafka k && k.leftToProcessEnd()) {
            return;
        }
        for (AutoCloseable s : services) {
            try {
                s.close();
            } catch (Exception e) {
                // shutting down anyway
            }
        }
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (broker != null) {
            try {
                broker.close();
            } catch (Exception e) {
                // shutting down anyway
            }
        }
    }
}
