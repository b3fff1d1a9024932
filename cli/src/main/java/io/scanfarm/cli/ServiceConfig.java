package io.scanfarm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A service's configuration: a properties file, then environment overrides ({@code SCANFARM_SEGMENT} overrides
 * {@code segment}, {@code SCANFARM_KAFKA_BOOTSTRAP_SERVERS} overrides {@code kafka.bootstrap.servers}). Keys under
 * {@code kafka.} pass through to the Kafka clients untouched (TLS, SASL...). Errors name the key.
 */
final class ServiceConfig {

    private final Map<String, String> values = new TreeMap<>();
    private final String source;

    private ServiceConfig(String source) {
        this.source = source;
    }

    static ServiceConfig load(Path file, Map<String, String> env) {
        ServiceConfig c = new ServiceConfig(file == null ? "(no file)" : file.toString());
        if (file != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (NoSuchFileException e) {
                throw new UserError(file + ": no such file");
            } catch (IOException | IllegalArgumentException e) {
                throw new UserError(file + ": cannot read: " + e.getMessage());
            }
            p.forEach((k, v) -> c.values.put(k.toString().strip(), v.toString().strip()));
        }
        env.forEach((k, v) -> {
            if (k.startsWith("SCANFARM_") && !k.equals("SCANFARM_ALLOW") && !k.equals("SCANFARM_JAVA_OPTS")) {
                c.values.put(k.substring(9).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        return c;
    }

    String get(String key, String fallback) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? fallback : v;
    }

    String require(String key, String what) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw new UserError(source + ": '" + key + "' is required (" + what + ")");
        }
        return v;
    }

    int integer(String key, int fallback, int min, int max) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UserError(source + ": '" + key + "' must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    /** The Kafka client properties: every {@code kafka.*} key without its prefix. */
    Properties kafka() {
        Properties p = new Properties();
        values.forEach((k, v) -> {
            if (k.startsWith("kafka.")) {
                p.put(k.substring(6), v);
            }
        });
        if (!p.containsKey("bootstrap.servers")) {
            throw new UserError(source + ": 'kafka.bootstrap.servers' is required (the Kafka brokers, host:port)");
        }
        return p;
    }

    /** Prints the effective configuration, one key a line, with secrets masked and defaults named. */
    void print(PrintWriter out, String service) {
        out.println("scanfarm " + service + ": effective configuration (" + source + " + environment):");
        values.forEach((k, v) -> out.println("  " + k + " = " + (secret(k) ? "********" : v)));
        ConfigKeys.Service s = serviceNamed(service);
        if (s != null) {
            for (ConfigKeys k : ConfigKeys.values()) {
                if (k.services.contains(s) && !values.containsKey(k.key) && k.defaultValue != null) {
                    out.println("  " + k.key + " = " + (k == ConfigKeys.METRICS_PORT ? s.metricsPort : k.defaultValue) + "  (default)");
                }
            }
        }
        out.flush();
    }

    private static ConfigKeys.Service serviceNamed(String service) {
        for (ConfigKeys.Service s : ConfigKeys.Service.values()) {
            if (s.label().equals(service)) {
                return s;
            }
        }
        return null;
    }

    /** The service a file configures, told by a key only it reads; null when no key tells. */
    ConfigKeys.Service inferService() {
        if (values.containsKey("segments")) {
            return ConfigKeys.Service.COORDINATOR;
        }
        if (values.containsKey("allowlist") || values.containsKey("segment")) {
            return ConfigKeys.Service.AGENT;
        }
        if (values.containsKey("os.db") || values.containsKey("consumers") || values.containsKey("instance.id")) {
            return ConfigKeys.Service.MATCHER;
        }
        return null;
    }

    /** Fails with every problem of this configuration for {@code service}, one a line, each naming its key. */
    void check(ConfigKeys.Service service) {
        List<String> problems = problems(service);
        if (!problems.isEmpty()) {
            throw new UserError(String.join(System.lineSeparator(), problems));
        }
    }

    /**
     * What is wrong with this configuration for {@code service}: unknown keys (with the likely intended one),
     * keys another service reads, values that fail their check, missing required keys, and Kafka client
     * properties Kafka does not know or cannot parse.
     */
    List<String> problems(ConfigKeys.Service service) {
        List<String> out = new ArrayList<>();
        Properties kafka = new Properties();
        values.forEach((k, v) -> {
            if (k.startsWith("kafka.")) {
                kafka.put(k.substring(6), v);
                return;
            }
            ConfigKeys key = ConfigKeys.named(k);
            if (key == null) {
                String near = nearest(k);
                out.add(source + ": '" + k + "' is not a configuration key" + (near == null ? "" : " (did you mean '" + near + "'?)"));
            } else if (!key.services.contains(service)) {
                out.add(source + ": '" + k + "' is read by the " + key.services.iterator().next().label() + ", not the " + service.label());
            } else if (!v.isEmpty()) {
                String p = key.check.problem(v);
                if (p != null) {
                    out.add(source + ": '" + k + "': " + p + " (got '" + v + "')");
                }
            }
        });
        for (ConfigKeys k : service.required()) {
            if (get(k.key, null) == null) {
                out.add(source + ": '" + k.key + "' is required (" + k.doc + ")");
            }
        }
        if (service == ConfigKeys.Service.AGENT && get("trusted.keys", null) == null && !"true".equals(get("accept.unsigned", null))) {
            out.add(source + ": 'trusted.keys' is required (the public keys whose signed jobs this agent runs;"
                    + " accept.unsigned=true only in a closed lab)");
        }
        out.addAll(KafkaProperties.problems(source, kafka));
        return out;
    }

    /** The declared key closest to a misspelt one, if any is within two edits. */
    private static String nearest(String key) {
        String best = null;
        int bestDistance = 3;
        for (ConfigKeys k : ConfigKeys.values()) {
            int d = KafkaProperties.editDistance(key, k.key);
            if (d < bestDistance) {
                best = k.key;
                bestDistance = d;
            }
        }
        return best;
    }

    static boolean secret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.endsWith(".key");
    }
}
