package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scanfarm.agent.net.PcapLibrary;
import io.scanfarm.agent.plan.NmapSecondGenerationPlan;
import io.scanfarm.agent.scan.ScanOptions;
import io.scanfarm.agent.service.AgentService;
import io.scanfarm.agent.service.JobVerifier;
import io.scanfarm.cli.farm.EmbeddedKafka;
import io.scanfarm.coordinator.service.Coordinator;
import io.scanfarm.coordinator.service.ScanWatch;
import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.service.MatcherService;
import io.scanfarm.matcher.service.VerdictBuilder;
import io.scanfarm.proto.HostObservation;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.ScanJob;
import io.scanfarm.wire.AddressBlock;
import io.scanfarm.wire.ClientIds;
import io.scanfarm.wire.DeadLetter;
import io.scanfarm.wire.JobSignature;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Least privilege on a real broker: the in-process KRaft broker with a SASL/SCRAM listener and the
 * StandardAuthorizer, each role's ACLs granted by {@code scanfarm acls} as the super user. Each role's
 * credentials are refused what its ACLs leave out, and each refusal sits next to a control (the role that holds
 * the right does the same thing), so it is the ACL that refuses, not a missing topic or a malformed record. With
 * their own credentials, a coordinator ({@code scanfarm scan --kafka-config}, signed jobs, and its watch), an agent
 * and a matcher scan 32 addresses of the lab's range namespace (root needed for raw packets and namespaces; that test alone skips
 * without it). Where KAFKA_HOME holds Kafka's tools, deploy/kafka/acls itself is run against the broker too.
 */
class KafkaAclIT {

    private static final String SEGMENT = "lab";
    /** A segment whose agents are not ours: its topic exists, our agent holds nothing on it. */
    private static final String OTHER = "dmz";
    private static final String CONTROL_SCAN = "acl-control";
    /** Only ever probed: the lab's addresses (deploy/lab/lab), and the allowlist says so. */
    private static final String LAB = "198.18.0.0/15";
    private static final List<String> DENIALS = Collections.synchronizedList(new ArrayList<>());
    /** The coordinator's job-signing key, which the agent trusts. */
    private static final KeyPair ISSUER = JobSignature.generate();

    private static EmbeddedKafka broker;
    private static Path dir;

    @BeforeAll
    static void secureBrokerWithTheRolesAcls() throws Exception {
        long t0 = System.nanoTime();
        broker = EmbeddedKafka.startScram(0, List.of("coordinator", "agent", "matcher"));
        long started = System.nanoTime();
        dir = Files.createTempDirectory("scanfarm-acl");
        Path admin = store("admin.properties", broker.client(EmbeddedKafka.ADMIN), "");
        grant(admin, "--role", "coordinator", "--principal", "User:coordinator");
        grant(admin, "--role", "agent", "--principal", "User:agent", "--segment", SEGMENT);
        grant(admin, "--role", "matcher", "--principal", "User:matcher");
        long granted = System.nanoTime();
        // The coordinator creates the farm's topics with its own credentials: its CREATE grants at work.
        new Coordinator(broker.client("coordinator"), 2, (short) 1, Duration.ofSeconds(15)).ensureTopics(List.of(SEGMENT, OTHER));
        System.out.printf("acl: SCRAM broker with StandardAuthorizer up in %d ms, ACLs granted in %d ms, topics created by the coordinator in %d ms%n",
                (started - t0) / 1_000_000, (granted - started) / 1_000_000, (System.nanoTime() - granted) / 1_000_000);
    }

    @AfterAll
    static void down() throws IOException {
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
        System.out.println("acl: " + DENIALS.size() + " denials shown:");
        DENIALS.stream().sorted().forEach(d -> System.out.println("  " + d));
    }

    @Test
    void anAgentCannotPublishAJobEvenToTheTopicItReads() throws Exception {
        byte[] job = controlJob();
        send(broker.client("coordinator"), Topics.jobs(SEGMENT), job); // control: the coordinator may
        denied("agent", "WRITE " + Topics.jobs(SEGMENT), TopicAuthorizationException.class,
                () -> send(broker.client("agent"), Topics.jobs(SEGMENT), job));
    }

