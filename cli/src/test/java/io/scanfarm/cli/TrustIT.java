package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scanfarm.agent.net.PcapLibrary;
import io.scanfarm.agent.plan.NmapSecondGenerationPlan;
import io.scanfarm.agent.scan.ScanOptions;
import io.scanfarm.cli.farm.LocalFarm;
import io.scanfarm.coordinator.service.Coordinator;
import io.scanfarm.coordinator.service.ScanTracker;
import io.scanfarm.coordinator.targets.TargetSet;
import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.packet.Ipv4;
import io.scanfarm.matcher.packet.PcapFile;
import io.scanfarm.matcher.service.VerdictBuilder;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.JobState;
import io.scanfarm.proto.JobStatus;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.ProbeProfile;
import io.scanfarm.proto.ScanJob;
import io.scanfarm.wire.AddressBlock;
import io.scanfarm.wire.JobSignature;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.Topics;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an agent will and will not do, seen from outside: jobs forged, altered, expired, replayed or unsigned
 * are refused with their reason and not a packet is sent; and a signed job reaching past the agent's allowlist,
 * from a scan with exclusions, puts no packet on the wire for any address outside job ∩ allowlist − exclusions.
 */
class TrustIT {

    private static final String SEGMENT = "lab";
    private static OsMatcher matcher;
    private static String dbPath;

    @BeforeAll
    static void lab() throws Exception {
        LabSupport.requireRoot();
        assertEquals(null, PcapLibrary.configure());
        LabSupport.up();
        OsDbFiles.Loaded l = OsDbFiles.load(Path.of(LabSupport.database()));
        matcher = OsMatcher.compile(l.db());
        dbPath = l.path().toString();
    }

    @AfterAll
    static void down() throws Exception {
        if (matcher != null) {
            LabSupport.down();
        }
    }

