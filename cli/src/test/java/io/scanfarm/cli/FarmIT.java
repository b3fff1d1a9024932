package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.agent.net.PcapLibrary;
import io.scanfarm.agent.plan.NmapSecondGenerationPlan;
import io.scanfarm.agent.scan.ScanOptions;
import io.scanfarm.agent.service.AgentService;
import io.scanfarm.cli.farm.LocalFarm;
import io.scanfarm.coordinator.service.Coordinator;
import io.scanfarm.coordinator.service.ScanTracker;
import io.scanfarm.coordinator.targets.TargetSet;
import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.service.MatcherService;
import io.scanfarm.matcher.service.VerdictBuilder;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.ProbeProfile;
import io.scanfarm.wire.AddressBlock;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The farm end to end on a real broker (the in-process KRaft broker; no Docker engine here) against the lab's
 * range namespace: coordinator, agents and matcher talk only through Kafka. Each test counts the committed
 * verdicts on scanfarm.verdicts per address: exactly one each, none lost, none repeated, also when a matcher
 * or an agent dies in the middle.
 */
class FarmIT {

    private static final String SEGMENT = "lab";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static OsMatcher matcher;
    private static String dbPath;
    private static String dbSha;
    private static List<Long> range;

    @BeforeAll
    static void labAndDatabase() throws Exception {
        LabSupport.requireRoot();
        assertEquals(null, PcapLibrary.configure());
        LabSupport.up();
        OsDbFiles.Loaded l = OsDbFiles.load(Path.of(LabSupport.database()));
        matcher = OsMatcher.compile(l.db());
        dbPath = l.path().toString();
        dbSha = l.sha256();
        range = TargetSet.expand(List.of("198.18.16.0/24"), List.of(), TargetSet.DEFAULT_MAX, false);
        System.out.println("farm tests run against: " + TestBroker.kind());
    }

    @AfterAll
    static void down() throws Exception {
        if (matcher != null) {
            LabSupport.down();
        }
    }

    @Test
    void aLabRangeOf256AddressesGetsExactlyOneVerdictPerAddress() throws Exception {
        try (LocalFarm farm = TestBroker.farm(SEGMENT, 2)) {
            farm.startMatcher(builder(), "m1");
            farm.startAgent(SEGMENT, "a1", labAllowlist(), options());
            long t0 = System.nanoTime();
            ScanTracker.Progress p = scan(farm, 64);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("farm: %d addresses, %d verdicts in %.1f s (%.0f verdicts/s)%n", range.size(), p.verdicts(), seconds, p.verdicts() / seconds);
            assertTrue(p.complete(), "every address has a verdict: " + p);
            Map<String, Integer> counts = committedVerdicts(farm);
            assertEquals(range.size(), counts.size());
            counts.forEach((ip, n) -> assertEquals(1, n, ip + " has " + n + " verdicts"));
            // ... and its JSON line for a SIEM on scanfarm.verdicts.json, one each, naming the same address.
            Map<String, Integer> lines = committed(farm, Topics.VERDICTS_JSON,
                    v -> JSON.readTree(v).at("/host/ip/0").asText());
            assertEquals(counts.keySet(), lines.keySet());
            lines.forEach((ip, n) -> assertEquals(1, n, ip + " has " + n + " JSON lines"));
        }
    }

    @Test
    void aMatcherWithoutTheJsonTopicPublishesVerdictsOnly() throws Exception {
        try (LocalFarm farm = TestBroker.farm(SEGMENT, 2)) {
            farm.start(new MatcherService(farm.kafka(), builder(), "m1").withoutJsonTopic());
            farm.startAgent(SEGMENT, "a1", labAllowlist(), options());
            ScanTracker.Progress p = scan(farm, 128);
            assertTrue(p.complete(), "every address has a verdict: " + p);
            assertEquals(range.size(), committedVerdicts(farm).size());
            assertEquals(Map.of(), committed(farm, Topics.VERDICTS_JSON, v -> "any"), "nothing on scanfarm.verdicts.json");
        }
    }

    @Test
    void aMatcherKilledMidStreamLosesAndRepeatsNoVerdict() throws Exception {
        try (LocalFarm farm = TestBroker.farm(SEGMENT, 2)) {
            MatcherService first = farm.startMatcher(builder(), "m1");
            farm.startAgent(SEGMENT, "a1", labAllowlist(), options());
            AtomicBoolean restarted = new AtomicBoolean();
            Thread killer = new Thread(() -> {
                while (first.verdictsPublished() < 40) {
                    sleep(20);
                }
                first.crash();
                sleep(500);
                farm.startMatcher(builder(), "m1"); // the same instance id: its transactional id fences the dead one
                restarted.set(true);
            });
            killer.start();
            ScanTracker.Progress p = scan(farm, 16);
            killer.join();
            assertTrue(restarted.get());
            assertTrue(p.complete(), "every address has a verdict: " + p);
            Map<String, Integer> counts = committedVerdicts(farm);
            assertEquals(range.size(), counts.size(), "no verdict lost");
            counts.forEach((ip, n) -> assertEquals(1, n, ip + " has " + n + " committed verdicts"));
        }
    }

