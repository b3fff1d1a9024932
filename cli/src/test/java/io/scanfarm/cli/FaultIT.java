package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.agent.net.PcapLibrary;
import io.scanfarm.cli.farm.EmbeddedKafka;
import io.scanfarm.coordinator.service.Coordinator;
import io.scanfarm.coordinator.targets.TargetSet;
import io.scanfarm.matcher.service.MatcherService;
import io.scanfarm.proto.HostObservation;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.wire.AddressBlock;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into a running farm while it scans 256 lab addresses (198.18.16.0/24): the broker stopped for
 * 30 s and restarted on its data, the matcher killed with SIGKILL twice, an agent killed mid-job, the scan's
 * tracker killed and resumed from the topics, a stalled matcher with observations piling up. Matcher, agents and
 * the scan command run as separate processes of the built jar, as an operator runs them; the broker is the real
 * in-process KRaft broker, Kafka's own server code (stopped and started again on the same port and data; the
 * clients cannot tell it from a remote one). After each fault: the committed
 * verdicts on scanfarm.verdicts, read from the beginning, give every address exactly once; the scan command
 * reports the scan complete; each agent's peak resident memory stayed under {@link #AGENT_RSS_BOUND_KIB}.
 */
class FaultIT {

    private static final String SEGMENT = "lab";
    private static final String RANGE = "198.18.16.0/24";
    /** Agents run with a 128 MiB heap; their whole resident set (heap, code, threads, pcap buffers) stays under this. */
    private static final long AGENT_RSS_BOUND_KIB = 320 * 1024;
    private static final List<String> AGENT_JVM = List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError");
    private static final List<String> MATCHER_JVM = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
    private static final List<String> ROWS = new ArrayList<>();

    private static List<String> expected;
    private static Path keys;

