package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanfarm.wire.AddressBlock;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/**
 * The deployment artefacts, checked offline without a Docker engine or a cluster: docker-compose.yml (and
 * {@code docker-compose config} where installed), deploy/docker, deploy/k8s (and kubectl's own reading of it),
 * deploy/systemd (and {@code systemd-analyze} where installed). Configuration inside them is checked against the
 * keys and values the services accept (ServiceKeys), read the way ServiceConfig reads it.
 */
class DeploymentManifestsTest {

    private static final Path ROOT = root();
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final Path SYSTEMD = ROOT.resolve("deploy/systemd");
    private static final Path DOCKERFILE = ROOT.resolve("deploy/docker/Dockerfile");

    /** What the example configurations may probe: loopback and the lab's benchmarking range (RFC 2544). */
    private static final List<AddressBlock> LAB = List.of(AddressBlock.parse("127.0.0.0/8"), AddressBlock.parse("198.18.0.0/15"));

    /** Host variables docker-compose.yml reads; unset so the file's defaults are what gets checked. */
    private static final List<String> COMPOSE_VARIABLES = List.of("AGENT_ALLOWLIST", "AGENT_SEGMENT", "SCAN_SEGMENTS",
            "COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "COMPOSE_PROFILES");

    private static Path root() {
        Path cwd = Path.of("").toAbsolutePath();
        return Files.exists(cwd.resolve("docker-compose.yml")) ? cwd : cwd.getParent();
    }

    // ---------------------------------------------------------------- configuration, as the services read it

    /** A properties text with environment overrides, as ServiceConfig merges them (and checked against it). */
    private static Map<String, String> effective(String propertiesText, Map<String, String> env, String where) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(propertiesText));
        Map<String, String> out = new TreeMap<>();
        p.forEach((k, v) -> out.put(k.toString().strip(), v.toString().strip()));
        Map<String, String> overrides = new TreeMap<>();
        env.forEach((name, value) -> {
            String key = ServiceKeys.keyOfEnv(name);
            if (key != null) {
                out.put(key, value);
                overrides.put(name, value);
            }
        });
        Path tmp = Files.createTempFile("effective", ".properties");
        try {
            Files.writeString(tmp, propertiesText, StandardCharsets.ISO_8859_1);
            ServiceConfig real = ServiceConfig.load(tmp, overrides);
            out.forEach((key, value) -> assertEquals(value.isEmpty() ? null : value, real.get(key, null),
                    where + ": this test and ServiceConfig disagree on '" + key + "'"));
        } finally {
            Files.deleteIfExists(tmp);
        }
        return out;
    }

    private static int metricsPort(String service, Map<String, String> config) {
        return Integer.parseInt(config.getOrDefault("metrics.port", String.valueOf(ServiceKeys.DEFAULT_METRICS_PORT.get(service))));
    }

    private static void assertNoProblems(String service, Map<String, String> config, String where) {
        List<String> problems = ServiceKeys.problems(service, config);
        assertTrue(problems.isEmpty(), where + ": the " + service + " would not run with this configuration: " + problems);
    }

    /** Every CIDR routed to a segment by a coordinator lies in the allowlist of that segment's agents. */
    private static void assertRoutesReachAnAgent(Map<String, String> coordinator, List<Map<String, String>> agents, String where) {
        for (Map.Entry<AddressBlock, String> route : ServiceKeys.routes(coordinator.get("segments"))) {
            boolean served = agents.stream().anyMatch(a -> route.getValue().equals(a.get("segment"))
                    && ServiceKeys.covered(route.getKey(), ServiceKeys.blocks(a.get("allowlist"))));
            assertTrue(served, where + ": " + route.getKey() + " is routed to segment '" + route.getValue()
                    + "' but no agent of that segment may probe it (its jobs would all be refused)");
        }
    }

    // ---------------------------------------------------------------- docker-compose.yml

    private static JsonNode compose() throws IOException {
        List<JsonNode> docs = K8sManifest.documents(ROOT.resolve("docker-compose.yml"));
        assertEquals(1, docs.size(), "docker-compose.yml holds one YAML document");
        return docs.get(0);
    }

    /** ${NAME:-default} and ${NAME-default} resolved as compose does with NAME unset. */
    static String withDefaults(String s) {
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?-([^}]*))?}").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(3) == null ? "" : m.group(3)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        } else if (n.isTextual()) {
            for (String w : n.asText().trim().split("\\s+")) {
                out.add(w);
            }
        }
        return out;
    }

    private static Map<String, String> composeEnv(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = service.path("environment");
        if (e.isObject()) {
            e.properties().forEach(f -> env.put(f.getKey(), withDefaults(f.getValue().asText())));
        } else if (e.isArray()) {
            e.forEach(x -> {
                String s = x.asText();
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : withDefaults(s.substring(eq + 1)));
            });
        }
        return env;
    }

    private static String argAfter(List<String> args, String option) {
        int i = args.indexOf(option);
        return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
    }

    /** A scanfarm service of the compose file: its command, its config file on the host, its effective config. */
    private record ComposeRun(String name, JsonNode spec, String service, List<String> command, Map<String, String> config) {
        boolean oneShot() {
            return command.contains("--create-topics");
        }

        boolean hostNetwork() {
            return "host".equals(spec.path("network_mode").asText());
        }
    }

    private static List<ComposeRun> composeRuns(JsonNode compose) throws IOException {
        List<ComposeRun> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : compose.path("services").properties()) {
            List<String> command = strings(e.getValue().path("command"));
            if (command.isEmpty() || !ServiceKeys.services().contains(command.get(0))) {
                continue;
            }
            String where = "docker-compose.yml service " + e.getKey();
            String configPath = argAfter(command, "--config");
            assertNotNull(configPath, where + ": no --config FILE in its command");
            Path hostFile = null;
            for (String volume : strings(e.getValue().path("volumes"))) {
                String[] parts = volume.split(":");
                if (parts.length >= 2 && parts[1].equals(configPath)) {
                    hostFile = ROOT.resolve(parts[0]).normalize();
                }
            }
            assertNotNull(hostFile, where + ": nothing is mounted at " + configPath + ", the file its command reads");
            assertTrue(Files.isRegularFile(hostFile), where + ": mounts " + hostFile + ", which does not exist");
            assertTrue(hostFile.startsWith(ROOT.resolve("deploy/config")), where + ": config should come from deploy/config/");
            Map<String, String> config = effective(Files.readString(hostFile, StandardCharsets.ISO_8859_1), composeEnv(e.getValue()), where);
            out.add(new ComposeRun(e.getKey(), e.getValue(), command.get(0), command, config));
        }
        return out;
    }

    private static Map<String, String> composeCommandEnv() {
        Map<String, String> env = new HashMap<>();
        COMPOSE_VARIABLES.forEach(v -> env.put(v, null));
        return env;
    }

    private static Path dockerCompose() {
        Optional<Path> dc = ExternalCommand.find("docker-compose");
        assumeTrue(dc.isPresent(), "skipped: docker-compose is not installed "
                + "(./scanfarm test installs it as root on Debian/Ubuntu: apt-get install docker-compose)");
        return dc.get();
    }

    @Test
    void dockerComposeAcceptsTheComposeFileWithoutAnEngine() throws Exception {
        ExternalCommand.Result r = ExternalCommand.run(ROOT, composeCommandEnv(),
                List.of(dockerCompose().toString(), "-f", "docker-compose.yml", "config", "-q"), 120);
        assertEquals(0, r.exit(), "docker-compose config rejects docker-compose.yml:\n" + r.both());
    }

    @Test
    void dockerComposeResolvesTheAgentAllowlistToTheLabUnlessTheOperatorSetsIt() throws Exception {
        Path dc = dockerCompose();
        ExternalCommand.Result r = ExternalCommand.run(ROOT, composeCommandEnv(),
                List.of(dc.toString(), "-f", "docker-compose.yml", "config"), 120);
        assertEquals(0, r.exit(), r.both());
        String allowlist = resolvedAgentEnv(r.out()).get("SCANFARM_ALLOWLIST");
        assertNotNull(allowlist, "the agent's SCANFARM_ALLOWLIST, as docker-compose resolves it");
        for (AddressBlock b : ServiceKeys.blocks(allowlist)) {
            assertTrue(ServiceKeys.covered(b, LAB), "the agent's default allowlist reaches beyond the lab: " + b);
        }

        Map<String, String> env = composeCommandEnv();
        env.put("AGENT_ALLOWLIST", "192.0.2.0/24");
        ExternalCommand.Result widened = ExternalCommand.run(ROOT, env, List.of(dc.toString(), "-f", "docker-compose.yml", "config"), 120);
        assertEquals(0, widened.exit(), widened.both());
        assertEquals("192.0.2.0/24", resolvedAgentEnv(widened.out()).get("SCANFARM_ALLOWLIST"),
                "AGENT_ALLOWLIST set on the host becomes the agent's allowlist");
    }

    private static Map<String, String> resolvedAgentEnv(String composeConfigOutput) throws IOException {
        JsonNode resolved = K8sManifest.YAML.readTree(composeConfigOutput);
        for (Map.Entry<String, JsonNode> s : resolved.path("services").properties()) {
            List<String> command = strings(s.getValue().path("command"));
            if (!command.isEmpty() && command.get(0).equals("agent")) {
                return composeEnv(s.getValue());
            }
        }
        return fail("docker-compose config shows no agent service");
    }

    @Test
    void composeAgentProbesFromTheHostNetworkWithOnlyTheRawPacketCapabilities() throws Exception {
        List<ComposeRun> agents = composeRuns(compose()).stream().filter(r -> r.service().equals("agent")).toList();
        assertFalse(agents.isEmpty(), "docker-compose.yml runs no agent");
        for (ComposeRun a : agents) {
            String where = "docker-compose.yml service " + a.name();
            assertTrue(a.hostNetwork(), where + ": network_mode must be host, to probe what the host reaches");
            assertEquals(Set.of("NET_RAW", "NET_ADMIN"), new TreeSet<>(strings(a.spec().path("cap_add"))),
                    where + ": cap_add must be exactly NET_RAW and NET_ADMIN");
            assertTrue(strings(a.spec().path("cap_drop")).contains("ALL"), where + ": cap_drop must hold ALL");
            assertFalse(a.spec().path("privileged").asBoolean(false), where + ": must not be privileged");
            assertTrue(strings(a.spec().path("security_opt")).contains("no-new-privileges:true"),
                    where + ": security_opt must hold no-new-privileges:true");
            // Docker sets no ambient capabilities: a non-root user would hold none of cap_add in effect.
            String user = a.spec().path("user").asText("");
            assertEquals("0", user.split(":")[0], where + ": with cap_add the agent must run as uid 0 (Docker gives"
                    + " added capabilities to root only; the image's default user is not root)");
            if (a.spec().path("read_only").asBoolean(false)) {
                assertTrue(strings(a.spec().path("tmpfs")).stream().anyMatch(t -> t.startsWith("/tmp:") && t.contains("exec")
                        && !t.contains("noexec")), where + ": with read_only, /tmp must be a tmpfs with exec (JNA loads its library from it)");
            }
            for (AddressBlock b : ServiceKeys.blocks(a.config().get("allowlist"))) {
                assertTrue(ServiceKeys.covered(b, LAB), where + ": the default allowlist reaches beyond the lab: " + b);
            }
        }
    }

    @Test
    void composeRunsAtLeastTwoMatchersThatDoNotShareATransactionalId() throws Exception {
        List<ComposeRun> matchers = composeRuns(compose()).stream().filter(r -> r.service().equals("matcher")).toList();
        assertFalse(matchers.isEmpty(), "docker-compose.yml runs no matcher");
        int total = 0;
        for (ComposeRun m : matchers) {
            String where = "docker-compose.yml service " + m.name();
            JsonNode replicas = m.spec().path("deploy").path("replicas");
            JsonNode scale = m.spec().path("scale");
            if (!replicas.isMissingNode() && !scale.isMissingNode()) {
                assertEquals(replicas.asInt(), scale.asInt(), where + ": docker compose refuses distinct scale and deploy.replicas");
            }
            total += Math.max(replicas.asInt(1), scale.asInt(1));
            assertFalse(m.config().containsKey("instance.id"), where + ": instance.id is its Kafka transactional id;"
                    + " a value shared by replicas makes them fence each other (unset, each uses its host name)");
        }
        assertTrue(total >= 2, "docker-compose.yml runs " + total + " matcher(s); at least 2 are wanted");
    }

    @Test
    void composeKafkaServesTheComposeNetworkAndTheHostNetworkAgent() throws Exception {
        JsonNode compose = compose();
        String kafkaName = null;
        for (Map.Entry<String, JsonNode> s : compose.path("services").properties()) {
            if (s.getValue().path("image").asText().startsWith("apache/kafka:")) {
                kafkaName = s.getKey();
            }
        }
        assertNotNull(kafkaName, "docker-compose.yml runs no apache/kafka image");
        JsonNode kafka = compose.path("services").path(kafkaName);
        assertEquals("apache/kafka:4.1.0", kafka.path("image").asText());
        Map<String, String> env = composeEnv(kafka);
        assertEquals(Set.of("broker", "controller"), Set.of(env.getOrDefault("KAFKA_PROCESS_ROLES", "").split(",")),
                "a single KRaft node is broker and controller");
        for (String one : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
            assertEquals("1", env.get(one), one + " must be 1 on a single broker (groups and transactions stall otherwise)");
        }
        assertEquals("false", env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"),
                "topics must come from the coordinator with their partitions, not from the first consumer");
        assertFalse(strings(kafka.path("healthcheck").path("test")).isEmpty(), "the broker needs a healthcheck (others wait for it)");
        assertDoesNotThrow(() -> Uuid.fromString(env.get("CLUSTER_ID")), "CLUSTER_ID must be a Kafka cluster id (22 characters of"
                + " base64url, as kafka-storage.sh random-uuid prints), or the broker's storage cannot be formatted");

        Map<String, String> listeners = listenerMap(env.get("KAFKA_LISTENERS"));
        Map<String, String> advertised = listenerMap(env.get("KAFKA_ADVERTISED_LISTENERS"));
        Set<String> protocols = listenerMap(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").replace(":", "://")).keySet();
        assertTrue(protocols.containsAll(listeners.keySet()), "every listener needs a security protocol: " + protocols);
        for (Map.Entry<String, String> a : advertised.entrySet()) {
            assertTrue(listeners.containsKey(a.getKey()), "advertised listener " + a.getKey() + " is not a listener");
            assertEquals(port(listeners.get(a.getKey())), port(a.getValue()), "listener " + a.getKey()
                    + " is advertised on another port than it listens on (no port mapping applies inside the network)");
        }
        assertFalse(advertised.containsKey(env.get("KAFKA_CONTROLLER_LISTENER_NAMES")), "the controller listener is not for clients");

        String finalKafkaName = kafkaName;
        String internal = advertised.values().stream().filter(a -> a.startsWith(finalKafkaName + ":")).findFirst()
                .orElseGet(() -> fail("no listener is advertised as " + finalKafkaName + ":PORT for the compose network"));
        String host = advertised.values().stream().filter(a -> a.startsWith("127.0.0.1:") || a.startsWith("localhost:")).findFirst()
                .orElseGet(() -> fail("no listener is advertised on the host's loopback for the host-network agent"));
        String published = "127.0.0.1:" + port(host) + ":" + port(host);
        assertTrue(strings(kafka.path("ports")).contains(published), "the host listener must be published as " + published
                + " (loopback only)");

        for (ComposeRun r : composeRuns(compose)) {
            String expected = r.hostNetwork() ? host : internal;
            assertEquals(expected, r.config().get("kafka.bootstrap.servers"), "docker-compose.yml service " + r.name()
                    + (r.hostNetwork() ? " is on the host's network" : " is on the compose network") + ": its bootstrap servers");
        }
    }

    private static Map<String, String> listenerMap(String spec) {
        assertNotNull(spec, "a Kafka listener setting is missing");
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : spec.split(",")) {
            int sep = l.indexOf("://");
            assertTrue(sep > 0, "not NAME://host:port: " + l);
            out.put(l.substring(0, sep).strip(), l.substring(sep + 3).strip());
        }
        return out;
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    @Test
    void composeServicesStartInOrderFromConfigTheyUnderstand() throws Exception {
        JsonNode compose = compose();
        List<ComposeRun> runs = composeRuns(compose);
        assertEquals(Set.of("coordinator", "matcher", "agent"), runs.stream().map(ComposeRun::service).collect(Collectors.toSet()),
                "docker-compose.yml runs every service");
        List<ComposeRun> oneShots = runs.stream().filter(ComposeRun::oneShot).toList();
        assertEquals(1, oneShots.size(), "one service creates the topics (coordinator --create-topics)");
        ComposeRun topics = oneShots.get(0);
        assertEquals("coordinator", topics.service());
        assertEquals("no", topics.spec().path("restart").asText("no"), "the topics one-shot must not be restarted");
        assertTrue(topics.spec().path("depends_on").path("kafka").path("condition").asText().equals("service_healthy"),
                "the topics one-shot waits for a healthy broker");
        for (ComposeRun r : runs) {
            String where = "docker-compose.yml service " + r.name();
            assertNoProblems(r.service(), r.config(), where);
            JsonNode target = r.spec().path("build").path("target");
            if (!target.isMissingNode()) {
                assertEquals(r.service(), target.asText(), where + ": built from another image target than the service it runs");
                assertEquals("deploy/docker/Dockerfile", r.spec().path("build").path("dockerfile").asText(), where);
            }
            if (!r.oneShot()) {
                assertEquals("service_completed_successfully", r.spec().path("depends_on").path(topics.name()).path("condition").asText(),
                        where + ": must start after the topics exist");
            }
            for (String mapping : strings(r.spec().path("ports"))) {
                String[] parts = mapping.split(":");
                assertEquals(metricsPort(r.service(), r.config()), Integer.parseInt(parts[parts.length - 1].split("/")[0]),
                        where + ": publishes " + mapping + ", not its metrics port");
            }
        }
        List<Map<String, String>> agents = runs.stream().filter(r -> r.service().equals("agent")).map(ComposeRun::config).toList();
        for (ComposeRun c : runs) {
            if (c.service().equals("coordinator")) {
                assertRoutesReachAnAgent(c.config(), agents, "docker-compose.yml service " + c.name());
            }
        }
    }

    @Test
    void exampleConfigFilesHoldOnlyKeysTheServicesRead() throws Exception {
        for (String service : ServiceKeys.services()) {
            Path file = ROOT.resolve("deploy/config/" + service + ".properties");
            assertTrue(Files.isRegularFile(file), file + " is missing");
            Map<String, String> config = effective(Files.readString(file, StandardCharsets.ISO_8859_1), Map.of(), file.toString());
            assertNoProblems(service, config, file.toString());
            assertEquals(ServiceKeys.DEFAULT_METRICS_PORT.get(service), metricsPort(service, config),
                    file + ": the example uses the service's default metrics port");
        }
    }

    // ---------------------------------------------------------------- deploy/docker

    /** The Dockerfile's stages: name to its lines, and name to the stage it is built FROM. */
    private record Stages(Map<String, List<String>> lines, Map<String, String> from) {
        /** The lines of a stage and of the stages it is built on, base first. */
        List<String> chain(String stage) {
            List<String> out = new ArrayList<>();
            if (from.containsKey(from.get(stage))) {
                out.addAll(chain(from.get(stage)));
            }
            out.addAll(lines.get(stage));
            return out;
        }
    }

    private static Stages stages() throws IOException {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        List<String> current = null;
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(DOCKERFILE)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            line = pending + line;
            pending.setLength(0);
            Matcher m = Pattern.compile("(?i)FROM\\s+(\\S+)\\s+AS\\s+(\\S+)").matcher(line);
            if (m.matches()) {
                current = new ArrayList<>();
                lines.put(m.group(2), current);
                from.put(m.group(2), m.group(1));
            } else if (current != null) {
                current.add(line);
            }
        }
        return new Stages(lines, from);
    }

    private static Optional<String> instruction(List<String> lines, String name) {
        String last = null;
        for (String l : lines) {
            if (l.regionMatches(true, 0, name + " ", 0, name.length() + 1)) {
                last = l.substring(name.length() + 1).strip();
            }
        }
        return Optional.ofNullable(last);
    }

    @Test
    void dockerfileBuildsOneImagePerServiceWithWhatEachNeeds() throws Exception {
        Stages stages = stages();
        String build = stages.from().entrySet().stream().filter(e -> e.getValue().startsWith("maven:")).map(Map.Entry::getKey)
                .findFirst().orElseGet(() -> fail("no stage builds the jar with Maven"));
        assertEquals("maven:3-eclipse-temurin-17", stages.from().get(build));
        Map<String, String> needs = Map.of("matcher", "nmap-common", "agent", "libpcap0.8");
        for (String service : ServiceKeys.services()) {
            assertTrue(stages.lines().containsKey(service), "no image target '" + service + "' in " + DOCKERFILE);
            List<String> chain = stages.chain(service);
            String where = DOCKERFILE + " target " + service;
            String installs = chain.stream().filter(l -> l.contains("apt-get install")).collect(Collectors.joining(" "));
            assertTrue(installs.contains("openjdk-17-jre-headless") || chain.toString().contains("eclipse-temurin:17-jre")
                    || stages.from().get(service).startsWith("eclipse-temurin:17-jre"), where + ": no Java 17 runtime");
            if (needs.containsKey(service)) {
                assertTrue(installs.matches(".*\\b" + Pattern.quote(needs.get(service)) + "\\b.*"),
                        where + ": must install " + needs.get(service));
            }
            String cmd = instruction(chain, "CMD").orElseGet(() -> fail(where + ": no CMD"));
            List<String> argv = strings(K8sManifest.YAML.readTree(cmd));
            assertEquals(service, argv.get(0), where + ": CMD runs another service");
            assertEquals("/etc/scanfarm/" + service + ".properties", argAfter(argv, "--config"), where);
            assertTrue(chain.stream().anyMatch(l -> l.matches("(?i)COPY\\s+deploy/config/" + service + "\\.properties\\s+/etc/scanfarm/"
                    + service + "\\.properties")), where + ": does not put its default config where CMD reads it");
            String user = instruction(chain, "USER").orElseGet(() -> fail(where + ": no USER (it would run as root)"));
            assertFalse(user.split(":")[0].equals("0") || user.startsWith("root"), where + ": USER must not be root");
            assertEquals(String.valueOf(ServiceKeys.DEFAULT_METRICS_PORT.get(service)), instruction(chain, "EXPOSE").orElse(""),
                    where + ": EXPOSE the metrics port");
            instruction(chain, "HEALTHCHECK").ifPresent(h -> {
                assertTrue(h.contains("/healthz"), where + ": HEALTHCHECK should ask /healthz");
                if (h.contains("curl")) {
                    assertTrue(installs.contains("curl"), where + ": HEALTHCHECK uses curl, which is not installed");
                }
            });
        }
        String entrypoint = instruction(stages.chain("agent"), "ENTRYPOINT").orElseGet(() -> fail("no ENTRYPOINT"));
        String jar = argAfter(strings(K8sManifest.YAML.readTree(entrypoint)), "-jar");
        for (String service : ServiceKeys.services()) {
            assertTrue(stages.chain(service).stream().anyMatch(l -> l.matches("(?i)COPY\\s+--from=" + Pattern.quote(build) + "\\s+\\S+\\s+"
                    + Pattern.quote(jar))), DOCKERFILE + " target " + service + ": the jar its ENTRYPOINT runs (" + jar
                    + ") is not copied from the build stage");
        }
        for (String l : Files.readAllLines(DOCKERFILE)) {
            if (l.strip().matches("(?i)(COPY|ADD)\\s.*")) {
                assertFalse(l.contains("nmap-os-db"), "the OS database must come from nmap-common, never be copied: " + l);
            }
        }
    }

    @Test
    void composeAndKubernetesRunTheSameImageForEachService() throws Exception {
        Map<String, String> composeImages = new TreeMap<>();
        for (ComposeRun r : composeRuns(compose())) {
            String previous = composeImages.put(r.service(), r.spec().path("image").asText());
            assertTrue(previous == null || previous.equals(composeImages.get(r.service())),
                    "docker-compose.yml names two images for the " + r.service() + ": " + previous + ", " + composeImages.get(r.service()));
        }
        Map<String, String> k8sImages = new TreeMap<>();
        for (K8sManifest w : manifests().stream().filter(K8sManifest::isWorkload).toList()) {
            for (JsonNode c : containers(w)) {
                k8sImages.put(serviceOf(w, c), c.path("image").asText());
            }
        }
        assertEquals(composeImages, k8sImages, "docker-compose.yml builds the images deploy/k8s runs, under the same names");
    }

    @Test
    void dockerignoreKeepsBuildOutputAndTheOsDatabaseOutButNotWhatTheBuildCopies() throws Exception {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertTrue(ignored.contains("**/target/") || ignored.contains("**/target"), ".dockerignore must leave out Maven's target/");
        assertTrue(ignored.stream().anyMatch(l -> l.contains("nmap-os-db")), ".dockerignore must leave out any nmap-os-db");
        assertTrue(ignored.contains(".git/") || ignored.contains(".git"), ".dockerignore must leave out .git");
        for (String l : Files.readAllLines(DOCKERFILE)) {
            Matcher m = Pattern.compile("(?i)\\s*COPY\\s+(?!--from)(\\S+)\\s+\\S+\\s*").matcher(l);
            if (m.matches() && !m.group(1).equals(".")) {
                for (String pattern : ignored) {
                    String p = pattern.replaceAll("/$", "");
                    assertFalse(m.group(1).equals(p) || m.group(1).startsWith(p + "/"),
                            ".dockerignore's '" + pattern + "' leaves out " + m.group(1) + ", which the Dockerfile copies");
                }
            }
        }
    }

    // ---------------------------------------------------------------- deploy/k8s

    private static List<K8sManifest> manifests() throws IOException {
        List<K8sManifest> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path f : files.sorted().toList()) {
                List<JsonNode> docs = K8sManifest.documents(f);
                assertEquals(1, docs.size(), f + ": one object per file");
                out.add(new K8sManifest(f, docs.get(0)));
            }
        }
        assertFalse(out.isEmpty(), "no manifests in " + K8S);
        return out;
    }

    private static K8sManifest find(List<K8sManifest> all, String kind, String name) {
        return all.stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).findFirst().orElse(null);
    }

    private static List<JsonNode> containers(K8sManifest workload) {
        List<JsonNode> out = new ArrayList<>();
        workload.podSpec().path("containers").forEach(out::add);
        return out;
    }

    private static String where(K8sManifest m, JsonNode container) {
        return m.file().getFileName() + " container " + container.path("name").asText();
    }

    private static String serviceOf(K8sManifest m, JsonNode container) {
        assertTrue(container.path("command").isMissingNode(), where(m, container)
                + ": command would replace the image's entrypoint (java -jar scanfarm.jar); give the service in args");
        List<String> args = strings(container.path("args"));
        assertFalse(args.isEmpty(), where(m, container) + ": no args naming the service");
        return args.get(0);
    }

    private static Map<String, String> podEnv(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(),
                e.has("valueFrom") ? ServiceKeys.FROM_PLATFORM : e.path("value").asText()));
        return env;
    }

    /** The properties file a container's --config names, found through its volume mounts in a ConfigMap. */
    private static String configText(List<K8sManifest> all, K8sManifest m, JsonNode container) {
        String where = where(m, container);
        String path = argAfter(strings(container.path("args")), "--config");
        assertNotNull(path, where + ": no --config FILE");
        for (JsonNode mount : container.path("volumeMounts")) {
            String mountPath = mount.path("mountPath").asText();
            String key;
            if (mount.has("subPath")) {
                key = mountPath.equals(path) ? mount.path("subPath").asText() : null;
            } else {
                key = path.startsWith(mountPath + "/") ? path.substring(mountPath.length() + 1) : null;
            }
            if (key == null) {
                continue;
            }
            for (JsonNode volume : m.podSpec().path("volumes")) {
                if (volume.path("name").asText().equals(mount.path("name").asText()) && volume.has("configMap")) {
                    for (JsonNode item : volume.path("configMap").path("items")) {
                        if (item.path("path").asText().equals(key)) {
                            key = item.path("key").asText();
                        }
                    }
                    String cmName = volume.path("configMap").path("name").asText();
                    K8sManifest cm = find(all, "ConfigMap", cmName);
                    assertNotNull(cm, where + ": mounts ConfigMap " + cmName + ", which no manifest defines");
                    JsonNode text = cm.node().path("data").path(key);
                    assertTrue(text.isTextual(), where + ": reads " + path + " but ConfigMap " + cmName + " has no key '" + key + "'");
                    return text.asText();
                }
            }
        }
        return fail(where + ": no ConfigMap is mounted at " + path);
    }

    private static Map<String, String> containerConfig(List<K8sManifest> all, K8sManifest m, JsonNode container) throws IOException {
        return effective(configText(all, m, container), podEnv(container), where(m, container));
    }

    private static int resolvePort(K8sManifest m, JsonNode container, JsonNode port) {
        if (port.isInt() || port.asText().matches("\\d+")) {
            return port.asInt(Integer.parseInt(port.asText("0")));
        }
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(port.asText())) {
                return p.path("containerPort").asInt();
            }
        }
        return fail(where(m, container) + ": no container port named '" + port.asText() + "'");
    }

    @Test
    void k8sHoldsOneObjectPerFileNamedAndNumberedInApplyOrder() throws Exception {
        List<K8sManifest> all = manifests();
        Pattern name = Pattern.compile("(\\d{3})-([A-Za-z]+)-([a-z0-9][a-z0-9.-]*)\\.yaml");
        Set<Integer> numbers = new TreeSet<>();
        for (K8sManifest m : all) {
            Matcher f = name.matcher(m.file().getFileName().toString());
            assertTrue(f.matches(), m.file() + ": not named NNN-Kind-name.yaml");
            assertEquals(f.group(2), m.kind(), m.file() + ": the kind in its name");
            assertEquals(f.group(3), m.name(), m.file() + ": the object's name in its file name");
            assertTrue(numbers.add(m.order()), m.file() + ": number " + f.group(1) + " is used twice");
            assertFalse(m.node().path("apiVersion").asText().isEmpty(), m.file() + ": no apiVersion");
        }
        K8sManifest first = all.get(0);
        assertEquals("Namespace", first.kind(), "the Namespace comes first");
        for (K8sManifest m : all.subList(1, all.size())) {
            assertEquals(first.name(), m.namespace(), m.file() + ": not in namespace " + first.name());
        }
    }

    @Test
    void kubectlReadsEveryManifestAsTheseTestsDo() throws Exception {
        Optional<Path> kubectl = ExternalCommand.find("kubectl");
        assumeTrue(kubectl.isPresent(), "skipped: kubectl is not installed");
        // `kubectl create --dry-run=client` still asks an API server for its resource types (and --validate for
        // the schema), so with no cluster the offline reading is `label --local`: kubectl's own decoder, no server.
        Map<String, String> env = new HashMap<>();
        env.put("KUBECONFIG", ROOT.resolve("cli/target/no-kubeconfig").toString());
        ExternalCommand.Result r = ExternalCommand.run(ROOT, env, List.of(kubectl.get().toString(), "label", "--local",
                "-f", K8S.toString(), "scanfarm.io/checked=true", "-o", "name"), 120);
        assertEquals(0, r.exit(), "kubectl cannot read deploy/k8s:\n" + r.both());
        List<String> expected = manifests().stream().map(K8sManifest::kubectlName).toList();
        assertEquals(expected, r.out().lines().map(String::strip).filter(l -> !l.isEmpty()).toList(),
                "kubectl reads other objects from deploy/k8s than the YAML parser does");
    }

    @Test
    void k8sReferencesResolveToObjectsAppliedBefore() throws Exception {
        List<K8sManifest> all = manifests();
        for (K8sManifest w : all.stream().filter(K8sManifest::isWorkload).toList()) {
            String sa = w.podSpec().path("serviceAccountName").asText(null);
            if (sa != null) {
                K8sManifest account = find(all, "ServiceAccount", sa);
                assertNotNull(account, w.file() + ": ServiceAccount " + sa + " is not defined");
                assertTrue(account.order() < w.order(), w.file() + ": applied before its ServiceAccount");
            }
            for (JsonNode volume : w.podSpec().path("volumes")) {
                if (volume.has("configMap")) {
                    K8sManifest cm = find(all, "ConfigMap", volume.path("configMap").path("name").asText());
                    assertNotNull(cm, w.file() + ": volume " + volume.path("name").asText() + " names a ConfigMap no manifest defines");
                    assertTrue(cm.order() < w.order(), w.file() + ": applied before ConfigMap " + cm.name());
                }
            }
            for (JsonNode c : containers(w)) {
                for (JsonNode e : c.path("env")) {
                    JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                    if (!ref.isMissingNode()) {
                        K8sManifest secret = find(all, "Secret", ref.path("name").asText());
                        assertNotNull(secret, where(w, c) + ": Secret " + ref.path("name").asText() + " is not defined");
                        assertTrue(secret.order() < w.order(), where(w, c) + ": applied before Secret " + secret.name());
                        String key = ref.path("key").asText();
                        assertTrue(secret.node().path("stringData").has(key) || secret.node().path("data").has(key),
                                where(w, c) + ": Secret " + secret.name() + " has no key " + key);
                    }
                }
            }
        }
    }

    @Test
    void k8sWorkloadsRunServicesFromConfigMapsTheyUnderstand() throws Exception {
        List<K8sManifest> all = manifests();
        Set<String> bootstrap = new TreeSet<>();
        Set<String> services = new TreeSet<>();
        for (K8sManifest w : all.stream().filter(K8sManifest::isWorkload).toList()) {
            for (JsonNode c : containers(w)) {
                String service = serviceOf(w, c);
                services.add(service);
                Map<String, String> config = containerConfig(all, w, c);
                assertNoProblems(service, config, where(w, c));
                bootstrap.add(config.get("kafka.bootstrap.servers"));
                String image = c.path("image").asText();
                assertTrue(image.matches(".*/" + Pattern.quote(service) + ":[^/]+"), where(w, c) + ": runs " + service
                        + " from image " + image + " (built for another service?)");
            }
        }
        assertEquals(Set.of("coordinator", "matcher", "agent"), services, "deploy/k8s runs every service");
        assertEquals(1, bootstrap.size(), "the services are pointed at different Kafka clusters: " + bootstrap);
        K8sManifest job = all.stream().filter(m -> m.kind().equals("Job")).findFirst().orElseGet(() -> fail("no topic-creation Job"));
        List<String> args = strings(containers(job).get(0).path("args"));
        assertEquals("coordinator", args.get(0));
        assertTrue(args.contains("--create-topics"), job.file() + ": the Job must only create the topics (--create-topics)");
        assertTrue(Set.of("OnFailure", "Never").contains(job.podSpec().path("restartPolicy").asText()), job.file() + ": restartPolicy");
    }

    @Test
    void k8sLongRunningServicesHaveProbesResourcesAndScrapeAnnotationsOnTheirMetricsPort() throws Exception {
        List<K8sManifest> all = manifests();
        List<K8sManifest> running = all.stream().filter(m -> m.kind().equals("Deployment") || m.kind().equals("DaemonSet")).toList();
        assertFalse(running.isEmpty());
        for (K8sManifest w : running) {
            JsonNode selector = w.node().path("spec").path("selector").path("matchLabels");
            JsonNode labels = w.podTemplateMetadata().path("labels");
            assertTrue(selector.size() > 0, w.file() + ": no selector.matchLabels");
            selector.properties().forEach(f -> assertEquals(f.getValue().asText(), labels.path(f.getKey()).asText(null),
                    w.file() + ": the selector does not select its own pods (" + f.getKey() + ")"));
            for (JsonNode c : containers(w)) {
                String where = where(w, c);
                String service = serviceOf(w, c);
                int metrics = metricsPort(service, containerConfig(all, w, c));
                for (String[] probe : List.of(new String[] {"livenessProbe", "/healthz"}, new String[] {"readinessProbe", "/readyz"})) {
                    JsonNode get = c.path(probe[0]).path("httpGet");
                    assertEquals(probe[1], get.path("path").asText(null), where + ": " + probe[0] + " must ask " + probe[1]);
                    assertEquals(metrics, resolvePort(w, c, get.path("port")), where + ": " + probe[0] + " is not on the metrics port");
                }
                JsonNode annotations = w.podTemplateMetadata().path("annotations");
                assertEquals("true", annotations.path("prometheus.io/scrape").asText(null), where + ": prometheus.io/scrape");
                assertEquals(String.valueOf(metrics), annotations.path("prometheus.io/port").asText(null), where + ": prometheus.io/port");
                assertEquals("/metrics", annotations.path("prometheus.io/path").asText("/metrics"), where + ": prometheus.io/path");
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertFalse(c.path("resources").path(kind).path(resource).asText("").isEmpty(),
                                where + ": resources." + kind + "." + resource + " is not set");
                    }
                }
            }
        }
    }

    @Test
    void k8sMatcherIsAutoscaledOnCpuAndItsMetricsAreAService() throws Exception {
        List<K8sManifest> all = manifests();
        List<K8sManifest> matchers = all.stream().filter(m -> m.kind().equals("Deployment"))
                .filter(m -> containers(m).stream().anyMatch(c -> serviceOf(m, c).equals("matcher"))).toList();
        assertEquals(1, matchers.size(), "one Deployment runs the matcher");
        K8sManifest matcher = matchers.get(0);
        JsonNode container = containers(matcher).get(0);
        Map<String, String> config = containerConfig(all, matcher, container);
        Map<String, String> env = podEnv(container);
        if (config.containsKey("instance.id")) {
            assertEquals(ServiceKeys.FROM_PLATFORM, env.get("SCANFARM_INSTANCE_ID"), matcher.file() + ": instance.id is the"
                    + " Kafka transactional id; it must come from each pod (fieldRef metadata.name), not be shared by replicas");
        }

        List<K8sManifest> hpas = all.stream().filter(m -> m.kind().equals("HorizontalPodAutoscaler")
                && m.node().path("spec").path("scaleTargetRef").path("name").asText().equals(matcher.name())).toList();
        assertEquals(1, hpas.size(), "one HorizontalPodAutoscaler scales " + matcher.name());
        K8sManifest hpa = hpas.get(0);
        assertEquals("autoscaling/v2", hpa.node().path("apiVersion").asText());
        assertEquals("Deployment", hpa.node().path("spec").path("scaleTargetRef").path("kind").asText());
        int min = hpa.node().path("spec").path("minReplicas").asInt(1);
        int max = hpa.node().path("spec").path("maxReplicas").asInt();
        assertTrue(min >= 2, hpa.file() + ": minReplicas " + min + " (at least 2 matchers)");
        assertTrue(max >= min, hpa.file() + ": maxReplicas below minReplicas");
        JsonNode cpu = null;
        for (JsonNode metric : hpa.node().path("spec").path("metrics")) {
            if (metric.path("type").asText().equals("Resource") && metric.path("resource").path("name").asText().equals("cpu")) {
                cpu = metric.path("resource").path("target");
            }
        }
        assertNotNull(cpu, hpa.file() + ": no CPU metric");
        assertEquals("Utilization", cpu.path("type").asText());
        int target = cpu.path("averageUtilization").asInt();
        assertTrue(target > 0 && target <= 100, hpa.file() + ": averageUtilization " + target);
        assertFalse(container.path("resources").path("requests").path("cpu").asText("").isEmpty(),
                matcher.file() + ": a CPU utilization target needs a CPU request");
        assertTrue(matcher.node().path("spec").path("replicas").isMissingNode(),
                matcher.file() + ": replicas would be reset by every apply; the autoscaler owns it");

        K8sManifest coordinator = all.stream().filter(m -> m.kind().equals("Deployment"))
                .filter(m -> containers(m).stream().anyMatch(c -> serviceOf(m, c).equals("coordinator"))).findFirst()
                .orElseGet(() -> fail("no coordinator Deployment"));
        int partitions = Integer.parseInt(containerConfig(all, coordinator, containers(coordinator).get(0)).getOrDefault("partitions", "4"));
        assertTrue(max <= partitions, hpa.file() + ": maxReplicas " + max + " is more than the " + partitions
                + " partitions of scanfarm.observations (the extra matchers would sit idle)");

        List<K8sManifest> services = all.stream().filter(m -> m.kind().equals("Service")).filter(s -> {
            JsonNode sel = s.node().path("spec").path("selector");
            JsonNode labels = matcher.podTemplateMetadata().path("labels");
            List<Boolean> matches = new ArrayList<>();
            sel.properties().forEach(f -> matches.add(f.getValue().asText().equals(labels.path(f.getKey()).asText(null))));
            return sel.size() > 0 && !matches.contains(false);
        }).toList();
        assertEquals(1, services.size(), "one Service selects the matcher pods");
        int metrics = metricsPort("matcher", config);
        boolean served = false;
        for (JsonNode p : services.get(0).node().path("spec").path("ports")) {
            served |= resolvePort(matcher, container, p.path("targetPort").isMissingNode() ? p.path("port") : p.path("targetPort")) == metrics;
        }
        assertTrue(served, services.get(0).file() + ": no port leads to the matchers' metrics port " + metrics);
    }

    @Test
    void k8sAgentDaemonSetProbesFromItsNodesWithOnlyTheRawPacketCapabilities() throws Exception {
        List<K8sManifest> all = manifests();
        List<K8sManifest> agents = all.stream().filter(m -> m.kind().equals("DaemonSet")).toList();
        assertFalse(agents.isEmpty(), "no agent DaemonSet");
        List<Map<String, String>> agentConfigs = new ArrayList<>();
        for (K8sManifest a : agents) {
            JsonNode spec = a.podSpec();
            assertTrue(spec.path("hostNetwork").asBoolean(false), a.file() + ": hostNetwork must be true (probes leave from the node)");
            assertEquals("ClusterFirstWithHostNet", spec.path("dnsPolicy").asText(), a.file()
                    + ": with hostNetwork, only ClusterFirstWithHostNet resolves the Kafka service's name");
            String segmentLabel = spec.path("nodeSelector").path("scanfarm.io/sensor-segment").asText(null);
            assertNotNull(segmentLabel, a.file() + ": nodeSelector scanfarm.io/sensor-segment picks the segment's sensor nodes");
            for (JsonNode c : containers(a)) {
                String where = where(a, c);
                assertEquals("agent", serviceOf(a, c), where);
                JsonNode sc = c.path("securityContext");
                assertEquals(Set.of("NET_RAW", "NET_ADMIN"), new TreeSet<>(strings(sc.path("capabilities").path("add"))),
                        where + ": capabilities.add must be exactly NET_RAW and NET_ADMIN");
                assertEquals(List.of("ALL"), strings(sc.path("capabilities").path("drop")), where + ": capabilities.drop ALL");
                assertFalse(sc.path("privileged").asBoolean(false), where + ": must not be privileged");
                assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), where + ": allowPrivilegeEscalation must be false");
                assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(false), where + ": readOnlyRootFilesystem");
                // Added capabilities are in effect for uid 0 only (Kubernetes sets no ambient capabilities).
                JsonNode uid = sc.has("runAsUser") ? sc.path("runAsUser") : spec.path("securityContext").path("runAsUser");
                assertEquals(0, uid.asInt(-1), where + ": as a non-root user the agent would hold neither capability in"
                        + " effect and stop at start; run it as uid 0 with only these two (see the file's comment)");
                Map<String, String> config = containerConfig(all, a, c);
                assertEquals(segmentLabel, config.get("segment"), where + ": runs on the nodes of segment '" + segmentLabel
                        + "' but takes the jobs of segment '" + config.get("segment") + "'");
                agentConfigs.add(config);
            }
        }
        for (K8sManifest w : all.stream().filter(K8sManifest::isWorkload).toList()) {
            for (JsonNode c : containers(w)) {
                if (serviceOf(w, c).equals("coordinator")) {
                    assertRoutesReachAnAgent(containerConfig(all, w, c), agentConfigs, where(w, c));
                }
            }
        }
    }

    @Test
    void k8sOtherWorkloadsRunAsNonRootWithoutCapabilities() throws Exception {
        for (K8sManifest w : manifests().stream().filter(K8sManifest::isWorkload).filter(m -> !m.kind().equals("DaemonSet")).toList()) {
            assertFalse(w.podSpec().path("hostNetwork").asBoolean(false), w.file() + ": only agents use the host's network");
            assertTrue(w.podSpec().path("securityContext").path("runAsNonRoot").asBoolean(false), w.file() + ": runAsNonRoot");
            assertNotEquals(0, w.podSpec().path("securityContext").path("runAsUser").asInt(0), w.file() + ": runAsUser must not be 0");
            for (JsonNode c : containers(w)) {
                JsonNode sc = c.path("securityContext");
                assertTrue(strings(sc.path("capabilities").path("add")).isEmpty(), where(w, c) + ": adds capabilities");
                assertEquals(List.of("ALL"), strings(sc.path("capabilities").path("drop")), where(w, c) + ": capabilities.drop ALL");
                assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), where(w, c) + ": allowPrivilegeEscalation must be false");
            }
        }
    }

    @Test
    void k8sSecretIsAMarkedPlaceholder() throws Exception {
        List<K8sManifest> secrets = manifests().stream().filter(m -> m.kind().equals("Secret")).toList();
        assertFalse(secrets.isEmpty(), "no Secret template for the Kafka credentials");
        for (K8sManifest s : secrets) {
            assertTrue(s.node().path("metadata").path("annotations").has("scanfarm.io/template"),
                    s.file() + ": mark the template (annotation scanfarm.io/template)");
            assertTrue(s.node().path("data").isMissingNode(), s.file() + ": a template holds readable stringData only");
            s.node().path("stringData").properties().forEach(f -> {
                Matcher quoted = Pattern.compile("=\\s*\"([^\"]*)\"").matcher(f.getValue().asText());
                int placeholders = 0;
                while (quoted.find()) {
                    assertEquals("CHANGE-ME", quoted.group(1), s.file() + ": " + f.getKey() + " holds a value that is not the"
                            + " CHANGE-ME placeholder; real credentials never go into the repository");
                    placeholders++;
                }
                assertTrue(placeholders > 0 || f.getValue().asText().equals("CHANGE-ME"),
                        s.file() + ": " + f.getKey() + " must be a CHANGE-ME placeholder");
            });
        }
    }

    // ---------------------------------------------------------------- deploy/systemd

    private static UnitFile unit(String service) throws IOException {
        Path file = SYSTEMD.resolve("scanfarm-" + service + ".service");
        assertTrue(Files.isRegularFile(file), file + " is missing");
        return UnitFile.read(file);
    }

    private static void assertCommonHardening(String service, UnitFile u) {
        String where = "scanfarm-" + service + ".service";
        String user = u.last("Service.User");
        assertNotNull(user, where + ": no User= (it would run as root)");
        assertFalse(user.equals("root") || user.equals("0"), where + ": User= must not be root");
        assertFalse(u.has("Service.DynamicUser"), where + ": runs as the dedicated user, not a dynamic one");
        assertEquals("yes", u.last("Service.NoNewPrivileges"), where + ": NoNewPrivileges=yes");
        assertEquals("strict", u.last("Service.ProtectSystem"), where + ": ProtectSystem=strict");
        assertEquals("yes", u.last("Service.ProtectHome"), where + ": ProtectHome=yes");
        assertEquals("yes", u.last("Service.PrivateTmp"), where + ": PrivateTmp=yes");
        assertEquals("on-failure", u.last("Service.Restart"), where + ": Restart=on-failure");
        assertFalse("yes".equals(u.last("Service.MemoryDenyWriteExecute")), where + ": MemoryDenyWriteExecute breaks the JVM's JIT");
        assertEquals("/usr/bin/java -jar /opt/scanfarm/scanfarm.jar " + service + " --config /etc/scanfarm/" + service + ".properties",
                u.last("Service.ExecStart"), where + ": ExecStart");
        assertTrue(Files.isRegularFile(ROOT.resolve("deploy/config/" + service + ".properties")),
                where + ": the file to install as /etc/scanfarm/" + service + ".properties is missing from deploy/config");
    }

    @Test
    void systemdAgentUnitHoldsOnlyTheRawPacketCapabilitiesAsANonRootUser() throws Exception {
        UnitFile u = unit("agent");
        assertCommonHardening("agent", u);
        Set<String> raw = Set.of("CAP_NET_RAW", "CAP_NET_ADMIN");
        assertEquals(raw, new TreeSet<>(u.words("Service.AmbientCapabilities")), "AmbientCapabilities= (in effect for a non-root user)");
        assertEquals(raw, new TreeSet<>(u.words("Service.CapabilityBoundingSet")), "CapabilityBoundingSet= the same two, nothing more");
        for (String breaks : List.of("Service.PrivateNetwork", "Service.PrivateUsers")) {
            assertFalse("yes".equals(u.last(breaks)), breaks + "=yes would take the agent off the host's network or its capabilities");
        }
        List<String> families = u.words("Service.RestrictAddressFamilies");
        if (!families.isEmpty()) {
            assertTrue(families.containsAll(List.of("AF_INET", "AF_PACKET", "AF_NETLINK")),
                    "RestrictAddressFamilies= must allow raw IP (AF_INET), capture (AF_PACKET) and interface look-ups (AF_NETLINK)");
        }
    }

    @Test
    void systemdMatcherAndCoordinatorUnitsHoldNoCapabilities() throws Exception {
        for (String service : List.of("matcher", "coordinator")) {
            UnitFile u = unit(service);
            assertCommonHardening(service, u);
            assertTrue(u.has("Service.CapabilityBoundingSet") && u.words("Service.CapabilityBoundingSet").isEmpty(),
                    service + ": CapabilityBoundingSet= (empty: no capabilities)");
            assertTrue(u.words("Service.AmbientCapabilities").isEmpty(), service + ": needs no AmbientCapabilities");
        }
    }

    @Test
    void systemdAnalyzeFindsNothingWrongAndRatesTheUnitsHardened() throws Exception {
        Optional<Path> analyze = ExternalCommand.find("systemd-analyze");
        assumeTrue(analyze.isPresent(), "skipped: systemd-analyze is not installed (Debian: the systemd package)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/java")),
                "skipped: systemd-analyze verify checks that ExecStart's /usr/bin/java exists, and it does not here");
        for (String service : List.of("agent", "matcher", "coordinator")) {
            Path file = SYSTEMD.resolve("scanfarm-" + service + ".service");
            ExternalCommand.Result verify = ExternalCommand.run(ROOT, Map.of(), List.of(analyze.get().toString(), "verify", file.toString()), 120);
            assertEquals(0, verify.exit(), "systemd-analyze verify " + file + ":\n" + verify.both());
            // Only what it says about our unit counts: other units installed on the machine may draw remarks too.
            List<String> remarks = verify.both().lines().filter(l -> l.contains(file.getFileName().toString())).toList();
            assertEquals(List.of(), remarks, "systemd-analyze verify warns about " + file);
            // Exposure is rated 0.0 (locked down) to 10.0; --threshold is in tenths. Ours rate 3.2-3.8 ("OK").
            ExternalCommand.Result security = ExternalCommand.run(ROOT, Map.of(), List.of(analyze.get().toString(), "security",
                    "--offline=true", "--threshold=45", file.toString()), 120);
            assertEquals(0, security.exit(), file + ": exposure above 4.5 (hardening lost?):\n" + security.both());
        }
    }

    @Test
    void systemdSysusersCreatesTheServiceUserAsASystemUserWithoutLogin() throws Exception {
        Optional<Path> sysusers = ExternalCommand.find("systemd-sysusers");
        assumeTrue(sysusers.isPresent(), "skipped: systemd-sysusers is not installed (Debian: the systemd package)");
        Path root = Files.createTempDirectory("sysroot");
        try {
            Files.createDirectories(root.resolve("etc"));
            Path conf = root.resolve("usr/lib/sysusers.d/scanfarm.conf");
            Files.createDirectories(conf.getParent());
            Files.copy(SYSTEMD.resolve("scanfarm.sysusers"), conf);
            ExternalCommand.Result r = ExternalCommand.run(ROOT, Map.of(), List.of(sysusers.get().toString(), "--root=" + root), 60);
            assertEquals(0, r.exit(), "systemd-sysusers rejects deploy/systemd/scanfarm.sysusers:\n" + r.both());
            String user = unit("agent").last("Service.User");
            String entry = Files.readAllLines(root.resolve("etc/passwd")).stream().filter(l -> l.startsWith(user + ":")).findFirst()
                    .orElseGet(() -> fail("deploy/systemd/scanfarm.sysusers does not create the units' user " + user));
            String[] f = entry.split(":");
            assertTrue(Integer.parseInt(f[2]) > 0 && Integer.parseInt(f[2]) < 1000, "not a system user: " + entry);
            assertTrue(f[6].endsWith("nologin"), "the service user must not log in: " + entry);
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }
}
