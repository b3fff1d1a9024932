package io.scanfarm.cli.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The broker of one command's farm runs trimmed: few threads, no JMX beans, and still takes topics. */
class EmbeddedKafkaOneCommandTest {

    @Test
    void runsWithFewThreadsAndRegistersNoMetricBeans() throws Exception {
        int handlersBefore = threads("data-plane-kafka-request-handler-");
        int networkBefore = threads("data-plane-kafka-network-thread-");
        int schedulersBefore = threads("kafka-scheduler-");
        int groupBefore = threads("group-coordinator-event-processor-");
        try (EmbeddedKafka broker = EmbeddedKafka.startForOneCommand();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            // Two each for the broker and its controller (Kafka's default: 8 each); one per listener (default: 3).
            assertEquals(4, threads("data-plane-kafka-request-handler-") - handlersBefore, "request handler threads");
            assertEquals(2, threads("data-plane-kafka-network-thread-") - networkBefore, "network threads");
            assertEquals(2, threads("kafka-scheduler-") - schedulersBefore, "background threads (default: 10)");
            assertEquals(1, threads("group-coordinator-event-processor-") - groupBefore, "group coordinator threads (default: 4)");
            admin.createTopics(List.of(new NewTopic("one-command", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("one-command"));
            // Requests have been served, so their metrics exist; none of them is a bean.
            Set<ObjectName> beans = ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("kafka.network:type=RequestMetrics,*"), null);
            assertTrue(beans.isEmpty(), beans.size() + " request metric beans, e.g. " + beans.stream().findFirst().orElse(null));
            admin.close(Duration.ZERO);
        }
    }

    private static int threads(String prefix) {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }
}
