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
        Set<String> out = new java.util.TreeSet<>();
        for (ConfigKeys.Service sv : ConfigKeys.Service.values()) {
            out.add(sv.label());
        }
        return out;
    }

    /** The key a SCANFARM_* environment variable overrides (as ServiceConfig maps it), or null for other names. */
    static String keyOfEnv(String name) {
        if (!name.startsWith("SCANFARM_") || name.equals("SCANFARM_ALLOW") || name.equals("SCANFARM_JAVA_OPTS")) {
            return null;
        }
        return name.substring(9).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /**
     * What the service would refuse or ignore in this effective configuration; empty when it is fine. The keys,
     * their services, required-ness and value checks are the services' own ({@link ConfigKeys}); paths name files
     * on the deployment's hosts, so only their form is checked here.
     */
    static List<String> problems(String service, Map<String, String> config) {
        List<String> out = new ArrayList<>();
        ConfigKeys.Service sv;
        try {
            sv = ConfigKeys.Service.valueOf(service.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            out.add("'" + service + "' is not a service (one of " + services() + ")");
            return out;
        }
        for (ConfigKeys k : sv.required()) {
            if (config.getOrDefault(k.key, "").isBlank()) {
                out.add("'" + k.key + "' is required by the " + service);
            }
        }
        if (sv == ConfigKeys.Service.AGENT && config.getOrDefault("trusted.keys", "").isBlank()
                && !"true".equals(config.get("accept.unsigned"))) {
            out.add("'trusted.keys' is required by the agent (or accept.unsigned=true)");
        }
        if (config.getOrDefault("kafka.bootstrap.servers", "").isBlank()) {
            out.add("'kafka.bootstrap.servers' is required by the " + service);
        }
        config.forEach((key, value) -> {
            if (key.startsWith("kafka.")) {
                if (!KAFKA_CLIENT_KEYS.contains(key.substring(6))) {
                    out.add("'" + key + "': '" + key.substring(6) + "' is not a Kafka client setting");
                }
                return;
            }
            ConfigKeys k = ConfigKeys.named(key);
            if (k == null || !k.services.contains(sv)) {
                out.add("'" + key + "' is not a key the " + service + " reads");
            } else if (!FROM_PLATFORM.equals(value)) {
                String bad = k.check == ConfigKeys.Check.FILE || k.check == ConfigKeys.Check.PUBLIC_KEYS
                        ? (value.startsWith("/") ? null : "an absolute path is expected") : k.check.problem(value);
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
}
