package io.scanfarm.cli.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
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

    /** Thread-name prefix: how many threads of it the trimmed broker starts. */
    private static final Map<String, Integer> THREADS = Map.of(
            "data-plane-kafka-request-handler-", 4,    // two each for the broker and its controller (default: 8 each)
            "data-plane-kafka-network-thread-", 2,     // one per listener (default: 3)
            "kafka-scheduler-", 2,                     // background threads (default: 10)
            "group-coordinator-event-processor-", 1);  // default: 4

    @Test
    void runsWithFewThreadsAndRegistersNoMetricBeans() throws Exception {
        Map<String, Integer> before = new HashMap<>();
        THREADS.keySet().forEach(prefix -> before.put(prefix, threads(prefix)));
        try (EmbeddedKafka broker = EmbeddedKafka.startForOneCommand();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            THREADS.forEach((prefix, n) -> assertEquals(n, threads(prefix) - before.get(prefix), prefix + "* threads"));
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