    /** Kept when a test fails: the services' logs and the scan's output are there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @BeforeAll
    static void lab() throws Exception {
        LabSupport.requireRoot();
        assertEquals(null, PcapLibrary.configure());
        assertTrue(Files.isRegularFile(JarProcess.JAR), "the jar is built before the integration tests: " + JarProcess.JAR.toAbsolutePath());
        LabSupport.up();
        expected = TargetSet.expand(List.of(RANGE), List.of(), TargetSet.DEFAULT_MAX, false).stream().map(AddressBlock::text).toList();
        keys = Files.createTempDirectory("faultit-keys");
        MatchCommandTest.Run keygen = MatchCommandTest.run("keygen", "--out", keys.resolve("issuer").toString());
        assertEquals(0, keygen.code(), keygen.err());
    }

    @AfterAll
    static void table() throws Exception {
        if (!ROWS.isEmpty()) {
            System.out.println("fault | expected | received | duplicated | notes");
            System.out.println("--- | --- | --- | --- | ---");
            ROWS.forEach(System.out::println);
        }
        if (keys != null) {
            for (String f : List.of("issuer.key", "issuer.pub")) {
                Files.deleteIfExists(keys.resolve(f));
            }
            Files.deleteIfExists(keys);
            LabSupport.down();
        }
    }

    @Test
    void theBrokerStoppedFor30SecondsMidScanAndRestartedLosesAndRepeatsNothing() throws Exception {
        try (Farm farm = new Farm(tmp)) {
            // Shorter than the outage, so that every blocking call of the services' producers (commits, offsets,
            // initTransactions) times out during it: their retry and recovery, not a long wait, must carry them through.
            String blocking = "kafka.max.block.ms=10000";
            JarProcess matcher = farm.matcher("m1", blocking);
            JarProcess agent = farm.agent("a1", blocking);
            farm.awaitReady();
            JarProcess scan = farm.scan("scan", 64, 400);
            awaitLines(scan, 24, Duration.ofSeconds(90));
            int before = committedCount(farm.bootstrap());
            long t0 = System.nanoTime();
            farm.broker.stop();
            Thread.sleep(30_000);
            for (JarProcess p : List.of(matcher, agent, scan)) {
                assertTrue(p.alive(), "every process outlives the outage:\n" + p.log());
            }
            farm.broker = EmbeddedKafka.start(0, farm.broker.dataDir());
            double outage = (System.nanoTime() - t0) / 1e9;
            assertTrue(before < expected.size(), "the broker stopped in the middle of the scan: " + before + " verdicts then");
            Outcome o = farm.finish(scan);
            o.check();
            row("broker stopped 30 s mid-scan, restarted on its data", o, String.format(Locale.ROOT,
                    "down %.1f s with %d verdicts committed; agent jobs retried %.0f, matcher batches aborted %.0f; scan took %.0f s; agent peak RSS %d MiB",
                    outage, before, scrapeSum(agent, "scanfarm_agent_jobs_retried_total"),
                    scrapeSum(matcher, "scanfarm_matcher_batches_aborted_total"), o.seconds, o.agentRssKib / 1024));
        }
    }

    @Test
    void theMatcherKilledTwiceMidScanLosesAndRepeatsNothing() throws Exception {
        try (Farm farm = new Farm(tmp)) {
            JarProcess matcher = farm.matcher("m1");
            farm.agent("a1");
            farm.awaitReady();
            // A packet rate ceiling stretches the scan to about 30 s, longer than two matcher restarts take here.
            JarProcess scan = farm.scan("scan", 64, 250);
            List<String> kills = new ArrayList<>();
            for (int kill = 1; kill <= 2; kill++) {
                JarProcess m = matcher;
                await(() -> scrapeSum(m, "scanfarm_matcher_verdicts_total") >= 20, Duration.ofSeconds(90),
                        "the matcher published some verdicts");
                long killedAt = System.nanoTime();
                assertEquals(137, matcher.kill(), "SIGKILL (128 + 9)");
                int at = committedCount(farm.bootstrap());
                assertTrue(at < expected.size(), "killed in the middle of the scan: " + at + " verdicts then");
                matcher = farm.matcher("m1"); // the same instance id: its transactional id fences whatever the dead one left open
                matcher.awaitReady(Duration.ofSeconds(90));
                kills.add(String.format(Locale.ROOT, "%d verdicts committed (%.0f s into the scan; ready again in %.1f s)", at,
                        (killedAt - scan.startedNanos()) / 1e9, (System.nanoTime() - killedAt) / 1e9));
            }
            Outcome o = farm.finish(scan);
            o.check();
            row("matcher SIGKILLed twice mid-scan, restarted as the same instance", o, String.format(Locale.ROOT,
                    "killed with %s; scan took %.0f s; agent peak RSS %d MiB", String.join(" and ", kills), o.seconds, o.agentRssKib / 1024));
        }
    }

    @Test
    void anAgentKilledMidJobLeavesTheRestOfItsJobToAnotherAgent() throws Exception {
        try (Farm farm = new Farm(tmp)) {
            farm.matcher("m1");
            // Failover settings an operator tunes: the group notices a dead agent after 10 s, and a dead agent's open
            // transaction is aborted by the broker after 10 s (instead of 45 s and the agent's default, 60 s).
            String[] failover = {"kafka.session.timeout.ms=10000", "kafka.transaction.timeout.ms=10000"};
            JarProcess a1 = farm.agent("a1", failover);
            JarProcess a2 = farm.agent("a2", failover);
            farm.awaitReady();
            JarProcess scan = farm.scan("scan", 256, 400);
            // One job of 256 addresses: whichever agent holds its partition is killed once part of the job is committed
            // (the scan shows verdicts for it).
            awaitLines(scan, 20, Duration.ofSeconds(90));
            boolean firstHasIt = scrapeSum(a1, "scanfarm_agent_observations_total") > 0;
            JarProcess doomed = firstHasIt ? a1 : a2;
            JarProcess survivor = firstHasIt ? a2 : a1;
            String doomedId = firstHasIt ? "a1" : "a2";
            String survivorId = firstHasIt ? "a2" : "a1";
            farm.agentRss = Math.max(farm.agentRss, doomed.peakRssKib());
            assertEquals(137, doomed.kill());
            int at = committedCount(farm.bootstrap());
            assertTrue(at < expected.size(), "killed in the middle of its job: " + at + " verdicts then");
            farm.agents.remove(doomed);
            farm.gone.add(doomed);
            Outcome o = farm.finish(scan);
            o.check();
            Map<String, Integer> byAgent = observationsByAgent(farm.bootstrap());
            assertEquals(expected.size(), byAgent.values().stream().mapToInt(Integer::intValue).sum(),
                    "one committed observation per address, whichever agent made it: " + byAgent);
            assertTrue(byAgent.getOrDefault(doomedId, 0) > 0 && byAgent.getOrDefault(survivorId, 0) > 0,
                    "the job's committed part stayed the killed agent's, the other agent did the rest: " + byAgent);
            assertEquals(byAgent.get(survivorId), (int) scrapeSum(survivor, "scanfarm_agent_observations_total"),
                    "the second agent probed only what the first had not committed");
            row("agent SIGKILLed mid-job, a second agent takes the job over", o, String.format(Locale.ROOT,
                    "killed with %d verdicts committed; committed observations: killed agent %d + second agent %d; scan took %.0f s; agents' peak RSS %d MiB",
                    at, byAgent.get(doomedId), byAgent.get(survivorId), o.seconds, o.agentRssKib / 1024));
        }
    }

    @Test
    void theScanCommandKilledMidScanIsResumedFromTheTopics() throws Exception {
        try (Farm farm = new Farm(tmp)) {
            farm.matcher("m1");
            farm.agent("a1");
            farm.awaitReady();
            JarProcess first = farm.scan("scan", 64, 400);
            awaitLines(first, 40, Duration.ofSeconds(90));
            String scanId = find(first.err(), "scan (scan-\\S+) submitted");
            assertTrue(scanId != null, "the scan says its id:\n" + first.log());
            assertEquals(137, first.kill());
            int at = committedCount(farm.bootstrap());
            assertTrue(at < expected.size(), "killed in the middle of the scan: " + at + " verdicts then");
            JarProcess resumed = JarProcess.command(tmp, "resume", "scan", "--bootstrap-servers", farm.bootstrap(),
                    "--resume", scanId, "--format", "json", "--timeout", "180", "-o", tmp.resolve("resume.json").toString());
            farm.others.add(resumed);
            Outcome o = farm.finish(resumed);
            o.check();
            assertTrue(resumed.err().contains("following scan " + scanId + " again from the topics: 4 jobs, 256 addresses"), resumed.log());
            row("scan tracker SIGKILLed after submitting, resumed with --resume", o, String.format(Locale.ROOT,
                    "killed with %d verdicts committed; the resumed tracker printed all %d; agent peak RSS %d MiB", at, o.printed, o.agentRssKib / 1024));
        }
    }

    @Test
    void aStalledMatcherLetsObservationsPileUpAndThenDrainsThemExactlyOnce() throws Exception {
        try (Farm farm = new Farm(tmp)) {
            JarProcess matcher = farm.matcher("m1");
            JarProcess agent = farm.agent("a1");
            farm.awaitReady();
            JarProcess scan = farm.scan("scan", 64, 0);
            awaitLines(scan, 16, Duration.ofSeconds(90));
            matcher.pause();
            long pausedAt = System.nanoTime();
            int verdictsThen;
            long backlog;
            try {
                await(() -> scrapeSum(agent, "scanfarm_agent_jobs_total") >= 4, Duration.ofSeconds(40), "the agent finished its 4 jobs");
                verdictsThen = committedCount(farm.bootstrap());
                backlog = backlog(farm.bootstrap());
            } finally {
                matcher.resume();
            }
            double paused = (System.nanoTime() - pausedAt) / 1e9;
            assertEquals(expected.size() - verdictsThen, backlog, "every observation without a committed verdict waits for the stalled matcher");
            assertTrue(backlog >= 64, "observations piled up: " + backlog);
            Outcome o = farm.finish(scan);
            o.check();
            assertEquals(0, backlog(farm.bootstrap()), "the backlog is drained");
            row("matcher stalled (SIGSTOP) while the agent finished, then resumed (SIGCONT)", o, String.format(Locale.ROOT,
                    "%d observations waited (%d verdicts before) for %.1f s, then drained; agent peak RSS %d MiB",
                    backlog, verdictsThen, paused, o.agentRssKib / 1024));
        }
    }

    // ---- the farm under test ----

    /** A broker on a kept data directory, the topics, and the service processes started on it. */
    private static final class Farm implements AutoCloseable {
        final Path dir;
        EmbeddedKafka broker;
        final List<JarProcess> matchers = new ArrayList<>();
        final List<JarProcess> agents = new ArrayList<>();
        final List<JarProcess> others = new ArrayList<>();
        /** Processes killed on purpose (their logs are shown all the same). */
        final List<JarProcess> gone = new ArrayList<>();
        long agentRss;

