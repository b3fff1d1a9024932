package io.scanfarm.cli;

import io.scanfarm.coordinator.targets.SegmentMap;
import io.scanfarm.coordinator.targets.TargetException;
import io.scanfarm.wire.AddressBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every key the long-running services read, in one place: which services read it, its default and what it
 * means, and the check its value must pass. Kafka client properties ({@code kafka.*}) are not declared here:
 * they pass through to the clients and are checked against Kafka's own definitions.
 */
enum ConfigKeys {

    METRICS_PORT("metrics.port", "per service: coordinator 9401, matcher 9402, agent 9403",
            "port of /metrics, /healthz and /readyz (0: any free port)", Check.integer(0, 65535), Service.values()),
    METRICS_BIND("metrics.bind", "0.0.0.0", "address the metrics endpoint listens on", Check.ANY, Service.values()),
    SEGMENTS("segments", null, "routing: CIDR=segment,... (which segment's agents reach which addresses)",
            Check.SEGMENT_MAP, Service.COORDINATOR),
    PARTITIONS("partitions", "4", "partitions of each topic the coordinator creates", Check.integer(1, 1000), Service.COORDINATOR),
    REPLICATION("replication", "1", "replication factor of the topics", Check.integer(1, 7), Service.COORDINATOR),
    OS_DB("os.db", "$NMAPDIR, /usr/share/nmap or /usr/local/share/nmap", "path of nmap-os-db", Check.FILE, Service.MATCHER),
    OS_FINGERPRINTS("os.fingerprints", "(none: first-generation observations get no OS verdict)",
            "path of nmap-os-fingerprints, for scans of the nmap1 profile", Check.FILE, Service.MATCHER),
    INSTANCE_ID("instance.id", "the host name", "names this matcher's transactional id (unique per instance)",
            Check.ANY, Service.MATCHER),
    CONSUMERS("consumers", "1", "matcher threads, each its own consumer and transactional producer",
            Check.integer(1, 64), Service.MATCHER),
    SEGMENT("segment", null, "the segment whose jobs this agent takes", Check.ANY, Service.AGENT),
    AGENT_ID("agent.id", "the host name", "names this agent in observations and its transactional id", Check.ANY, Service.AGENT),
    ALLOWLIST("allowlist", null, "CIDR blocks this agent may ever probe; anything else is refused unprobed",
            Check.CIDRS, Service.AGENT),
    PORTS("ports", ScanCommand.DEFAULT_PORTS, "TCP ports to find an open and a closed one among", Check.PORTS, Service.AGENT),
    HOSTS_IN_FLIGHT("hosts.in.flight", "256", "hosts probed at once", Check.integer(1, 65536), Service.AGENT),
    MAX_RATE("max.rate", "0", "packets/s ceiling (0: none); a job may ask for less, never more",
            Check.integer(0, 10_000_000), Service.AGENT),
    TRUSTED_KEYS("trusted.keys", "(none)", "job-signing public keys (.pub files or directories of them) whose jobs this agent runs",
            Check.PUBLIC_KEYS, Service.AGENT),
    ACCEPT_UNSIGNED("accept.unsigned", "false", "run unsigned jobs too (signed ones must still verify); only for closed labs",
            Check.BOOLEAN, Service.AGENT);

    /** The long-running services. */
    enum Service {
        COORDINATOR(9401), MATCHER(9402), AGENT(9403);

        final int metricsPort;

        Service(int metricsPort) {
            this.metricsPort = metricsPort;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The keys this service requires. */
        List<ConfigKeys> required() {
            List<ConfigKeys> r = new ArrayList<>();
            for (ConfigKeys k : ConfigKeys.values()) {
                if (k.services.contains(this) && k.defaultValue == null) {
                    r.add(k);
                }
            }
            return r;
        }
    }

    final String key;
    final String defaultValue;
    final String doc;
    final Check check;
    final Set<Service> services;

    ConfigKeys(String key, String defaultValue, String doc, Check check, Service... services) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.check = check;
        this.services = EnumSet.copyOf(Arrays.asList(services));
    }

    static ConfigKeys named(String key) {
        for (ConfigKeys k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        return null;
    }

    /** A value's check: null when fine, else what is wrong with it. */
    @FunctionalInterface
    interface Check {
        String problem(String value);

        Check ANY = v -> null;

        Check BOOLEAN = v -> v.equals("true") || v.equals("false") ? null : "must be true or false";

        Check PUBLIC_KEYS = v -> {
            try {
                return KeyFiles.trusted(v).isEmpty() ? "no .pub file there" : null;
            } catch (UserError e) {
                return e.getMessage();
            }
        };

        Check FILE = v -> Files.isRegularFile(Path.of(v)) ? null : "no such file";

        Check CIDRS = v -> {
            for (String s : v.split(",")) {
                try {
                    AddressBlock.parse(s.strip());
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            }
            return null;
        };

        Check SEGMENT_MAP = v -> {
            try {
                SegmentMap.parse(Arrays.asList(v.split(",")));
                return null;
            } catch (TargetException e) {
                return e.getMessage();
            }
        };

        Check PORTS = v -> {
            try {
                ScanCommand.parsePorts(v);
                return null;
            } catch (UserError e) {
                return e.getMessage();
            }
        };

        static Check integer(int min, int max) {
            return v -> {
                try {
                    int n = Integer.parseInt(v.strip());
                    if (n >= min && n <= max) {
                        return null;
                    }
                } catch (NumberFormatException e) {
                    // below
                }
                return "must be a whole number from " + min + " to " + max;
            };
        }
    }
}
