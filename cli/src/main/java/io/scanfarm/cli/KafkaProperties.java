package io.scanfarm.cli;

import io.scanfarm.wire.KafkaDefaults;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * Checks the Kafka client properties of a configuration against Kafka's own definitions: every name must be a
 * producer, consumer or admin property, and the values must parse as the clients will parse them.
 */
final class KafkaProperties {

    private static final Set<String> KNOWN = new HashSet<>();

    static {
        KNOWN.addAll(ProducerConfig.configNames());
        KNOWN.addAll(ConsumerConfig.configNames());
        KNOWN.addAll(AdminClientConfig.configNames());
    }

    private KafkaProperties() {
    }

    static List<String> problems(String source, Properties kafka) {
        List<String> out = new ArrayList<>();
        if (kafka.getProperty("bootstrap.servers", "").isBlank()) {
            out.add(source + ": 'kafka.bootstrap.servers' is required (the Kafka brokers, host:port)");
        }
        Properties known = new Properties();
        for (String name : kafka.stringPropertyNames()) {
            if (KNOWN.contains(name)) {
                known.put(name, kafka.getProperty(name));
            } else {
                String near = null;
                for (String k : KNOWN) {
                    if (editDistance(name, k) <= 2) {
                        near = k;
                        break;
                    }
                }
                out.add(source + ": 'kafka." + name + "' is not a Kafka client property"
                        + (near == null ? "" : " (did you mean 'kafka." + near + "'?)"));
            }
        }
        if (out.isEmpty()) {
            // Kafka's own parsing of the values, as each client will parse them.
            try {
                new AdminClientConfig(only(known, AdminClientConfig.configNames()));
                new ConsumerConfig(only(KafkaDefaults.consumer(known, "config-check"), ConsumerConfig.configNames()));
                new ProducerConfig(only(KafkaDefaults.producer(known), ProducerConfig.configNames()));
            } catch (ConfigException e) {
                out.add(source + ": a Kafka client property: " + e.getMessage());
            }
        }
        return out;
    }

    private static Properties only(Properties p, Set<String> names) {
        Properties q = new Properties();
        p.forEach((k, v) -> {
            if (names.contains(k.toString())) {
                q.put(k, v);
            }
        });
        return q;
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
