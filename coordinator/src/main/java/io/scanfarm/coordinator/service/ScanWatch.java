package io.scanfarm.coordinator.service;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.scanfarm.proto.JobState;
import io.scanfarm.proto.JobStatus;
import io.scanfarm.proto.Outcome;
import io.scanfarm.wire.EnumCounters;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.wire.ClientIds;
import io.scanfarm.wire.KafkaDefaults;
import io.scanfarm.wire.StoppableService;
import io.scanfarm.wire.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running coordinator's watch over the farm: follows job status and verdicts (read committed, its own
 * consumer group) and turns them into meters and one log line per finished job, so an operator sees every scan
 * move without running a client. Scans themselves are submitted with {@code scanfarm scan --bootstrap-servers}.
 */
public final class ScanWatch extends StoppableService {

    private static final Logger LOG = LoggerFactory.getLogger(ScanWatch.class);
    public static final String GROUP = ClientIds.COORDINATOR_GROUP;

    private final Properties kafka;
    private final MeterRegistry registry;
    private final EnumCounters<Outcome> verdicts;
    private final EnumCounters<JobState> jobs;

    public ScanWatch(Properties kafka, MeterRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
        this.verdicts = new EnumCounters<>(registry, "scanfarm.coordinator.verdicts", "outcome", Outcome.class);
        this.jobs = new EnumCounters<>(registry, "scanfarm.coordinator.jobs", "state", JobState.class);
    }

    @Override
    public void run() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaDefaults.consumer(kafka, GROUP));
             KafkaClientMetrics meters = new KafkaClientMetrics(c)) {
            meters.bindTo(registry);
            attach(c);
            c.subscribe(List.of(Topics.JOB_STATUS, Topics.VERDICTS));
            while (running()) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = c.poll(Duration.ofMillis(500));
                    ready(true);
                } catch (WakeupException e) {
                    break;
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    count(r);
                }
                if (!records.isEmpty()) {
                    c.commitAsync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (KafkaException e) {
            LOG.error("coordinator watch stops: {}", e.getMessage());
            stoppedBy(e);
        } finally {
            ready(false);
            attach(null);
        }
    }

    private void count(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            registry.counter("scanfarm.coordinator.unreadable.records").increment();
            return;
        }
        try {
            if (r.topic().equals(Topics.VERDICTS)) {
                OsVerdict v = OsVerdict.parseFrom(r.value());
                verdicts.increment(v.getOutcome());
            } else {
                JobStatus s = JobStatus.parseFrom(r.value());
                jobs.increment(s.getState());
                registry.counter("scanfarm.coordinator.hosts.probed").increment(s.getHostsProbed());
                LOG.info("scan {}: job {} {} by agent {} in segment {}: {} of {} addresses probed, {} up, {} failed{}",
                        s.getScanId(), s.getJobId(), lower(s.getState().name()), s.getAgentId(), s.getSegment(),
                        s.getHostsProbed(), s.getHostsExpected(), s.getHostsUp(), s.getHostsFailed(),
                        s.getErrorsCount() == 0 ? "" : " (" + s.getErrorsCount() + " notes, first: " + s.getErrors(0) + ")");
            }
        } catch (InvalidProtocolBufferException e) {
            registry.counter("scanfarm.coordinator.unreadable.records").increment();
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
