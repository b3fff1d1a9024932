package io.scanfarm.matcher.bench;

import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.osdb.OsDb;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The matcher's figures against the targets, in one run (deploy/bench/matcher): cold and warm database
 * load and compile times, heap retained by the loaded and compiled database, and single-thread match throughput
 * measured by JMH in a forked JVM. Load times are taken first, in this fresh JVM, so the first one is what a
 * service pays at start.
 */
public final class MatcherBench {

    static final double TARGET_SUBJECTS_PER_S = 4300;
    static final double TARGET_LOAD_MS = 300;
    static final double TARGET_COMPILE_MS = 300;
    static final double TARGET_HEAP_MIB = 64;
    /** Nmap 7.93's own matcher: about 23 ms per subject on this kind of machine (shared/DESIGN.md). */
    static final double NMAP_SUBJECTS_PER_S = 43;

    /** Repeats after the first, for a median that is the steady-state figure. */
    private static final int REPEATS = 9;

    private MatcherBench() {
    }

    public static void main(String[] args) throws RunnerException {
        Path database = BenchInputs.database();
        System.out.printf(Locale.ROOT, "database: %s%njava %s (%s), %d CPUs, GC %s%n", database,
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), gcNames());
        double loadBefore = loadAverage();
        System.out.printf(Locale.ROOT, "system load average before: %.2f%n%n", loadBefore);

        double[] loadMs = timeLoads(database);
        double[] compileMs = timeCompiles(database);
        HeapFigure heap = retainedHeap(database);
        RunResult jmh = runThroughput("matchOneSubject");
        Result<?> primary = jmh.getPrimaryResult();
        Result<?> oneSystem = runThroughput("matchHostOfOneSystem").getPrimaryResult();

        double perSecond = primary.getScore();
        double firstLoad = loadMs[0];
        double firstCompile = compileMs[0];
        System.out.println();
        System.out.println("== matcher benchmark: Nmap 7.93 database, oracle subjects, one thread ==");
        System.out.printf(Locale.ROOT, "compiled: %s%n", heap.description());
        // Other processes on the machine take CPU from the one benchmark thread and its JIT and GC threads.
        System.out.printf(Locale.ROOT, "system load average: %.2f before, %.2f after, on %d CPUs%n",
                loadBefore, loadAverage(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "match throughput : %,.0f subjects/s (± %,.0f, 99.9%% CI)  target >= %,.0f  %s%n",
                perSecond, primary.getScoreError(), TARGET_SUBJECTS_PER_S, verdict(perSecond >= TARGET_SUBJECTS_PER_S));
        System.out.printf(Locale.ROOT, "                   %.3f ms/subject, %.0fx Nmap's ~%.0f subjects/s%n",
                1000 / perSecond, perSecond / NMAP_SUBJECTS_PER_S, NMAP_SUBJECTS_PER_S);
        System.out.printf(Locale.ROOT, "hosts of one system: %,.0f subjects/s (± %,.0f), %.3f ms/subject: lines but SEQ shared, their points"
                + " added up once%n", oneSystem.getScore(), oneSystem.getScoreError(), 1000 / oneSystem.getScore());
        System.out.printf(Locale.ROOT, "database load    : %.1f ms first (cold), %.1f ms median of %d  target < %.0f ms  %s%n",
                firstLoad, median(loadMs), REPEATS, TARGET_LOAD_MS, verdict(firstLoad < TARGET_LOAD_MS));
        System.out.printf(Locale.ROOT, "compile          : %.1f ms first (cold), %.1f ms median of %d  target < %.0f ms  %s%n",
                firstCompile, median(compileMs), REPEATS, TARGET_COMPILE_MS, verdict(firstCompile < TARGET_COMPILE_MS));
        System.out.printf(Locale.ROOT, "retained heap    : %.1f MiB (loaded + compiled)  target < %.0f MiB  %s%n",
                heap.mib(), TARGET_HEAP_MIB, verdict(heap.mib() < TARGET_HEAP_MIB));
    }

    /** Element 0 is the first load in this JVM; the rest are repeats. Only numbers leave, so nothing stays alive. */
    private static double[] timeLoads(Path database) {
        double[] ms = new double[REPEATS + 1];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            OsDbFiles.load(database);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    private static double[] timeCompiles(Path database) {
        OsDb db = OsDbFiles.load(database).db();
        double[] ms = new double[REPEATS + 1];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            OsMatcher.compile(db);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    private record HeapFigure(double mib, String description) {
    }

    /** Used heap after full collections, with and without one loaded+compiled database strongly held. */
    private static HeapFigure retainedHeap(Path database) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = settledUsedHeap(memory);
        OsMatcher matcher = OsMatcher.compile(OsDbFiles.load(database).db());
        long after = settledUsedHeap(memory);
        // The matcher holds the OsDb it was compiled from, so this one reference keeps both.
        Reference.reachabilityFence(matcher);
        return new HeapFigure((after - before) / (1024.0 * 1024.0), matcher.describe());
    }

    /** A few System.gc() calls: one may leave objects a later cycle frees (references, G1 region timing). */
    private static long settledUsedHeap(MemoryMXBean memory) {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * JMH in one fork. The fork inherits this JVM's options (-Dscanfarm.shared among them), class path and
     * working directory, so it finds the same data; MatchBenchmark's @Fork adds its heap settings.
     */
    private static RunResult runThroughput(String method) throws RunnerException {
        Options options = new OptionsBuilder()
                .include("^" + MatchBenchmark.class.getName().replace(".", "\\.") + "\\." + method + "$")
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        if (results.size() != 1) {
            throw new IllegalStateException("expected one JMH result, got " + results.size());
        }
        return results.iterator().next();
    }

    private static double median(double[] firstThenRepeats) {
        double[] repeats = Arrays.copyOfRange(firstThenRepeats, 1, firstThenRepeats.length);
        Arrays.sort(repeats);
        int n = repeats.length;
        return n % 2 == 1 ? repeats[n / 2] : (repeats[n / 2 - 1] + repeats[n / 2]) / 2;
    }

    private static String verdict(boolean met) {
        return met ? "MET" : "MISSED";
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String gcNames() {
        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        return gcs.stream().map(GarbageCollectorMXBean::getName).collect(Collectors.joining("+"));
    }
}