    @Test
    void aMatcherCannotReadJobs() throws Exception {
        send(broker.client("coordinator"), Topics.jobs(SEGMENT), controlJob());
        assertTrue(readsOne(broker.client("agent"), Topics.jobs(SEGMENT)), "control: the agent reads its segment's jobs");
        denied("matcher", "READ " + Topics.jobs(SEGMENT), TopicAuthorizationException.class,
                () -> readsOne(broker.client("matcher"), Topics.jobs(SEGMENT)));
    }

    @Test
    void aMatcherCannotPublishAJob() throws Exception {
        byte[] job = controlJob();
        send(broker.client("coordinator"), Topics.jobs(SEGMENT), job);
        denied("matcher", "WRITE " + Topics.jobs(SEGMENT), TopicAuthorizationException.class,
                () -> send(broker.client("matcher"), Topics.jobs(SEGMENT), job));
    }

    @Test
    void anAgentCannotWriteVerdicts() throws Exception {
        byte[] verdict = OsVerdict.newBuilder().setSchemaVersion(Topics.SCHEMA_VERSION).setScanId(CONTROL_SCAN).setTarget("control")
                .build().toByteArray();
        send(broker.client("matcher"), Topics.VERDICTS, verdict);
        denied("agent", "WRITE " + Topics.VERDICTS, TopicAuthorizationException.class,
                () -> send(broker.client("agent"), Topics.VERDICTS, verdict));
    }

    @Test
    void theCoordinatorCannotWriteOrReadObservations() throws Exception {
        // an observation without a target: a matcher sets it aside on the dead-letter topic, nothing more
        byte[] observation = HostObservation.newBuilder().setSchemaVersion(Topics.SCHEMA_VERSION).setScanId(CONTROL_SCAN)
                .build().toByteArray();
        send(broker.client("agent"), Topics.OBSERVATIONS, observation);
        assertTrue(readsOne(broker.client("matcher"), Topics.OBSERVATIONS), "control: the matcher reads observations");
        denied("coordinator", "WRITE " + Topics.OBSERVATIONS, TopicAuthorizationException.class,
                () -> send(broker.client("coordinator"), Topics.OBSERVATIONS, observation));
        denied("coordinator", "READ " + Topics.OBSERVATIONS + " (raw packets)", TopicAuthorizationException.class,
                () -> readsOne(broker.client("coordinator"), Topics.OBSERVATIONS));
    }

    @Test
    void anAgentCannotTakeAnotherSegmentsJobsNorJoinItsGroup() throws Exception {
        send(broker.client("coordinator"), Topics.jobs(OTHER), controlJob());
        denied("agent", "READ " + Topics.jobs(OTHER), TopicAuthorizationException.class,
                () -> readsOne(broker.client("agent"), Topics.jobs(OTHER)));
        denied("agent", "READ group " + ClientIds.agentGroup(OTHER), GroupAuthorizationException.class,
                () -> joins(broker.client("agent"), ClientIds.agentGroup(OTHER), Topics.jobs(SEGMENT)));
    }

    @Test
    void anAgentCannotUseAnotherSegmentsOrTheMatchersTransactionalIds() throws Exception {
        initTransactions(broker.client("agent"), ClientIds.agentTransactionalId(SEGMENT, "acl-control")); // control
        denied("agent", "WRITE transactional id " + ClientIds.agentTransactionalId(OTHER, "a1"), TransactionalIdAuthorizationException.class,
                () -> initTransactions(broker.client("agent"), ClientIds.agentTransactionalId(OTHER, "a1")));
        denied("agent", "WRITE transactional id " + ClientIds.matcherTransactionalId("m1"), TransactionalIdAuthorizationException.class,
                () -> initTransactions(broker.client("agent"), ClientIds.matcherTransactionalId("m1")));
    }