    @Test
    void anAgentKilledMidJobLeavesTheJobToAnotherWithNoHostMissing() throws Exception {
        try (LocalFarm farm = TestBroker.farm(SEGMENT, 2)) {
            farm.startMatcher(builder(), "m1");
            AgentService doomed = farm.startAgent(SEGMENT, "a1", labAllowlist(), options());
            doomed.beforeCommit(doomed::crash); // dies after probing its first job, before committing it
            AgentService survivor = farm.startAgent(SEGMENT, "a2", labAllowlist(), options());
            ScanTracker.Progress p = scan(farm, 128);
            assertTrue(p.complete(), "every address has a verdict: " + p);
            assertEquals(0, doomed.jobsDone());
            assertEquals(2, survivor.jobsDone(), "the survivor ran both jobs, the dead agent's included");
            Map<String, Integer> counts = committedVerdicts(farm);
            assertEquals(range.size(), counts.size(), "no host missing");
            counts.forEach((ip, n) -> assertEquals(1, n, ip + " has " + n + " committed verdicts"));
        }
    }

    @Test
    void corruptAndOversizedRecordsOnEveryTopicAreSetAsideAndTheScanStillCompletes() throws Exception {
        try (LocalFarm farm = TestBroker.farm(SEGMENT, 2)) {
            MatcherService matcherService = farm.startMatcher(builder(), "m1");
            AgentService agent = farm.startAgent(SEGMENT, "a1", labAllowlist(), options());
            byte[] garbage = "\u0000not a protobuf \u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] big = new byte[900 * 1024];
            new java.util.Random(1).nextBytes(big);
            try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> p =
                         new org.apache.kafka.clients.producer.KafkaProducer<>(KafkaDefaults.producer(farm.kafka()))) {
                for (String topic : List.of(Topics.OBSERVATIONS, Topics.jobs(SEGMENT), Topics.VERDICTS, Topics.JOB_STATUS)) {
                    p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "junk", garbage)).get();
                    p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "big", big)).get();
                    p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "empty", null)).get();
                }
            }
            ScanTracker.Progress p = scan(farm, 128);
            assertTrue(p.complete(), "the scan completes past the bad records: " + p);
            assertEquals(range.size(), committedVerdicts(farm).size());
            long deadline = System.currentTimeMillis() + 10_000;
            while (matcherService.deadLetters() < 3 && System.currentTimeMillis() < deadline) {
                sleep(100);
            }
            assertEquals(3, matcherService.deadLetters(), "the three bad observations were dead-lettered");
            assertEquals(2, agent.jobsDone(), "the agent ran both real jobs");
            Map<String, String> reasons = deadLetterReasons(farm);
            assertTrue(reasons.size() >= 6, "bad observations and bad jobs are on the dead-letter topic: " + reasons);
            assertTrue(reasons.values().stream().allMatch(r -> !r.isEmpty()), "each carries its reason: " + reasons);
        }
    }

    @Test
    void aSegmentNoAgentServesIsRefusedAtOnce() throws Exception {
        try (LocalFarm farm = TestBroker.farm(SEGMENT, 2)) {
            farm.startAgent(SEGMENT, "a1", labAllowlist(), options());
            MatchCommandTest.Run r = MatchCommandTest.run("scan", "--unsigned", "--bootstrap-servers",
                    farm.kafka().getProperty("bootstrap.servers"), "--segment", "nosuch", "198.18.16.1");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("no agent serves segment 'nosuch'"), r.err());
        }
    }

    /** scanfarm.dead-letter records: source -> reason header. */
    private static Map<String, String> deadLetterReasons(LocalFarm farm) throws Exception {
        Map<String, String> out = new HashMap<>();
        CommittedRecords.read(farm.kafka(), "dlq-reader", Topics.DEAD_LETTER, r -> {
            var reason = r.headers().lastHeader("scanfarm.reason");
            var source = r.headers().lastHeader("scanfarm.source");
            out.put(source == null ? "?" + out.size() : new String(source.value()),
                    reason == null ? "" : new String(reason.value()));
        });
        return out;
    }

    private static ScanTracker.Progress scan(LocalFarm farm, int jobSize) throws Exception {
        Coordinator c = farm.coordinator();
        Coordinator.Submitted s = c.submit(new Coordinator.Request(Coordinator.newScanId(), Map.of(SEGMENT, range), jobSize,
                List.of(80, 1), ProbeProfile.NMAP2, 0, Duration.ofHours(1)));
        return new ScanTracker(farm.kafka(), s.tracking())
                .follow(v -> assertEquals(HostStatus.UP, v.getHostStatus(), v.getTarget() + ": " + v.getDetail()), st -> { }, Duration.ofMinutes(3));
    }

    /** Every committed verdict on the topic, counted per address (read_committed, from the beginning). */
    private static Map<String, Integer> committedVerdicts(LocalFarm farm) throws Exception {
        return committed(farm, Topics.VERDICTS, v -> OsVerdict.parseFrom(v).getTarget());
    }

    /** A record's value read as the address it is about. */
    private interface AddressOf {
        String of(byte[] value) throws Exception;
    }

    /** Every committed record of the lab's addresses on {@code topic}, counted per address its value names. */
    private static Map<String, Integer> committed(LocalFarm farm, String topic, AddressOf address) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        CommittedRecords.read(farm.kafka(), "count", topic, r -> {
            if (r.key() != null && r.key().startsWith("198.18.")) { // the junk test writes other keys
                counts.merge(address.of(r.value()), 1, Integer::sum);
            }
        });
        return counts;
    }

    private static VerdictBuilder builder() {
        return new VerdictBuilder(matcher, dbPath, dbSha, "test");
    }

    private static List<AddressBlock> labAllowlist() {
        return List.of(AddressBlock.parse("198.18.0.0/15"));
    }

    private static ScanOptions options() {
        return new ScanOptions(List.of(80, 1), NmapSecondGenerationPlan.create(), 1_000_000, 2, 64, 42);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