        Farm(Path dir) throws Exception {
            this.dir = dir;
            this.broker = EmbeddedKafka.start(0, dir.resolve("kafka"));
            try (Coordinator c = new Coordinator(kafka(), 2, (short) 1, Duration.ofSeconds(15))) {
                c.ensureTopics(List.of(SEGMENT));
            }
        }

        String bootstrap() {
            return broker.bootstrapServers();
        }

        Properties kafka() {
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap());
            return p;
        }

        JarProcess matcher(String instanceId, String... config) throws Exception {
            List<String> lines = new ArrayList<>(List.of(
                    "kafka.bootstrap.servers=" + bootstrap(), "os.db=" + LabSupport.database(), "instance.id=" + instanceId));
            lines.addAll(List.of(config));
            JarProcess m = JarProcess.service(dir, "matcher-" + instanceId + "-" + matchers.size(), "matcher", lines, MATCHER_JVM);
            matchers.add(m);
            return m;
        }

        /** An agent of the lab segment (started; {@link #awaitReady} waits for it). */
        JarProcess agent(String agentId, String... config) throws Exception {
            List<String> lines = new ArrayList<>(List.of(
                    "kafka.bootstrap.servers=" + bootstrap(), "segment=" + SEGMENT, "agent.id=" + agentId,
                    "allowlist=198.18.0.0/15", "ports=80,1", "hosts.in.flight=64", "trusted.keys=" + keys.resolve("issuer.pub")));
            lines.addAll(List.of(config));
            JarProcess a = JarProcess.service(dir, "agent-" + agentId, "agent", lines, AGENT_JVM);
            agents.add(a);
            return a;
        }

