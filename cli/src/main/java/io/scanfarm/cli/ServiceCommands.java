package io.scanfarm.cli;

import io.scanfarm.agent.plan.NmapSecondGenerationPlan;
import io.scanfarm.agent.scan.ScanOptions;
import io.scanfarm.agent.service.AgentService;
import io.scanfarm.cli.farm.EmbeddedKafka;
import io.scanfarm.coordinator.service.BrokerUnavailableException;
import io.scanfarm.coordinator.service.Coordinator;
import io.scanfarm.coordinator.targets.SegmentMap;
import io.scanfarm.coordinator.targets.TargetException;
import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.service.MatcherService;
import io.scanfarm.matcher.service.VerdictBuilder;
import io.scanfarm.wire.AddressBlock;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The farm's services run on their own: {@code scanfarm broker|matcher|agent|coordinator}. */
final class ServiceCommands {

    private ServiceCommands() {
    }

    /** Blocks until the process is asked to stop, then closes the service. */
    static void runUntilStopped(Runnable service, AutoCloseable closer, String name) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                service.run();
            } finally {
                stopped.countDown();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                closer.close();
                stopped.await();
            } catch (Exception e) {
                // stopping anyway
            }
        }));
        t.start();
        stopped.await();
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

        ServiceConfig configuration(String service) {
            ServiceConfig c = ServiceConfig.load(config, System.getenv());
            c.print(spec.commandLine().getOut(), service);
            return c;
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
            ServiceConfig c = configuration("matcher");
            String path = c.get("os.db", null);
            OsDbFiles.Loaded db = Preflight.database(path == null ? null : Path.of(path));
            VerdictBuilder builder = new VerdictBuilder(OsMatcher.compile(db.db()), db.path().toString(), db.sha256(), Version.number());
            MatcherService m = new MatcherService(c.kafka(), builder, c.get("instance.id", hostName()));
            runUntilStopped(m, m, "matcher");
            return ExitCodes.OK;
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
            ServiceConfig c = configuration("agent");
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
            AgentService a = new AgentService(c.kafka(), segment, c.get("agent.id", hostName()), allow, options);
            runUntilStopped(a, a, "agent");
            return ExitCodes.OK;
        }
    }

    @Command(name = "coordinator", mixinStandardHelpOptions = true,
            description = {"Create the farm's topics for the configured segments (and exit).",
                "Config keys: kafka.*, segments (CIDR=segment,...), partitions, replication.",
                "To scan through a running farm: scanfarm scan --bootstrap-servers HOST:PORT TARGET..."})
    static final class CoordinatorCommand extends Configured {
        @Override
        public Integer call() throws Exception {
            ServiceConfig c = configuration("coordinator");
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
            return ExitCodes.OK;
        }
    }
}
