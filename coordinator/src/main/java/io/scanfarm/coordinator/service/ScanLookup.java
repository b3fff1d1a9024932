package io.scanfarm.coordinator.service;

import io.scanfarm.proto.ScanJob;
import io.scanfarm.wire.AddressBlock;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.StringJoiner;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Finds a submitted scan again from the topics alone, so that a tracker that died (a killed {@code scanfarm scan})
 * can be replaced by one that picks the scan up: the jobs topics hold every job of the scan with its addresses,
 * and each job record carries, in a header, where the result topics stood just before the scan was published.
 * The new tracker reads the results from there, so it sees every verdict and job status of the scan, also those
 * the dead tracker had already read.
 */
public final class ScanLookup {

    /** The job record header holding the result topics' offsets at submission ({@code topic:partition=offset,...}). */
    public static final String RESULTS_START_HEADER = "scanfarm.results-start";

    private ScanLookup() {
    }

    static String encodeStart(Map<TopicPartition, Long> start) {
        StringJoiner j = new StringJoiner(",");
        start.forEach((tp, offset) -> j.add(tp.topic() + ":" + tp.partition() + "=" + offset));
        return j.toString();
    }

    static Map<TopicPartition, Long> decodeStart(String text) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (String item : text.split(",")) {
            int colon = item.lastIndexOf(':');
            int eq = item.lastIndexOf('=');
            if (colon <= 0 || eq < colon) {
                continue; // not ours: the tracker falls back to the partition's beginning
            }
            try {
                out.put(new TopicPartition(item.substring(0, colon), Integer.parseInt(item.substring(colon + 1, eq))),
                        Long.parseLong(item.substring(eq + 1)));
            } catch (NumberFormatException e) {
                // as above
            }
        }
        return out;
    }

    /**
     * The scan {@code scanId} as its tracker needs it (its jobs, their address counts and where to read results
     * from), read from every {@code scanfarm.jobs.*} topic; empty when no job of that scan is there (a wrong id, or
     * jobs gone with the topic's retention). {@code timeout} bounds each call to the broker, and a read that makes
     * no progress.
     */
    public static Optional<ScanTracker.CoordinatorSubmission> find(Properties kafka, String scanId, Duration timeout)
            throws BrokerUnavailableException {
        Map<String, Integer> jobHosts = new HashMap<>();
        Map<TopicPartition, Long> start = new HashMap<>();
        boolean headerless = false;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaDefaults.consumer(kafka, "scanfarm-scan-lookup"))) {
            List<TopicPartition> jobs = new ArrayList<>();
            for (Map.Entry<String, List<PartitionInfo>> t : c.listTopics(timeout).entrySet()) {
                if (t.getKey().startsWith(Topics.JOBS_PREFIX)) {
                    t.getValue().forEach(pi -> jobs.add(new TopicPartition(pi.topic(), pi.partition())));
                }
            }
            if (!jobs.isEmpty()) {
                c.assign(jobs);
                c.seekToBeginning(jobs);
                Map<TopicPartition, Long> end = c.endOffsets(jobs, timeout);
                long lastRecord = System.nanoTime();
                while (jobs.stream().anyMatch(tp -> c.position(tp, timeout) < end.get(tp))) {
                    if (System.nanoTime() - lastRecord > timeout.toNanos()) {
                        throw new BrokerUnavailableException("reading the jobs topics made no progress for " + timeout.toSeconds() + " s");
                    }
                    var records = c.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        lastRecord = System.nanoTime();
                    }
                    for (ConsumerRecord<String, byte[]> r : records) {
                        ScanJob job = parse(r.value());
                        if (job == null || !job.getScanId().equals(scanId)) {
                            continue;
                        }
                        jobHosts.put(job.getJobId(), hosts(job));
                        Header h = r.headers().lastHeader(RESULTS_START_HEADER);
                        if (h == null) {
                            headerless = true;
                        } else {
                            decodeStart(new String(h.value(), StandardCharsets.UTF_8)).forEach((tp, o) -> start.merge(tp, o, Math::min));
                        }
                    }
                }
            }
            if (jobHosts.isEmpty()) {
                return Optional.empty();
            }
            // Every partition of the result topics is read; where no start is known, from its beginning.
            Map<TopicPartition, Long> from = new HashMap<>();
            for (String topic : List.of(Topics.VERDICTS, Topics.JOB_STATUS)) {
                for (PartitionInfo pi : c.partitionsFor(topic, timeout)) {
                    TopicPartition tp = new TopicPartition(topic, pi.partition());
                    from.put(tp, headerless ? 0L : start.getOrDefault(tp, 0L));
                }
            }
            int hosts = jobHosts.values().stream().mapToInt(Integer::intValue).sum();
            return Optional.of(new ScanTracker.CoordinatorSubmission(scanId, hosts, jobHosts.size(), from, jobHosts));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new BrokerUnavailableException("no answer from Kafka at " + kafka.getProperty("bootstrap.servers")
                    + " within " + timeout.toSeconds() + " s: is the broker running and reachable?");
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new BrokerUnavailableException("cannot use Kafka at " + kafka.getProperty("bootstrap.servers") + ": " + e.getMessage());
        }
    }

    private static int hosts(ScanJob job) {
        long n = 0;
        for (String t : job.getTargetsList()) {
            try {
                n += AddressBlock.parse(t).size();
            } catch (IllegalArgumentException e) {
                // the agent rejects such a job; its status tells the tracker
            }
        }
        return (int) n;
    }

    private static ScanJob parse(byte[] value) {
        try {
            return value == null ? null : ScanJob.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return null;
        }
    }
}
