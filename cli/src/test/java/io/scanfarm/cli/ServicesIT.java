package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.agent.net.PcapLibrary;
import io.scanfarm.cli.farm.LocalFarm;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three services as an operator runs them: separate processes of the built jar ({@code scanfarm coordinator|
 * matcher|agent --config FILE}) on a real broker, a scan through them, and each one's /metrics, /healthz and
 * /readyz read over HTTP while it runs.
 */
class ServicesIT {

    private static final String SEGMENT = "lab";
    private static final Path JAR = Path.of("target", "scanfarm.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void lab() throws Exception {
        LabSupport.requireRoot();
        assertEquals(null, PcapLibrary.configure());
        LabSupport.up();
    }

    @AfterAll
    static void down() throws Exception {
        LabSupport.down();
    }

    @TempDir
    Path tmp;

    @Test
    void everyServiceServesItsMetersAndHealthDuringAScan() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "the jar is built before the integration tests: " + JAR.toAbsolutePath());
        try (LocalFarm farm = TestBroker.farm(SEGMENT, 2)) {
            String bootstrap = farm.kafka().getProperty("bootstrap.servers");
            MatchCommandTest.Run keygen = MatchCommandTest.run("keygen", "--out", tmp.resolve("issuer").toString());
            assertEquals(0, keygen.code(), keygen.err());
            Map<String, Integer> ports = new LinkedHashMap<>();
            List<Process> processes = new ArrayList<>();
            try {
                for (String service : List.of("coordinator", "matcher", "agent")) {
                    int port = freePort();
                    ports.put(service, port);
                    Path config = tmp.resolve(service + ".properties");
                    Files.writeString(config, String.join("\n",
                            "kafka.bootstrap.servers=" + bootstrap,
                            "metrics.port=" + port,
                            "metrics.bind=127.0.0.1",
                            switch (service) {
                                case "coordinator" -> "segments=198.18.0.0/15=" + SEGMENT + "\npartitions=2";
                                case "matcher" -> "os.db=" + LabSupport.database() + "\ninstance.id=it-m1";
                                default -> "segment=" + SEGMENT + "\nagent.id=it-a1\nallowlist=198.18.0.0/15\nports=80,1"
                                        + "\ntrusted.keys=" + tmp.resolve("issuer.pub");
                            }, ""));
                    processes.add(new ProcessBuilder("java", "-Xmx256m", "-jar", JAR.toString(), service, "--config", config.toString())
                            .redirectErrorStream(true).redirectOutput(tmp.resolve(service + ".log").toFile()).start());
                }
                for (Map.Entry<String, Integer> e : ports.entrySet()) {
                    assertEquals(200, awaitReady(e.getValue(), Duration.ofSeconds(90)), e.getKey() + " never became ready: "
                            + Files.readString(tmp.resolve(e.getKey() + ".log")));
                    assertEquals(200, get(e.getValue(), "/healthz").statusCode());
                }
                awaitAgents(bootstrap);
                MatchCommandTest.Run scan = MatchCommandTest.run("scan", "--bootstrap-servers", bootstrap, "--segment", SEGMENT,
                        "--signing-key", tmp.resolve("issuer.key").toString(),
                        "--ports", "80,1", "--allow", "198.18.0.0/15", "--format", "json", "198.18.16.0/28");
                assertEquals(0, scan.code(), scan.err());
                assertEquals(16, scan.outLines().size(), scan.out());

                String agent = scrapeUntil(ports.get("agent"), "scanfarm_agent_jobs_total{result=\"done\"");
                assertTrue(value(agent, "scanfarm_agent_probes_sent_total") >= 16 * 16, agent);
                assertTrue(value(agent, "scanfarm_agent_probes_answered_total") >= 16 * 10, "answers tied to probes");
                assertTrue(agent.contains("scanfarm_agent_probes_retransmitted_total"), "retransmissions are counted");
                assertEquals(0.0, value(agent, "scanfarm_agent_hosts_in_flight"), "nothing in flight after the scan");
                assertEquals(16.0, value(agent, "scanfarm_agent_observations_total{service=\"agent\",status=\"up\"}"));
                assertTrue(agent.contains("kafka_consumer_fetch_manager_records_lag_max"), "consumer lag is exported");

                String matcher = scrapeUntil(ports.get("matcher"), "scanfarm_matcher_match_latency_seconds_count");
                assertEquals(16.0, sum(matcher, "scanfarm_matcher_verdicts_total"), "verdicts by outcome add up to the hosts");
                assertEquals(16.0, value(matcher, "scanfarm_matcher_match_latency_seconds_count"));
                assertEquals(0.0, value(matcher, "scanfarm_matcher_dead_letters_total"));
                assertTrue(matcher.contains("kafka_consumer_fetch_manager_records_lag_max"), "consumer lag is exported");
                assertTrue(matcher.contains("jvm_memory_used_bytes"), "JVM meters are there too");

                String coordinator = scrapeUntil(ports.get("coordinator"), "scanfarm_coordinator_verdicts_total");
                assertTrue(sum(coordinator, "scanfarm_coordinator_jobs_total") >= 1, coordinator);
                assertEquals(16.0, sum(coordinator, "scanfarm_coordinator_verdicts_total"));
                assertEquals(16.0, value(coordinator, "scanfarm_coordinator_hosts_probed_total"));
                System.out.printf("services: 3 processes ready, 16 hosts scanned; meters read on ports %s%n", ports);
            } finally {
                for (Process p : processes) {
                    p.destroy(); // SIGTERM: each closes its service and its endpoint
                }
                for (Process p : processes) {
                    if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
            for (String service : ports.keySet()) {
                String log = Files.readString(tmp.resolve(service + ".log"));
                assertTrue(log.contains("effective configuration"), service + " printed its configuration: " + log);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int awaitReady(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = get(port, "/readyz").statusCode();
                if (last == 200) {
                    return last;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        return last;
    }

    private static void awaitAgents(String bootstrap) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", bootstrap);
        try (io.scanfarm.coordinator.service.Coordinator c = new io.scanfarm.coordinator.service.Coordinator(p, 2, (short) 1,
                Duration.ofSeconds(10))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (c.activeAgents(SEGMENT) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
        }
    }

    /** The scrape once it shows {@code needle} (the services count after their transactions commit). */
    private static String scrapeUntil(int port, String needle) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(port, "/metrics");
            assertEquals(200, r.statusCode());
            body = r.body();
            if (body.contains(needle)) {
                break;
            }
            Thread.sleep(250);
        }
        return body;
    }

    /** The value of the first sample whose name (and labels, if given) starts with {@code series}. */
    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series) && (line.charAt(series.length()) == ' ' || line.charAt(series.length()) == '{'
                    || series.endsWith("}"))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no sample " + series + " in:\n" + scrape);
    }

    /** The sum over every sample of a metric (all label sets). */
    private static double sum(String scrape, String metric) {
        double total = 0;
        boolean seen = false;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{[^}]*\\} (\\S+)$").matcher(scrape);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
            seen = true;
        }
        if (!seen) {
            throw new AssertionError("no sample of " + metric + " in:\n" + scrape);
        }
        return total;
    }
}
