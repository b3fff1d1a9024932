package io.scanfarm.cli;

import io.scanfarm.coordinator.targets.SegmentMap;
import io.scanfarm.wire.AddressBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The configuration keys each service reads (ServiceCommands and the services' contract), and what a value must be
 * for the service to start: deployment files are checked against it, so a misspelt key or a value the service
 * would refuse fails a test instead of a rollout.
 */
final class ServiceKeys {

    /** Where /metrics, /healthz and /readyz listen when metrics.port is not set. */
    static final Map<String, Integer> DEFAULT_METRICS_PORT = Map.of("coordinator", 9401, "matcher", 9402, "agent", 9403);

    /** Keys besides kafka.*, per service. */
    private static final Map<String, Set<String>> KEYS = Map.of(
            "coordinator", Set.of("segments", "partitions", "replication", "metrics.port"),
            "matcher", Set.of("os.db", "instance.id", "metrics.port"),
            "agent", Set.of("segment", "agent.id", "allowlist", "ports", "hosts.in.flight", "max.rate", "metrics.port"));

    private static final Map<String, List<String>> REQUIRED = Map.of(
            "coordinator", List.of("kafka.bootstrap.servers", "segments"),
            "matcher", List.of("kafka.bootstrap.servers"),
            "agent", List.of("kafka.bootstrap.servers", "segment", "allowlist"));

    /** Values that come from the platform at run time (a pod's name, a Secret), not from the file. */
    static final String FROM_PLATFORM = "<from platform>";

    private static final Set<String> KAFKA_CLIENT_KEYS = new HashSet<>();

    static {
        KAFKA_CLIENT_KEYS.addAll(ProducerConfig.configNames());
        KAFKA_CLIENT_KEYS.addAll(ConsumerConfig.configNames());
        KAFKA_CLIENT_KEYS.addAll(AdminClientConfig.configNames());
    }

    private ServiceKeys() {
    }

    static Set<String> services() {
        return KEYS.keySet();
    }

    /** The key a SCANFARM_* environment variable overrides (as ServiceConfig maps it), or null for other names. */
    static String keyOfEnv(String name) {
        if (!name.startsWith("SCANFARM_") || name.equals("SCANFARM_ALLOW") || name.equals("SCANFARM_JAVA_OPTS")) {
            return null;
        }
        return name.substring(9).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** What the service would refuse or ignore in this effective configuration; empty when it is fine. */
    static List<String> problems(String service, Map<String, String> config) {
        List<String> out = new ArrayList<>();
        if (!KEYS.containsKey(service)) {
            out.add("'" + service + "' is not a service (one of " + KEYS.keySet() + ")");
            return out;
        }
        for (String key : REQUIRED.get(service)) {
            if (config.getOrDefault(key, "").isBlank()) {
                out.add("'" + key + "' is required by the " + service);
            }
        }
        config.forEach((key, value) -> {
            if (key.startsWith("kafka.")) {
                if (!KAFKA_CLIENT_KEYS.contains(key.substring(6))) {
                    out.add("'" + key + "': '" + key.substring(6) + "' is not a Kafka client setting");
                }
            } else if (!KEYS.get(service).contains(key)) {
                out.add("'" + key + "' is not a key the " + service + " reads (it reads kafka.* and " + KEYS.get(service) + ")");
            } else if (!FROM_PLATFORM.equals(value)) {
                String bad = valueProblem(key, value);
                if (bad != null) {
                    out.add("'" + key + "=" + value + "': " + bad);
                }
            }
        });
        String servers = config.get("kafka.bootstrap.servers");
        if (servers != null && !FROM_PLATFORM.equals(servers)) {
            for (String s : servers.split(",")) {
                if (!s.strip().matches("[A-Za-z0-9.-]+:\\d{1,5}")) {
                    out.add("'kafka.bootstrap.servers': '" + s + "' is not host:port");
                }
            }
        }
        return out;
    }

    /** The CIDR blocks of an allowlist value. */
    static List<AddressBlock> blocks(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(AddressBlock::parse).toList();
    }

    /** The CIDR=segment entries of a segments value, as parsed pairs. */
    static List<Map.Entry<AddressBlock, String>> routes(String segments) {
        List<Map.Entry<AddressBlock, String>> out = new ArrayList<>();
        for (String e : segments.split(",")) {
            int eq = e.indexOf('=');
            out.add(Map.entry(AddressBlock.parse(e.substring(0, eq)), e.substring(eq + 1).strip()));
        }
        return out;
    }

    /** Whether every address of {@code inner} lies in one of {@code outer}. */
    static boolean covered(AddressBlock inner, List<AddressBlock> outer) {
        return outer.stream().anyMatch(o -> o.prefix() <= inner.prefix() && o.contains(inner.first()));
    }

    private static String valueProblem(String key, String value) {
        try {
            switch (key) {
                case "segments" -> {
                    if (SegmentMap.parse(Arrays.asList(value.split(","))).segments().isEmpty()) {
                        return "no segment";
                    }
                }
                case "allowlist" -> blocks(value);
                case "ports" -> ScanCommand.parsePorts(value);
                case "segment" -> {
                    if (!value.matches("[A-Za-z0-9._-]+")) {
                        return "a segment name holds only letters, digits, '.', '_' and '-'";
                    }
                }
                case "partitions" -> {
                    return range(value, 1, 1000);
                }
                case "replication" -> {
                    return range(value, 1, 7);
                }
                case "hosts.in.flight" -> {
                    return range(value, 1, 65536);
                }
                case "max.rate" -> {
                    return range(value, 0, 10_000_000);
                }
                case "metrics.port" -> {
                    return range(value, 1, 65535);
                }
                case "os.db" -> {
                    if (!value.startsWith("/")) {
                        return "an absolute path is expected";
                    }
                }
                default -> {
                    // instance.id, agent.id: any name
                }
            }
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static String range(String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            return n >= min && n <= max ? null : "must be from " + min + " to " + max;
        } catch (NumberFormatException e) {
            return "not a whole number";
        }
    }
}
