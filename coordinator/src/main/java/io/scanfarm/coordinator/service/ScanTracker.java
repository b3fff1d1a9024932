package io.scanfarm.coordinator.service;

import io.scanfarm.proto.JobStatus;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.wire.ClientIds;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.Topics;
import io.scanfarm.wire.VerdictWire;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows one scan on the result topics from where they stood at submission: hands over each verdict once per
 * address and each job status, and knows when every address has its verdict.
 */
public final class ScanTracker {

    /** Where a scan stands. */
    public record Progress(int hostsExpected, int verdicts, int jobsExpected, int jobsReported, int hostsRejected,
                           boolean complete) {
    }

    private final Properties kafka;
    private final CoordinatorSubmission submission;
    /** How many ranked matches of each verdict to read; -1 for all. */
    private int matches = -1;

    /** The parts of a submission the tracker needs. */
    public record CoordinatorSubmission(String scanId, int hosts, int jobs, Map<TopicPartition, Long> start,
                                        Map<String, Integer> jobHosts) {
    }

    public ScanTracker(Properties kafka, CoordinatorSubmission submission) {
        this.kafka = kafka;
        this.submission = submission;
    }

    /**
     * Hands over verdicts with only their first {@code n} ranked matches: for a reader that prints no more, the
     * rest is not decoded at all (see {@link VerdictWire}).
     */
    public ScanTracker readingMatches(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("matches must be 0 or more, not " + n);
        }
        this.matches = n;
        return this;
    }

    /**
     * Reads results until every address has a verdict or {@code timeout} passes; returns the progress then.
     * Verdicts for an address seen before (a job run twice) are not handed over again.
     */
    public Progress follow(Consumer<OsVerdict> onVerdict, Consumer<JobStatus> onStatus, Duration timeout) {
        Set<String> targets = new HashSet<>();
        Set<String> jobs = new HashSet<>();
        int rejected = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaDefaults.consumer(kafka, ClientIds.TRACKER_GROUP));
        try {
            c.assign(submission.start().keySet());
            submission.start().forEach(c::seek);
            while (targets.size() + rejected < submission.hosts() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue; // a tombstone: no scan's result (and parsing it failed with a NullPointerException)
                    }
                    try {
                        if (r.topic().equals(Topics.VERDICTS)) {
                            OsVerdict v = matches < 0 ? OsVerdict.parseFrom(r.value()) : VerdictWire.parseWithFirstMatches(r.value(), matches);
                            if (v.getScanId().equals(submission.scanId()) && targets.add(v.getTarget())) {
                                onVerdict.accept(v);
                            }
                        } else {
                            JobStatus s = JobStatus.parseFrom(r.value());
                            if (s.getScanId().equals(submission.scanId()) && jobs.add(s.getJobId())) {
                                if (s.getState() == io.scanfarm.proto.JobState.REJECTED) {
                                    // a refused job's addresses will get no verdict: stop waiting for them
                                    rejected += submission.jobHosts().getOrDefault(s.getJobId(), 0);
                                }
                                onStatus.accept(s);
                            }
                        }
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        // not ours to fail on: a foreign or corrupt record on a result topic is skipped
                    }
                }
            }
        } finally {
            // Assigned, not a group member, and committing nothing: there is nothing to wait for but the fetch in
            // flight (up to fetch.max.wait.ms), whose records are not wanted any more.
            c.close(Duration.ZERO);
        }
        return new Progress(submission.hosts(), targets.size(), submission.jobs(), jobs.size(), rejected,
                targets.size() + rejected >= submission.hosts());
    }
}
