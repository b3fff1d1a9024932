package io.scanfarm.cli;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code scanfarm} command run as an operator runs it, a process of the built jar, and what a fault test does
 * to it: signals (SIGKILL, SIGSTOP, SIGCONT, SIGINT, SIGTERM sent with kill(1)), its peak resident memory from
 * /proc/PID/status, and for a service its /readyz and /metrics over HTTP.
 */
final class JarProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "scanfarm.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final int metricsPort;
    private final Path output;
    private final long startedNanos = System.nanoTime();

    private JarProcess(String name, Process process, Path stdout, Path stderr, int metricsPort, Path output) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.metricsPort = metricsPort;
        this.output = output;
    }

    /** A service ({@code matcher}, {@code agent}, {@code coordinator}) with its configuration file and a metrics port. */
    static JarProcess service(Path dir, String name, String service, List<String> config, List<String> jvm) throws IOException {
        int port = freePort();
        Path file = dir.resolve(name + ".properties");
        List<String> lines = new ArrayList<>(config);
        lines.add("metrics.port=" + port);
        lines.add("metrics.bind=127.0.0.1");
        Files.write(file, lines);
        return start(dir, name, port, jvm, service, "--config", file.toString());
    }

    /** A one-shot command (e.g. {@code scan ...}). */
    static JarProcess command(Path dir, String name, String... args) throws IOException {
        return command(dir, name, List.of("-Xmx256m"), args);
    }

    /** A one-shot command run with the JVM options {@code jvm}. */
    static JarProcess command(Path dir, String name, List<String> jvm, String... args) throws IOException {
        return start(dir, name, -1, jvm, args);
    }

    private static JarProcess start(Path dir, String name, int port, List<String> jvm, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvm);
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int o = cmd.indexOf("-o");
        return new JarProcess(name, p, out, err, port, o > 0 && o + 1 < cmd.size() ? Path.of(cmd.get(o + 1)) : out);
    }

    /** Where the command writes its results: its {@code -o FILE}, else its standard output. */
    Path outputFile() {
        return output;
    }

    String name() {
        return name;
    }

    long startedNanos() {
        return startedNanos;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, as the kernel's OOM killer or `kill -9` would: no shutdown hook runs. Returns the exit status. */
    int kill() throws IOException, InterruptedException {
        signal("KILL");
        return waitFor(Duration.ofSeconds(30));
    }

    /** SIGSTOP: the process is frozen (sockets open, nothing read or sent) until {@link #resume}. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    /**
     * Whether this process ignores SIGINT, as a command started in the background by a shell without job control
     * does ({@code cmd &} in a script): the processes it starts inherit that, and their JVM then never sees Ctrl-C.
     */
    static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & (1L << (2 - 1))) != 0;
            }
        }
        return false;
    }

    /** SIGINT, as Ctrl-C at a terminal: shutdown hooks run. */
    void interrupt() throws IOException, InterruptedException {
        signal("INT");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + sig, String.valueOf(process.pid())).inheritIO().start();
        if (k.waitFor() != 0) {
            throw new IOException("kill -" + sig + " " + process.pid() + " failed");
        }
    }

    /** Waits for the process to end; its exit status (SIGKILL shows as 137). */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + timeout.toSeconds() + " s:\n" + log());
        }
        return process.exitValue();
    }

    /** Peak resident set size so far, in KiB (VmHWM); read while the process lives. */
    long peakRssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring(6).strip().split("\\s+")[0]);
            }
        }
        throw new IOException("no VmHWM for " + name);
    }

    String out() throws IOException {
        return Files.readString(stdout);
    }

    String err() throws IOException {
        return Files.readString(stderr);
    }

    String log() {
        try {
            return "--- " + name + " stdout (" + stdout + "):\n" + out() + "--- " + name + " stderr:\n" + err();
        } catch (IOException e) {
            return name + ": no log: " + e;
        }
    }

    /** Waits until /readyz answers 200. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/readyz").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " never became ready:\n" + log());
    }

    /** The Prometheus text of /metrics. */
    String scrape() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/metrics");
        if (r.statusCode() != 200) {
            throw new IOException(name + " /metrics answered " + r.statusCode());
        }
        return r.body();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of every sample of a metric (all label sets), 0 when it has none yet. */
    static double sum(String scrape, String metric) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** The largest sample of a metric (all label sets), NaN when it has none. */
    static double max(String scrape, String metric) {
        double max = Double.NaN;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                max = Double.isNaN(max) ? v : Math.max(max, v);
            }
        }
        return max;
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 20 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            signal("CONT"); // a paused process would not act on SIGTERM
        } catch (IOException | InterruptedException e) {
            // it ends below anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