    @Test
    void aWrongPasswordIsRefusedAtLogin() throws Exception {
        Properties wrong = broker.client("agent");
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"agent\" password=\"guess\";");
        denied("agent with a wrong password", "login", SaslAuthenticationException.class,
                () -> send(wrong, Topics.OBSERVATIONS, new byte[0]));
    }

    @Test
    void theScriptSetsTheSameAclsAndTheScramUserWithKafkasOwnTools() throws Exception {
        String home = System.getenv("KAFKA_HOME");
        Assumptions.assumeTrue(home != null && Files.isExecutable(Path.of(home, "bin", "kafka-acls.sh")),
                "skipped: deploy/kafka/acls runs Kafka's own kafka-acls.sh and kafka-configs.sh: set KAFKA_HOME to a Kafka 4.x"
                        + " distribution to run it here (its --dry-run is compared with scanfarm acls by KafkaAclsTest)");
        String password = "pw" + Long.toHexString(System.nanoTime());
        int acls = 0;
        for (List<String> role : List.of(List.of("coordinator", "User:coordinator2"), List.of("matcher", "User:matcher2"),
                List.of("agent", "User:agent2", "--segment", OTHER, "--scram-password-env", "AGENT2_PASSWORD"))) {
            List<String> cmd = new ArrayList<>(List.of("bash", Path.of("..", "deploy", "kafka", "acls").toString(),
                    "--bootstrap-server", broker.bootstrapServers(), "--command-config", dir.resolve("admin.properties").toString(),
                    "--role", role.get(0), "--principal", role.get(1)));
            cmd.addAll(role.subList(2, role.size()));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("AGENT2_PASSWORD", password);
            Path log = dir.resolve("acls.log");
            Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the script finished");
            String out = Files.readString(log);
            Files.delete(log);
            assertEquals(0, p.exitValue(), out);
            assertTrue(!out.contains(password), "the password is never printed");
            // What Kafka now holds for the principal is exactly what scanfarm acls would grant the same role.
            Set<AclBinding> held;
            try (Admin admin = Admin.create(broker.client(EmbeddedKafka.ADMIN))) {
                held = new HashSet<>(admin.describeAcls(new AclBindingFilter(ResourcePatternFilter.ANY,
                        new AccessControlEntryFilter(role.get(1), null, AclOperation.ANY, AclPermissionType.ANY))).values().get());
            }
            Set<AclBinding> stated = new HashSet<>();
            KafkaAcls.forRole(KafkaAcls.Role.valueOf(role.get(0)), role.get(1), role.get(0).equals("agent") ? List.of(OTHER) : List.of())
                    .forEach(g -> stated.add(g.binding()));
            assertEquals(stated, held, role.toString());
            acls += held.size();
        }
        // agent2 logs in with the SCRAM credential the script created, and reads its segment's jobs.
        Properties agent2 = broker.client("agent");
        agent2.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"agent2\" password=\""
                + password + "\";");
        send(broker.client("coordinator"), Topics.jobs(OTHER), controlJob());
        assertTrue(readsOne(agent2, Topics.jobs(OTHER)), "agent2 reads segment " + OTHER + "'s jobs");
        System.out.println("acl: deploy/kafka/acls with Kafka's own tools granted the three roles the " + acls
                + " ACLs scanfarm acls states, and agent2 logged in with the SCRAM credential it created");
    }

    @Test
    void aServiceGivenAnotherRolesCredentialsStopsAtOnceWithoutATrace() throws Exception {
        AgentService agent = new AgentService(broker.client("matcher"), SEGMENT, "wrong", List.of(AddressBlock.parse(LAB)),
                new ScanOptions(List.of(80, 1), NmapSecondGenerationPlan.create(), 1_000_000, 2, 16, 42),
                JobVerifier.trusting(List.of(ISSUER.getPublic())));
        // no verdict builder: the matcher is refused before any observation could reach it
        MatcherService matcher = new MatcherService(broker.client("agent"), null, "wrong");
        for (var service : List.of(agent, matcher)) {
            List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());
            Thread t = new Thread(service, "acl-wrong-role");
            t.setUncaughtExceptionHandler((th, e) -> thrown.add(e));
            t.start();
            t.join(30_000);
            boolean stopped = !t.isAlive();
            if (!stopped) {
                service.close();
                t.join(10_000);
            }
            assertTrue(stopped, service.getClass().getSimpleName() + " with another role's credentials is still running after 30 s");
            assertEquals(List.of(), thrown, "it stops with one logged sentence, not an exception");
        }
        assertEquals(0, agent.jobsDone());
    }

    @Test
    void withTheirOwnCredentialsCoordinatorAgentAndMatcherScanTheLab() throws Exception {
        LabSupport.requireRoot();
        assertEquals(null, PcapLibrary.configure());
        OsDbFiles.Loaded db = OsDbFiles.load(Path.of(LabSupport.database()));
        VerdictBuilder builder = new VerdictBuilder(OsMatcher.compile(db.db()), db.path().toString(), db.sha256(), "test");
        // The lab's range namespace: 198.18.16.0/20 answers from one kernel. Brought up (and down) here only
        // when no other test has it up, so a lab in use elsewhere is left alone.
        boolean ours = lab("range").isBlank();
        if (ours) {
            lab("up", "range");
        }
        List<String> targets = new ArrayList<>();
        for (int i = 1; i <= 32; i++) {
            targets.add("198.18.16." + i);
        }
        MatcherService matcher = new MatcherService(broker.client("matcher"), builder, "m1");
        AgentService agent = new AgentService(broker.client("agent"), SEGMENT, "a1", List.of(AddressBlock.parse(LAB)),
                new ScanOptions(List.of(80, 1), NmapSecondGenerationPlan.create(), 1_000_000, 2, 64, 42),
                JobVerifier.trusting(List.of(ISSUER.getPublic())));
        // The long-running coordinator's watch, in its own consumer group, with the coordinator's credentials.
        SimpleMeterRegistry watched = new SimpleMeterRegistry();
        ScanWatch watch = new ScanWatch(broker.client("coordinator"), watched);
        List<Thread> threads = List.of(new Thread(matcher, "acl-matcher"), new Thread(agent, "acl-agent"), new Thread(watch, "acl-watch"));
        threads.forEach(Thread::start);
        try {
            awaitAgentInGroup();
            // Records each service must set aside on the dead-letter topic, with its own grant there.
            send(broker.client("coordinator"), Topics.jobs(SEGMENT), "not a ScanJob".getBytes(StandardCharsets.UTF_8));
            send(broker.client("agent"), Topics.OBSERVATIONS, HostObservation.newBuilder().setScanId(CONTROL_SCAN).build().toByteArray());
            // The coordinator's file is a service configuration: scan --kafka-config takes its kafka.* keys.
            Path coordinator = store("coordinator.properties", broker.client("coordinator"), "kafka.");
            KeyFiles.write(dir.resolve("issuer"), ISSUER);
            long t0 = System.nanoTime();
            MatchCommandTest.Run r = MatchCommandTest.run("scan", "--bootstrap-servers", broker.bootstrapServers(),
                    "--kafka-config", coordinator.toString(), "--signing-key", dir.resolve("issuer.key").toString(), "--segment", SEGMENT, "--allow", LAB, "--job-size", "16",
                    "--ports", "80,1", "--format", "json", "--timeout", "180", "198.18.16.1-32");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(0, r.code(), r.err());
            Map<String, Integer> printed = new TreeMap<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : r.outLines()) {
                JsonNode n = json.readTree(line);
                assertEquals("up", n.get("status").asText(), line);
                printed.merge(n.get("ip").asText(), 1, Integer::sum);
            }
            Map<String, Integer> once = new TreeMap<>();
            targets.forEach(t -> once.put(t, 1));
            assertEquals(once, printed, "scan printed one verdict per address");
            assertEquals(once, new TreeMap<>(committedVerdicts(targets)), "one committed verdict per address on " + Topics.VERDICTS);
            assertTrue(agent.jobsDone() >= 2 && matcher.verdictsPublished() >= targets.size(),
                    "the services ran with their own credentials: jobs " + agent.jobsDone() + ", verdicts " + matcher.verdictsPublished());
            List<String> sources = deadLetterSources();
            for (long until = System.nanoTime() + 30_000_000_000L; System.nanoTime() < until
                    && !(sources.stream().anyMatch(x -> x.startsWith(Topics.jobs(SEGMENT) + "/"))
                    && sources.stream().anyMatch(x -> x.startsWith(Topics.OBSERVATIONS + "/"))); ) {
                Thread.sleep(500);
                sources = deadLetterSources();
            }
            assertTrue(sources.stream().anyMatch(x -> x.startsWith(Topics.jobs(SEGMENT) + "/")), "the agent set the bad job aside: " + sources);
            assertTrue(sources.stream().anyMatch(x -> x.startsWith(Topics.OBSERVATIONS + "/")), "the matcher set the bad observation aside: " + sources);
            for (long until = System.nanoTime() + 30_000_000_000L; System.nanoTime() < until && watchedVerdicts(watched) < targets.size(); ) {
                Thread.sleep(200);
            }
            assertTrue(watchedVerdicts(watched) >= targets.size(), "the coordinator's watch followed the verdicts in its group: "
                    + watchedVerdicts(watched));
            System.out.printf("acl: the farm scanned %d lab addresses in 2 jobs with each role's own credentials in %.1f s%n",
                    targets.size(), seconds);
        } finally {
            matcher.close();
            agent.close();
            watch.close();
            for (Thread t : threads) {
                t.join(10_000);
            }
            if (ours) {
                lab("down");
            }
        }
    }

    /** Runs {@code op} as {@code who}: it must fail with {@code expected}, the broker's refusal. */
    private static void denied(String who, String what, Class<? extends Exception> expected, Op op) {
        Throwable failure = null;
        try {
            Object result = op.run();
            fail(who + " was allowed " + what + " (" + result + ")");
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (Exception e) {
            failure = e;
        }
        assertInstanceOf(expected, failure, who + " " + what + ": " + failure);
        DENIALS.add(who + " may not " + what + ": " + failure.getClass().getSimpleName());
    }

    @FunctionalInterface
    private interface Op {
        Object run() throws Exception;
    }

    private static void grant(Path admin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("acls", "--config", admin.toString()));
        cmd.addAll(List.of(args));
        MatchCommandTest.Run r = MatchCommandTest.run(cmd.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ACLs in place for"), r.out());
    }

    private static Path store(String name, Properties client, String prefix) throws IOException {
        Properties p = new Properties();
        client.forEach((k, v) -> p.put(prefix + k, v));
        Path f = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(f)) {
            p.store(out, null);
        }
        return f;
    }

    private static byte[] controlJob() {
        // no targets: an agent that takes it probes nothing and reports it done
        return ScanJob.newBuilder().setSchemaVersion(Topics.SCHEMA_VERSION).setScanId(CONTROL_SCAN).setJobId(CONTROL_SCAN + "-1")
                .setSegment(SEGMENT).build().toByteArray();
    }

    private static Object send(Properties who, String topic, byte[] value) throws Exception {
        Properties p = KafkaDefaults.producer(who);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            return producer.send(new ProducerRecord<>(topic, CONTROL_SCAN, value)).get(20, TimeUnit.SECONDS);
        }
    }

    /** Whether {@code who} fetches a record from the topic's partitions (assigned: no group involved) within 15 s. */
    private static boolean readsOne(Properties who, String topic) {
        Properties p = KafkaDefaults.consumer(who, "acl-reader");
        p.put("default.api.timeout.ms", "15000");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (!c.poll(Duration.ofMillis(200)).isEmpty()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Whether {@code who} joins consumer group {@code group} on {@code topic} within 15 s. */
    private static boolean joins(Properties who, String group, String topic) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaDefaults.consumer(who, group))) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200));
                if (!c.assignment().isEmpty()) {
                    return true;
                }
            }
            return false;
        }
    }

    private static Object initTransactions(Properties who, String transactionalId) {
        Properties p = KafkaDefaults.producer(who);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            return transactionalId;
        }
    }

    private static String lab(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", LabSupport.LAB.toString()));
        cmd.addAll(List.of(args));
        return LabSupport.run(cmd, 120);
    }

    private static void awaitAgentInGroup() throws Exception {
        String group = ClientIds.agentGroup(SEGMENT);
        try (Admin admin = Admin.create(broker.client(EmbeddedKafka.ADMIN))) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    // not there yet
                }
                Thread.sleep(200);
            }
        }
        fail("the agent did not join " + group + " within 30 s (did it stop? see its log)");
    }

    private static double watchedVerdicts(SimpleMeterRegistry registry) {
        return registry.find("scanfarm.coordinator.verdicts").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** The source header of every record on the dead-letter topic (read as admin). */
    private static List<String> deadLetterSources() throws Exception {
        List<String> out = new ArrayList<>();
        CommittedRecords.read(broker.client(EmbeddedKafka.ADMIN), "dlq", Topics.DEAD_LETTER, r -> {
            var source = r.headers().lastHeader(DeadLetter.SOURCE);
            out.add(source == null ? "?" : new String(source.value(), StandardCharsets.UTF_8));
        });
        return out;
    }

    /** Committed verdicts on scanfarm.verdicts per target, for the given targets (read as admin). */
    private static Map<String, Integer> committedVerdicts(List<String> targets) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        CommittedRecords.read(broker.client(EmbeddedKafka.ADMIN), "count", Topics.VERDICTS, r -> {
            OsVerdict v = OsVerdict.parseFrom(r.value());
            if (targets.contains(v.getTarget())) {
                counts.merge(v.getTarget(), 1, Integer::sum);
            }
        });
        return counts;
    }
}