        /** Waits until every service is ready and an agent is in the segment's group. */
        void awaitReady() throws Exception {
            for (JarProcess p : matchers) {
                if (p.alive()) {
                    p.awaitReady(Duration.ofSeconds(90));
                }
            }
            for (JarProcess p : agents) {
                p.awaitReady(Duration.ofSeconds(90));
            }
            try (Coordinator c = new Coordinator(kafka(), 2, (short) 1, Duration.ofSeconds(15))) {
                await(() -> {
                    try {
                        return c.activeAgents(SEGMENT) > 0;
                    } catch (Exception e) {
                        return false;
                    }
                }, Duration.ofSeconds(60), "an agent joined segment " + SEGMENT);
            }
        }

        /**
         * {@code scanfarm scan} of the range through the farm, signed, its JSON lines to NAME.json; {@code pps} packets
         * per second at most (in the jobs; 0: no ceiling), to stretch the scan so a fault lands in its middle.
         */
        JarProcess scan(String name, int jobSize, int pps) throws Exception {
            List<String> args = new ArrayList<>(List.of("scan", "--bootstrap-servers", bootstrap(), "--segment", SEGMENT,
                    "--job-size", String.valueOf(jobSize), "--max-rate", String.valueOf(pps),
                    "--signing-key", keys.resolve("issuer.key").toString(), "--ports", "80,1", "--allow", "198.18.0.0/15",
                    "--format", "json", "--timeout", "180", "-o", dir.resolve(name + ".json").toString()));
            args.add(RANGE);
            JarProcess s = JarProcess.command(dir, name, args.toArray(String[]::new));
            others.add(s);
            return s;
        }

        /** Waits for the scan command to end and gathers what a fault's row reports. */
        Outcome finish(JarProcess scan) throws Exception {
            int code = scan.waitFor(Duration.ofSeconds(200));
            double seconds = (System.nanoTime() - scan.startedNanos()) / 1e9;
            for (JarProcess a : agents) {
                assertTrue(a.alive(), "the agent still runs:\n" + a.log());
                agentRss = Math.max(agentRss, a.peakRssKib());
            }
            JarProcess matcher = matchers.get(matchers.size() - 1);
            assertTrue(matcher.alive(), "the matcher still runs:\n" + matcher.log());
            return new Outcome(code, scan, committedVerdicts(bootstrap()), lines(scan), agentRss, seconds);
        }