    @Test
    void forgedAlteredExpiredReplayedAndUnsignedJobsAreRefusedAndNothingIsProbed() throws Exception {
        try (LocalFarm farm = TestBroker.farm(SEGMENT, 1)) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            farm.startAgent(SEGMENT, "a1", List.of(AddressBlock.parse("198.18.0.0/15")), options(0), meters);
            KeyPair stranger = JobSignature.generate();
            long now = System.currentTimeMillis();
            ScanJob base = ScanJob.newBuilder().setSchemaVersion(Topics.SCHEMA_VERSION).setScanId("hostile").setSegment(SEGMENT)
                    .addTargets("198.18.16.0/28").addPorts(80).addPorts(1).setProfile(ProbeProfile.NMAP2)
                    .setCreatedAtMs(now).setExpiresAtMs(now + 3_600_000).build();
            // The farm's own key signs a legitimate job; a copy of it, published again, is the replay.
            ScanJob legit = signedByFarm(farm, base.toBuilder().setJobId("legit").build());
            Map<String, ScanJob> hostile = new LinkedHashMap<>();
            hostile.put("forged", JobSignature.sign(base.toBuilder().setJobId("forged").build(), stranger));
            hostile.put("altered", signedByFarm(farm, base.toBuilder().setJobId("altered").build()).toBuilder()
                    .setTargets(0, "198.18.0.0/15").build());
            hostile.put("expired", signedByFarm(farm, base.toBuilder().setJobId("expired").setCreatedAtMs(now - 7_200_000)
                    .setExpiresAtMs(now - 3_600_000).build()));
            hostile.put("unsigned", base.toBuilder().setJobId("unsigned").build());
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaDefaults.producer(farm.kafka()))) {
                for (ScanJob j : hostile.values()) {
                    p.send(new ProducerRecord<>(Topics.jobs(SEGMENT), j.getJobId(), j.toByteArray())).get();
                }
            }
            Map<String, JobStatus> statuses = statuses(farm, hostile.size(), Duration.ofSeconds(60));
            assertEquals(hostile.keySet(), statuses.keySet(), "every hostile job is answered");
            Map<String, String> expected = Map.of("forged", "refused: signed by an unknown key",
                    "altered", "refused: bad signature", "expired", "refused: expired", "unsigned", "refused: unsigned job");
            expected.forEach((id, reason) -> {
                JobStatus s = statuses.get(id);
                assertEquals(JobState.REJECTED, s.getState(), id);
                assertTrue(s.getErrors(0).startsWith(reason), id + ": " + s.getErrorsList());
            });
            assertEquals(0.0, meters.get("scanfarm.agent.probes.sent").functionCounter().count(), "not one packet for a refused job");

            // Now the legitimate job runs once; its replay (same job id, another record) is refused.
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaDefaults.producer(farm.kafka()))) {
                p.send(new ProducerRecord<>(Topics.jobs(SEGMENT), "legit", legit.toByteArray())).get();
            }
            assertEquals(JobState.DONE, statuses(farm, 5, Duration.ofSeconds(120)).get("legit").getState());
            double sentByLegit = meters.get("scanfarm.agent.probes.sent").functionCounter().count();
            assertTrue(sentByLegit > 0, "the signed job was probed");
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaDefaults.producer(farm.kafka()))) {
                p.send(new ProducerRecord<>(Topics.jobs(SEGMENT), "legit", legit.toByteArray())).get();
            }
            List<JobStatus> all = allStatuses(farm, 6, Duration.ofSeconds(60));
            JobStatus replay = all.get(all.size() - 1);
            assertEquals("legit", replay.getJobId());
            assertEquals(JobState.REJECTED, replay.getState());
            assertTrue(replay.getErrors(0).startsWith("refused: replay: job legit was already run"), replay.getErrorsList().toString());
            assertEquals(sentByLegit, meters.get("scanfarm.agent.probes.sent").functionCounter().count(), "the replay sent nothing");
            Map<String, Double> refused = new HashMap<>();
            meters.find("scanfarm.agent.jobs.refused").counters()
                    .forEach(c -> refused.put(c.getId().getTag("reason"), c.count()));
            System.out.println("refused jobs by reason: " + refused);
            assertEquals(Map.of("unknown-key", 1.0, "bad-signature", 1.0, "expired", 1.0, "unsigned", 1.0, "replay", 1.0), refused);
        }
    }

    @Test
    void noPacketLeavesForAnAddressOutsideJobAllowlistAndExclusionsAndTheRateHolds() throws Exception {
        // The scan asks for 198.18.16.0/26 without 198.18.16.8/29; the agent may only probe 198.18.16.0/27.
        List<Long> targets = TargetSet.expand(List.of("198.18.16.0/26"), List.of("198.18.16.8/29"), TargetSet.DEFAULT_MAX, false);
        Set<Integer> permitted = new HashSet<>();
        AddressBlock allow = AddressBlock.parse("198.18.16.0/27");
        for (long a : targets) {
            if (a >= allow.first() && a <= allow.last()) {
                permitted.add((int) a);
            }
        }
        assertEquals(24, permitted.size());
        int limit = 2000;
        LabSupport.Captured<Map<HostStatus, Integer>> scan = LabSupport.capturingRange("src host " + LabSupport.RANGE_OURS + " and not arp", () -> {
            Map<HostStatus, Integer> counts = new HashMap<>();
            try (LocalFarm farm = TestBroker.farm(SEGMENT, 1)) {
                farm.startMatcher(new VerdictBuilder(matcher, dbPath, "-", "test"), "m1");
                farm.startAgent(SEGMENT, "a1", List.of(allow), options(limit));
                Coordinator c = farm.coordinator();
                Coordinator.Submitted s = c.submit(new Coordinator.Request(Coordinator.newScanId(), Map.of(SEGMENT, targets), 64,
                        List.of(80, 1), ProbeProfile.NMAP2, 0, Duration.ofHours(1)));
                ScanTracker.Progress p = new ScanTracker(farm.kafka(), s.tracking())
                        .follow((OsVerdict v) -> counts.merge(v.getHostStatus(), 1, Integer::sum), st -> { }, Duration.ofMinutes(2));
                assertTrue(p.complete(), p.toString());
            }
            return counts;
        });
        Map<HostStatus, Integer> byStatus = scan.result();
        assertEquals(Map.of(HostStatus.UP, 24, HostStatus.REFUSED, 32), byStatus, "24 probed, the 32 outside the allowlist refused");
        int outside = 0;
        int packets = 0;
        Set<Integer> probed = new HashSet<>();
        List<Long> times = new ArrayList<>();
        for (PcapFile.Frame f : scan.frames()) {
            Ipv4 ip = Ipv4.parse(f.ip());
            packets++;
            times.add(f.micros());
            if (!permitted.contains(ip.dst())) {
                outside++;
            } else {
                probed.add(ip.dst());
            }
        }
        int busiest = LabSupport.busiest100Ms(times);
        System.out.printf("scope: %d packets to %d addresses, %d outside job ∩ allowlist − exclusions; busiest 100 ms %d (ceiling %d pps)%n",
                packets, probed.size(), outside, busiest, limit);
        assertEquals(0, outside, "packets to addresses outside the scope");
        assertEquals(permitted, probed, "every permitted address was probed");
        assertTrue(busiest <= limit / 10 * 1.05 + limit / 100, "busiest 100 ms held " + busiest + " packets");
    }

    private static ScanJob signedByFarm(LocalFarm farm, ScanJob job) {
        return farm.sign(job);
    }

    private static ScanOptions options(int rate) {
        return new ScanOptions(List.of(80, 1), NmapSecondGenerationPlan.create(), 1_000_000, 2, 64, 7, rate);
    }

    /** The latest status per job id, once {@code n} statuses are on the topic. */
    private static Map<String, JobStatus> statuses(LocalFarm farm, int n, Duration timeout) {
        Map<String, JobStatus> out = new LinkedHashMap<>();
        allStatuses(farm, n, timeout).forEach(s -> out.put(s.getJobId(), s));
        return out;
    }

    private static List<JobStatus> allStatuses(LocalFarm farm, int n, Duration timeout) {
        List<JobStatus> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaDefaults.consumer(farm.kafka(), "status-" + System.nanoTime()))) {
            c.subscribe(List.of(Topics.JOB_STATUS));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    try {
                        out.add(JobStatus.parseFrom(r.value()));
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        return out;
    }
}
