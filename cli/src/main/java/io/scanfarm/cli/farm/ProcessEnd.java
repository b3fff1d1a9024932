package io.scanfarm.cli.farm;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.FlightRecorder;

/**
 * How a process that ends with its command ends. {@code Main.main} claims the process; a command run in a test's JVM
 * never does, and everything there closes in order as usual.
 *
 * <p>In a claimed process, a farm whose broker lives and dies with the command, once it has finished (the scan's
 * last result is in), leaves its broker, agent and matchers running when the command returns and asks for the
 * broker's data to be discarded at the very end ({@link #atEnd}). The results are out by then, and an orderly stop
 * served nobody: it took about half a second on a /20 scan (the broker's controlled shutdown, producer snapshots and
 * checkpoints written into a directory about to be deleted). A farm that did not finish (the command failed) is
 * stopped in order as before. The deferred actions also run from a shutdown hook when a signal ends the process
 * (Ctrl-C), so the broker's directory goes either way.
 *
 * <p>With those services still running, {@link System#exit} would cost the time saved: the JVM waits up to 300 ms at
 * exit for threads in native code to come out, and Kafka's network threads sit in epoll, the capture thread in
 * libpcap. Such a process therefore ends with the C library's {@code _exit} once its output is flushed and the
 * deferred actions ran; only where the JVM itself has work at exit (a class-data archive to write, a flight recording
 * to dump) does it take the usual way.
 *
 * <p>The launcher asks the first {@code scan} after a build to write the class-data archive that later commands load
 * their classes from, and says that it wants one only from a run that followed a scan
 * ({@value #ARCHIVE_AFTER_SCAN_ONLY}). The archive holds what the run that wrote it loaded: written by {@code scan
 * --help}, a scan refused before it began or one that failed before its results, it held a fraction of a scan's
 * classes (9 MB instead of 63 MB after {@code scan --help}) and every later scan of that build loaded the rest from
 * the jar (two /20 scans took 7.0 and 7.3 s; 5.1 to 5.4 s with the whole archive). Such a run, one that followed no
 * scan ({@link #followedAScan}), ends with {@code _exit} and writes none; the next scan writes it. A run with a
 * flight recording on takes the JVM's exit and writes it all the same; one ended by a signal writes it too, and the
 * launcher does not keep it.
 */
public final class ProcessEnd {

    /** The system property by which the launcher says that it wants an archive only from a run that followed a scan. */
    public static final String ARCHIVE_AFTER_SCAN_ONLY = "scanfarm.archiveAfterScanOnly";

    private static volatile boolean claimed;
    private static volatile boolean followedAScan;
    private static final List<Runnable> ACTIONS = new ArrayList<>();
    private static boolean ran;

    private ProcessEnd() {
    }

    /** Called by the process's main method only: the JVM ends when the command returns. */
    public static void claim() {
        if (!claimed) {
            claimed = true;
            Runtime.getRuntime().addShutdownHook(new Thread(ProcessEnd::runActions, "scanfarm-process-end"));
        }
    }

    /** Whether the JVM ends with the command (see {@link #claim}). */
    public static boolean claimed() {
        return claimed;
    }

    /**
     * Says that this run followed a scan to its end or its timeout (on the embedded farm, or one submitted to a running
     * farm; a {@code --direct} scan, without Kafka, does not), so it loaded the classes a scan loads: a class-data
     * archive the launcher asked for is worth writing (see the class comment).
     */
    public static void followedAScan() {
        followedAScan = true;
    }

    /** Runs {@code action} as the claimed process ends, however it ends (a normal end, or a signal's shutdown hook). */
    static synchronized void atEnd(Runnable action) {
        if (!claimed) {
            throw new IllegalStateException("only a claimed process defers work to its end");
        }
        ACTIONS.add(action);
    }

    /**
     * Ends the claimed process with {@code code}: flushes what the command wrote, runs the deferred actions and exits
     * (see the class comment for how). While they run, standard output and error are closed to other threads: a
     * discarded broker's threads may still log, and nothing they could say after the results belongs in the output.
     */
    public static void exit(int code) {
        System.out.flush();
        System.err.flush();
        boolean deferred = runActions();
        boolean archiveUnwanted = Boolean.getBoolean(ARCHIVE_AFTER_SCAN_ONLY) && !followedAScan;
        // Neither a farm left running nor an archive to skip: the JVM's exit, without asking the VM about either.
        if ((deferred || archiveUnwanted) && endsWithoutTheJvmsExit(deferred, archiveAtExit(), archiveUnwanted, recording())) {
            deleteExtractedLibraries(Path.of("/proc/self/maps"), Path.of(System.getProperty("java.io.tmpdir")));
            try {
                LibC.INSTANCE._exit(code);
            } catch (Throwable e) {
                // the C library could not be reached (JNA did not load): the JVM's exit, slower but whole
            }
        }
        System.exit(code);
    }

    /**
     * Deletes what the JVM's exit would have deleted and {@code _exit} skips: lz4-java copies its native library into
     * the temporary directory in every process that compresses with it (the embedded farm's clients do), beside a
     * lock file, both to be deleted at exit; left behind, every scan added 155 KB to /tmp. They are found as the files
     * of that name in {@code tmp} that this process has mapped ({@code maps}: /proc/self/maps). Returns what went.
     */
    static List<Path> deleteExtractedLibraries(Path maps, Path tmp) {
        List<Path> deleted = new ArrayList<>();
        try {
            Path dir = tmp.toRealPath();
            for (String line : Files.readAllLines(maps)) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                Path lib = Path.of(line.substring(slash));
                String name = lib.getFileName().toString();
                if (dir.equals(lib.getParent()) && name.startsWith("liblz4-java-") && name.endsWith(".so")) {
                    for (Path p : List.of(lib, lib.resolveSibling(name + ".lck"))) {
                        if (Files.deleteIfExists(p)) {
                            deleted.add(p);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // ending anyway: a leftover file is the worst outcome
        }
        return deleted;
    }

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        void _exit(int status);
    }

    /**
     * Whether the process ends with {@code _exit}, skipping the JVM's own exit: when deferred actions ran (a finished
     * farm is left running), or when the class-data archive being recorded is not wanted, and in neither case if the
     * JVM has work at exit that is wanted: a flight recording to dump, an archive to write.
     */
    static boolean endsWithoutTheJvmsExit(boolean deferred, boolean archiveAtExit, boolean archiveUnwanted, boolean recording) {
        if (recording) {
            return false;
        }
        if (archiveAtExit) {
            return archiveUnwanted;
        }
        return deferred;
    }

    /**
     * Whether the JVM writes a class-data archive at its exit ({@code -XX:ArchiveClassesAtExit}). If unsure, yes: the
     * JVM's exit then runs unless the archive is known to be unwanted.
     */
    private static boolean archiveAtExit() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return !vm.getVMOption("ArchiveClassesAtExit").getValue().isEmpty();
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** Whether a flight recording is on, which the JVM dumps at its exit. */
    private static boolean recording() {
        return FlightRecorder.isInitialized() && !FlightRecorder.getFlightRecorder().getRecordings().isEmpty();
    }

    /** Runs the deferred actions once; whether there were any. */
    private static boolean runActions() {
        List<Runnable> todo;
        synchronized (ProcessEnd.class) {
            if (ran) {
                return false;
            }
            ran = true;
            todo = new ArrayList<>(ACTIONS);
        }
        if (todo.isEmpty()) {
            return false;
        }
        System.out.flush();
        System.err.flush();
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
        for (Runnable r : todo) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // ending anyway: a leftover temporary directory is the worst outcome
            }
        }
        return true;
    }
}
