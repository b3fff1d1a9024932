package io.scanfarm.cli.farm;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft broker (broker and controller) in this JVM, from Kafka's own server jars. Listens on
 * 127.0.0.1 only: PLAINTEXT by default, or SASL/SCRAM with ACLs enforced ({@link #startScram}). Its data lives in
 * a temporary directory removed on close, or in a directory the caller names and keeps, so that the broker can
 * be stopped and started again on the same port with the same data ({@link #start(int, Path)}).
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** The super user of a broker started with {@link #startScram}. */
    public static final String ADMIN = "admin";
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    /** Where a kept data directory records its ports, so a broker started on it again listens where it did. */
    private static final String PORTS_FILE = "scanfarm-embedded-ports.properties";

    private final KafkaRaftServer server;
    private final Path dir;
    private final boolean ownsDir;
    private final String bootstrap;
    /** user -> password on a SCRAM broker; empty on a PLAINTEXT one. */
    private final Map<String, String> users;
    private boolean stopped;
    /** Set by {@link #endWithProcess} and {@link #idle}. */
    private boolean endsWithProcess;
    private volatile boolean idle;

    private EmbeddedKafka(KafkaRaftServer server, Path dir, boolean ownsDir, String bootstrap, Map<String, String> users) {
        this.server = server;
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.bootstrap = bootstrap;
        this.users = users;
    }

    /** Starts a broker on {@code port} (0 for any free port); returns once it is unfenced and listening. */
    public static EmbeddedKafka start(int port) throws Exception {
        return startTemporary(port, Map.of(), Map.of());
    }

    /**
     * Starts a broker on any free port for the farm of one command ({@code scan}), which lives only as long as that
     * command and whose clients are in its process: a handful of connections and a few hundred requests. It runs
     * with fewer threads than a broker serving a farm (per listener one network thread, for the broker and for
     * its controller two request handlers each, two background threads, one group coordinator thread; Kafka's
     * defaults are 3, 8, 10 and 4) and registers none of its metrics as JMX beans (about a thousand, for requests
     * of every kind; no one could read them before the broker is gone). That filter acts on Kafka's metrics
     * registry, which is one per process: another broker in the same JVM loses its beans too until a broker with
     * other settings starts. The broker's start took 0.04 to 0.085 s less (medians of two sets of 10 and 8
     * alternated /20 scans).
     */
    public static EmbeddedKafka startForOneCommand() throws Exception {
        return startTemporary(0, Map.of(), ONE_COMMAND);
    }

    private static final Map<String, String> ONE_COMMAND = Map.of(
            "num.network.threads", "1",
            "num.io.threads", "2",
            "background.threads", "2",
            "group.coordinator.threads", "1",
            "metrics.jmx.exclude", ".*");

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
        return start(brokerPort, controllerPort, dataDir, false, Map.of(), Map.of());
    }

    /**
     * Starts a broker whose client listener takes only SASL/SCRAM-SHA-512 and which authorizes every request with
     * Kafka's ACLs (the KRaft {@code StandardAuthorizer}; nothing is allowed without an ACL). {@code users} and
     * {@link #ADMIN}, the super user, exist from the first moment: their credentials are written into the metadata
     * when the storage is formatted (as {@code kafka-storage.sh format --add-scram} does), so the admin can log in
     * to grant the others their ACLs. Passwords are random; {@link #client} gives a user's client settings.
     */
    public static EmbeddedKafka startScram(int port, Collection<String> users) throws Exception {
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(ADMIN, randomPassword());
        for (String u : users) {
            if (!u.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("user name '" + u + "' may hold only letters, digits, '.', '_' and '-'");
            }
            passwords.putIfAbsent(u, randomPassword());
        }
        return startTemporary(port, Map.copyOf(passwords), Map.of());
    }

    private static EmbeddedKafka startTemporary(int port, Map<String, String> users, Map<String, String> settings) throws Exception {
        Path dir = Files.createTempDirectory(temporaryParent(), "scanfarm-kafka");
        try {
            return start(port != 0 ? port : freePort(), freePort(), dir, true, users, settings);
        } catch (Exception | Error e) {
            delete(dir);
            throw e;
        }
    }

    private static EmbeddedKafka start(int brokerPort, int controllerPort, Path dir, boolean ownsDir, Map<String, String> users,
                                       Map<String, String> settings) throws Exception {
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
        // The controller waits this long for more metadata changes before writing (and syncing) them: Kafka's 25 ms
        // is for a quorum across machines. Start-up and each topic creation wait for a few such writes in turn.
        p.put("controller.quorum.append.linger.ms", "1");
        p.putAll(settings);
        List<String> scram = new ArrayList<>();
        if (!users.isEmpty()) {
            secure(p, brokerPort, controllerPort, users.get(ADMIN));
            users.forEach((u, pw) -> scram.add(SCRAM_MECHANISM + "=[name=" + u + ",password=" + pw + "]"));
        }
        if (!Files.isRegularFile(dir.resolve("meta.properties"))) { // a kept directory is formatted once
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir)
                    .setDirectories(List.of(logDir))
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setScramArguments(scram)
                    .run();
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p), Time.SYSTEM);
        server.startup();
        return new EmbeddedKafka(server, dir, ownsDir, "127.0.0.1:" + brokerPort, users);
    }

    /**
     * The listeners of a SCRAM broker: clients (and the broker's own inter-broker client, as admin) on
     * SASL_PLAINTEXT with SCRAM; the controller on SASL_PLAINTEXT with PLAIN, whose only user is admin, because
     * SCRAM credentials live in the metadata the controller serves and cannot authenticate the controller's own
     * listener. The StandardAuthorizer runs on both: only admin is a super user, and no ACL means no access.
     */
    private static void secure(Properties p, int brokerPort, int controllerPort, String adminPassword) {
        p.put("listeners", "SASL_PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
        p.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", scramJaas(ADMIN, adminPassword));
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.controller.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"" + ADMIN + "\" password=\"" + adminPassword + "\" user_" + ADMIN + "=\"" + adminPassword + "\";");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + ADMIN);
        p.put("allow.everyone.if.no.acl.found", "false");
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** Client settings for one user of a SCRAM broker: bootstrap servers, SASL_PLAINTEXT, SCRAM-SHA-512, its login. */
    public Properties client(String user) {
        String password = users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no user '" + user + "' on this broker (" + users.keySet() + ")");
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", SCRAM_MECHANISM);
        p.put("sasl.jaas.config", scramJaas(user, password));
        return p;
    }

    private static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private static String randomPassword() {
        return Uuid.randomUuid().toString().replaceAll("[^A-Za-z0-9]", "");
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

    /**
     * Leaves this broker's end to the process's (see {@link ProcessEnd}): when the process ends, however it ends, a
     * broker that {@linkplain #idle idles} on a temporary directory has its data deleted while it still runs, half a
     * second sooner than an orderly shutdown that would tidy files about to be deleted; any other is stopped in order.
     */
    public void endWithProcess() {
        endsWithProcess = true;
        ProcessEnd.atEnd(this::end);
    }

    /**
     * Says that nothing will make topics on this broker any more: from now on it only idles. A broker still making
     * the directories of new topics makes them again under a data directory deleted beneath it (seen when a scan
     * failed right after its broker started), so only an idle one is left running to the process's end.
     */
    public void idle() {
        idle = true;
    }

    /** Whether the process's end deletes this broker's data under it, so that nothing need stop it before. */
    boolean leftToProcessEnd() {
        return endsWithProcess && idle && ownsDir;
    }

    /**
     * The process's end for this broker (see {@link #endWithProcess}). Kafka's exit and halt are disarmed before the
     * data goes, so a broker thread that finds its files gone (a checkpoint falling due) cannot end the process with
     * a status of its own.
     */
    private synchronized void end() {
        if (!ownsDir || !idle) {
            close();
            return;
        }
        Exit.setExitProcedure((status, message) -> { });
        Exit.setHaltProcedure((status, message) -> { });
        stopped = true;
        // A file the broker creates while the tree is walked keeps its directory; a few passes take it too.
        for (int pass = 0; pass < 5 && Files.exists(dir); pass++) {
            delete(dir);
        }
    }

    /** Memory-backed space at least this large holds a temporary broker's data (a /20 scan wrote ~8 MB). */
    public static final long MEMORY_DIR_MIN_FREE = 1L << 30;

    /**
     * Where a temporary broker's data goes: the JVM's temporary directory when one was given
     * ({@code -Djava.io.tmpdir}); else {@code /dev/shm} when it is a writable directory with at least
     * {@link #MEMORY_DIR_MIN_FREE} free (the data dies with the command anyway, and the broker syncs its metadata log
     * as it starts, which costs time on a virtual machine's disk); else {@code /tmp}. A
     * container's small /dev/shm (Docker's is 64 MB) is not used.
     */
    static Path temporaryParent() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (!tmp.equals(Path.of("/tmp"))) {
            return tmp;
        }
        return memoryBacked(Path.of("/dev/shm"), MEMORY_DIR_MIN_FREE).orElse(tmp);
    }

    /** {@code shm} if it is a writable directory with at least {@code minFree} bytes usable, else nothing. */
    public static Optional<Path> memoryBacked(Path shm, long minFree) {
        try {
            if (Files.isDirectory(shm) && Files.isWritable(shm) && Files.getFileStore(shm).getUsableSpace() >= minFree) {
                return Optional.of(shm);
            }
        } catch (IOException | SecurityException e) {
            // not usable: the ordinary temporary directory
        }
        return Optional.empty();
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
