package io.scanfarm.cli;

import io.scanfarm.agent.plan.NmapSecondGenerationPlan;
import io.scanfarm.agent.scan.ScanOptions;
import io.scanfarm.agent.service.AgentService;
import io.scanfarm.agent.service.JobVerifier;
import io.scanfarm.cli.farm.EmbeddedKafka;
import io.scanfarm.coordinator.service.BrokerUnavailableException;
import io.scanfarm.coordinator.service.Coordinator;
import io.scanfarm.coordinator.service.ScanWatch;
import io.scanfarm.coordinator.targets.SegmentMap;
import io.scanfarm.coordinator.targets.TargetException;
import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.service.MatcherService;
import io.scanfarm.matcher.service.VerdictBuilder;
import io.scanfarm.wire.AddressBlock;
import io.scanfarm.wire.StoppableService;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.ProducerFencedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The farm's services run on their own: {@code scanfarm broker|matcher|agent|coordinator}. */
final class ServiceCommands {

    private ServiceCommands() {
    }

    /**
     * Runs the services, each on its own thread, until the process is asked to stop (then closes them and the
     * endpoint) or until they have all stopped on their own. Returns the exit code: 0 when asked to stop or when a
     * newer instance with the same id took over, 1 when the services stopped for another reason (refused by Kafka,
     * an error they could not get past; their log says which), so that a supervisor restarting on failure restarts it.
     */
    static int runUntilStopped(List<? extends StoppableService> services, MetricsEndpoint endpoint, String name,
                               PrintWriter err) throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(services.size());
        for (int i = 0; i < services.size(); i++) {
            StoppableService service = services.get(i);
            Thread t = new Thread(() -> {
                try {
                    service.run();
                } finally {
                    stopped.countDown();
                }
            }, services.size() == 1 ? name : name + "-" + i);
            t.start();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            asked.set(true);
            try {
                services.forEach(StoppableService::close);
                stopped.await();
            } catch (Exception e) {
                // stopping anyway
            }
        }));
        stopped.await();
        endpoint.close();
        if (asked.get()) {
            return ExitCodes.OK;
        }
        boolean replaced = services.stream().allMatch(s -> s.stoppedBy() instanceof ProducerFencedException
                || s.stoppedBy() instanceof FencedInstanceIdException);
        // Replaced by a newer instance with the same id: a clean end (restarting it would only fence the newer one).
        err.println("scanfarm " + name + ": stopped on its own: " + (replaced
                ? "a newer instance with the same id took over" : "see the messages above") + "; exit status " + (replaced ? 0 : 1));
        err.flush();
        return replaced ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "scanfarm";
        }
    }

    /** A service run from a configuration file: reads it with the environment's overrides and prints it. */
    abstract static class Configured implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", description = "properties file (environment SCANFARM_* overrides)")
        Path config;

        ServiceConfig configuration(ConfigKeys.Service service) {
            ServiceConfig c = ServiceConfig.load(config, System.getenv());
            c.check(service);
            c.print(spec.commandLine().getOut(), service.label());
            return c;
        }

        /** Serves the service's /metrics, /healthz and /readyz on its configured port. */
        MetricsEndpoint metrics(ServiceConfig c, ConfigKeys.Service service, BooleanSupplier ready) {
            MetricsEndpoint e = MetricsEndpoint.start(service.label(), c.get("metrics.bind", "0.0.0.0"),
                    c.integer("metrics.port", service.metricsPort, 0, 65535), ready);
            spec.commandLine().getOut().println("scanfarm " + service.label() + ": metrics on http://"
                    + c.get("metrics.bind", "0.0.0.0") + ":" + e.port() + "/metrics (and /healthz, /readyz)");
            spec.commandLine().getOut().flush();
            return e;
        }
    }

    @Command(name = "broker", mixinStandardHelpOptions = true,
            description = "Run the embedded single-node Kafka broker (KRaft) for local development, until stopped.")
    static final class Broker implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--port", defaultValue = "9092", description = "port on 127.0.0.1 (default ${DEFAULT-VALUE})")
        int port;

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            EmbeddedKafka broker;
            try {
                broker = EmbeddedKafka.start(port);
            } catch (Exception e) {
                throw new UserError("cannot start the broker on 127.0.0.1:" + port + ": " + e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("scanfarm broker: listening on %s (started in %d ms); data in a temporary directory removed at exit%n",
                    broker.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
            out.flush();
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            forever.await();
            return ExitCodes.OK;
        }
    }

    @Command(name = "matcher", mixinStandardHelpOptions = true,
            description = {"Run the matcher service: observations in, verdicts out (exactly once, in Kafka transactions).",
                "Config keys: kafka.* (client properties), os.db, instance.id."})
    static final class Matcher extends Configured {
        @Override
        public Integer call() throws Exception {
            ServiceConfig c = configuration(ConfigKeys.Service.MATCHER);
            List<MatcherService> matchers = new ArrayList<>();
            // Ready once the database is loaded and every consumer has heard from Kafka.
            MetricsEndpoint endpoint = metrics(c, ConfigKeys.Service.MATCHER,
                    () -> !matchers.isEmpty() && matchers.stream().allMatch(MatcherService::ready));
            String path = c.get("os.db", null);
            OsDbFiles.Loaded db = Preflight.database(path == null ? null : Path.of(path));
            VerdictBuilder builder = new VerdictBuilder(OsMatcher.compile(db.db()), db.path().toString(), db.sha256(), Version.number());
            String gen1 = c.get("os.fingerprints", null);
            if (gen1 != null) {
                builder.withFirstGeneration(Preflight.firstGeneration(Path.of(gen1)));
            }
            int consumers = c.integer("consumers", 1, 1, 64);
            String id = c.get("instance.id", hostName());
            List<MatcherService> started = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                started.add(new MatcherService(c.kafka(), builder, consumers == 1 ? id : id + "-" + i, endpoint.registry()));
            }
            matchers.addAll(started);
            return runUntilStopped(started, endpoint, "matcher", spec.commandLine().getErr());
        }
    }

    @Command(name = "agent", mixinStandardHelpOptions = true,
            description = {"Run a probe agent for one segment (needs root, or CAP_NET_RAW and CAP_NET_ADMIN).",
                "Config keys: kafka.*, segment, agent.id, allowlist (CIDRs it may ever probe), ports, hosts.in.flight,",
                "max.rate (packets/s ceiling; a job may ask for less, never more)."})
    static final class Agent extends Configured {
        @Override
        public Integer call() throws Exception {
            Preflight.requireRawPackets();
            ServiceConfig c = configuration(ConfigKeys.Service.AGENT);
            String segment = c.require("segment", "the segment whose jobs this agent takes");
            List<AddressBlock> allow = new ArrayList<>();
            for (String s : c.require("allowlist", "CIDR blocks this agent may ever probe").split(",")) {
                try {
                    allow.add(AddressBlock.parse(s));
                } catch (IllegalArgumentException e) {
                    throw new UserError("allowlist: " + e.getMessage());
                }
            }
            List<Integer> ports = ScanCommand.parsePorts(c.get("ports", ScanCommand.DEFAULT_PORTS));
            ScanOptions options = new ScanOptions(ports, NmapSecondGenerationPlan.create(), 1_000_000, 2,
                    c.integer("hosts.in.flight", 256, 1, 65536), System.nanoTime(), c.integer("max.rate", 0, 0, 10_000_000));
            AgentService[] agent = new AgentService[1];
            MetricsEndpoint endpoint = metrics(c, ConfigKeys.Service.AGENT, () -> agent[0] != null && agent[0].ready());
            List<java.security.PublicKey> keys = KeyFiles.trusted(c.get("trusted.keys", ""));
            JobVerifier verifier = "true".equals(c.get("accept.unsigned", "false"))
                    ? JobVerifier.acceptingUnsigned(keys) : JobVerifier.trusting(keys);
            agent[0] = new AgentService(c.kafka(), segment, c.get("agent.id", hostName()), allow, options, verifier, endpoint.registry());
            return runUntilStopped(List.of(agent[0]), endpoint, "agent", spec.commandLine().getErr());
        }
    }

    @Command(name = "coordinator", mixinStandardHelpOptions = true,
            description = {"Create the farm's topics for the configured segments, then watch the farm: job status and",
                "verdicts become meters and one log line per finished job (--create-topics: create them and exit).",
                "Config keys: kafka.*, segments (CIDR=segment,...), partitions, replication, metrics.port, metrics.bind.",
                "To scan through a running farm: scanfarm scan --bootstrap-servers HOST:PORT TARGET..."})
    static final class CoordinatorCommand extends Configured {
        @Option(names = "--create-topics", description = "create the topics and exit (a deployment's setup step)")
        boolean createTopicsOnly;

        @Override
        public Integer call() throws Exception {
            ServiceConfig c = configuration(ConfigKeys.Service.COORDINATOR);
            SegmentMap segments;
            try {
                segments = SegmentMap.parse(Arrays.asList(c.require("segments", "CIDR=segment,... routing").split(",")));
            } catch (TargetException e) {
                throw new UserError("segments: " + e.getMessage());
            }
            Coordinator co = new Coordinator(c.kafka(), c.integer("partitions", 4, 1, 1000),
                    (short) c.integer("replication", 1, 1, 7), Duration.ofSeconds(10));
            try {
                co.ensureTopics(segments.segments());
            } catch (BrokerUnavailableException e) {
                throw new UserError(e.getMessage());
            }
            spec.commandLine().getOut().println("scanfarm coordinator: topics ready for segments " + segments.segments());
            spec.commandLine().getOut().flush();
            if (createTopicsOnly) {
                return ExitCodes.OK;
            }
            ScanWatch[] watch = new ScanWatch[1];
            MetricsEndpoint endpoint = metrics(c, ConfigKeys.Service.COORDINATOR, () -> watch[0] != null && watch[0].ready());
            watch[0] = new ScanWatch(c.kafka(), endpoint.registry());
            return runUntilStopped(List.of(watch[0]), endpoint, "coordinator", spec.commandLine().getErr());
        }
    }
}
