package io.scanfarm.cli.farm;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft broker (broker and controller) in this JVM, from Kafka's own server jars. Listens on
 * 127.0.0.1 only. Its data lives in a temporary directory removed on close, or in a directory the caller names
 * and keeps, so that the broker can be stopped and started again on the same port with the same data.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Where a kept data directory records its ports, so a broker started on it again listens where it did. */
    private static final String PORTS_FILE = "scanfarm-embedded-ports.properties";

    private final KafkaRaftServer server;
    private final Path dir;
    private final boolean ownsDir;
    private final String bootstrap;
    private boolean stopped;

    private EmbeddedKafka(KafkaRaftServer server, Path dir, boolean ownsDir, String bootstrap) {
        this.server = server;
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.bootstrap = bootstrap;
    }

    /** Starts a broker on {@code port} (0 for any free port); returns once it is unfenced and listening. */
    public static EmbeddedKafka start(int port) throws Exception {
        Path dir = Files.createTempDirectory("scanfarm-kafka");
        try {
            return start(port != 0 ? port : freePort(), freePort(), dir, true);
        } catch (Exception | Error e) {
            delete(dir);
            throw e;
        }
    }

    /**
     * Starts a broker on the data in {@code dataDir}, which is kept (never deleted by this class): formatted on
     * first use, and on a later start the broker comes back on the ports it had, with its topics, offsets and
     * transactions. {@code port} 0 means the port recorded in the directory, else any free port.
     */
    public static EmbeddedKafka start(int port, Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        Path portsFile = dataDir.resolve(PORTS_FILE);
        Properties ports = new Properties();
        if (Files.isRegularFile(portsFile)) {
            try (var in = Files.newInputStream(portsFile)) {
                ports.load(in);
            }
        }
        int brokerPort = port != 0 ? port : Integer.parseInt(ports.getProperty("broker", String.valueOf(freePort())));
        int controllerPort = Integer.parseInt(ports.getProperty("controller", String.valueOf(freePort())));
        ports.setProperty("broker", String.valueOf(brokerPort));
        ports.setProperty("controller", String.valueOf(controllerPort));
        try (var out = Files.newOutputStream(portsFile)) {
            ports.store(out, "ports of the embedded broker on this directory");
        }
        return start(brokerPort, controllerPort, dataDir, false);
    }

    private static EmbeddedKafka start(int brokerPort, int controllerPort, Path dir, boolean ownsDir) throws Exception {
        String logDir = dir.toString();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir);
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        if (!Files.isRegularFile(dir.resolve("meta.properties"))) {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir)
                    .setDirectories(List.of(logDir))
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p), Time.SYSTEM);
        server.startup();
        return new EmbeddedKafka(server, dir, ownsDir, "127.0.0.1:" + brokerPort);
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** The data directory (temporary unless one was given). */
    public Path dataDir() {
        return dir;
    }

    /** Shuts the broker down and keeps its data: {@link #start(int, Path)} on {@link #dataDir()} brings it back. */
    public synchronized void stop() {
        if (!stopped) {
            stopped = true;
            server.shutdown();
            server.awaitShutdown();
        }
    }

    /** Stops the broker; deletes its data when it was a temporary directory. */
    @Override
    public void close() {
        stop();
        if (ownsDir) {
            delete(dir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