        @Override
        public void close() {
            List<JarProcess> all = new ArrayList<>(others);
            all.addAll(agents);
            all.addAll(matchers);
            all.addAll(gone);
            all.forEach(JarProcess::close);
            broker.close();
            // What an operator saw: each service's warnings and errors (its log otherwise holds only its configuration).
            for (JarProcess p : all) {
                try {
                    p.err().lines().filter(l -> l.startsWith("WARN") || l.startsWith("ERROR"))
                            .forEach(l -> System.out.println("  " + p.name() + ": " + l));
                } catch (java.io.IOException e) {
                    // no log
                }
            }
        }
    }

    /** What a faulted scan ended with. */
    private record Outcome(int exitCode, JarProcess scan, Map<String, Integer> verdicts, int printed, long agentRssKib, double seconds) {

        int duplicated() {
            return verdicts.values().stream().mapToInt(n -> n - 1).sum();
        }

        void check() throws Exception {
            String notUp = Files.readAllLines(scan.outputFile()).stream().filter(l -> !l.contains("\"status\":\"up\""))
                    .map(l -> l.length() > 300 ? l.substring(0, 300) : l).limit(5).collect(java.util.stream.Collectors.joining("\n"));
            assertEquals(0, exitCode, "the scan command reports the scan complete:\n" + scan.log() + "\nhosts not up:\n" + notUp);
            assertTrue(scan.err().contains("scanfarm done: 256 IP addresses (256 hosts up)"), scan.log() + "\nhosts not up:\n" + notUp);
            assertEquals(expected.size(), printed, "the scan command printed every address once");
            assertEquals(new TreeMap<>(expected.stream().collect(java.util.stream.Collectors.toMap(a -> a, a -> 1))),
                    new TreeMap<>(verdicts), "exactly one committed verdict per address, none lost, none repeated, none foreign");
            assertTrue(agentRssKib > 0 && agentRssKib < AGENT_RSS_BOUND_KIB,
                    "the agent's peak RSS " + agentRssKib / 1024 + " MiB stays under " + AGENT_RSS_BOUND_KIB / 1024 + " MiB");
        }
    }

    private static void row(String fault, Outcome o, String notes) {
        String row = String.join(" | ", fault, String.valueOf(expected.size()), String.valueOf(o.verdicts.size()),
                String.valueOf(o.duplicated()), notes);
        System.out.println("fault table row: " + row);
        ROWS.add(row);
    }

    // ---- reading the topics ----

    /** Every committed verdict on scanfarm.verdicts, counted per address (read_committed, from the beginning). */
    static Map<String, Integer> committedVerdicts(String bootstrap) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        CommittedRecords.read(bootstrapOnly(bootstrap), "faultit-count", Topics.VERDICTS,
                r -> counts.merge(OsVerdict.parseFrom(r.value()).getTarget(), 1, Integer::sum));
        return counts;
    }

    /** How many committed verdicts scanfarm.verdicts holds now. */
    private static int committedCount(String bootstrap) throws Exception {
        return committedVerdicts(bootstrap).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Committed observations on scanfarm.observations by the agent that made them (read_committed, from the beginning). */
    private static Map<String, Integer> observationsByAgent(String bootstrap) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        CommittedRecords.read(bootstrapOnly(bootstrap), "faultit-observations", Topics.OBSERVATIONS,
                r -> counts.merge(HostObservation.parseFrom(r.value()).getAgentId(), 1, Integer::sum));
        return counts;
    }

    private static Properties bootstrapOnly(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    /** Committed observations the matcher's group has not consumed yet (records, transaction markers not counted). */
    private static long backlog(String bootstrap) throws Exception {
        Properties p = bootstrapOnly(bootstrap);
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = Admin.create(p)) {
            committed = admin.listConsumerGroupOffsets(MatcherService.GROUP).partitionsToOffsetAndMetadata().get();
        }
        long records = 0;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaDefaults.consumer(p, "faultit-backlog"))) {
            List<TopicPartition> tps = c.partitionsFor(Topics.OBSERVATIONS).stream()
                    .map(pi -> new TopicPartition(Topics.OBSERVATIONS, pi.partition())).toList();
            c.assign(tps);
            for (TopicPartition tp : tps) {
                OffsetAndMetadata om = committed.get(tp);
                if (om == null) {
                    c.seekToBeginning(List.of(tp));
                } else {
                    c.seek(tp, om.offset());
                }
            }
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.currentTimeMillis() + 30_000;
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                assertTrue(System.currentTimeMillis() < deadline, "the observations topic could be read to its end");
                records += c.poll(Duration.ofMillis(200)).count();
            }
        }
        return records;
    }

    // ---- small helpers ----

    /** Lines the scan command has printed so far (one JSON line per address with a committed verdict). */
    private static int lines(JarProcess scan) throws Exception {
        Path out = scan.outputFile();
        return Files.exists(out) ? (int) Files.readAllLines(out).stream().filter(l -> !l.isBlank()).count() : 0;
    }

    private static void awaitLines(JarProcess scan, int n, Duration timeout) throws Exception {
        try {
            await(() -> {
                try {
                    return lines(scan) >= n;
                } catch (Exception e) {
                    return false;
                }
            }, timeout, n + " verdicts printed by the scan");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + scan.log(), e);
        }
    }

    private static double scrapeSum(JarProcess p, String metric) {
        try {
            return JarProcess.sum(p.scrape(), metric);
        } catch (Exception e) {
            return 0;
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            return null;
        }
        return m.groupCount() == 1 ? m.group(1) : m.group(1) + " of " + m.group(2);
    }
}
