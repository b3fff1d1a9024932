package io.scanfarm.matcher.bench;

import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.osdb.OsDb;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The matcher's costs against the full Nmap 7.93 database on one thread: matching one subject (cycling through
 * all oracle subjects, so every kind of subject weighs as often as the oracle has it), loading the database,
 * compiling it. Run by {@link MatcherBench}, or alone with {@code org.openjdk.jmh.Main MatchBenchmark}.
 * Iterations are short so that the whole run stays within about two minutes on a 2-core machine.
 */
@State(Scope.Thread)
@Threads(1)
// A fixed, pre-touched heap: otherwise G1 grows eden to ~1.7 GB and the first pass over each new page costs
// kernel page faults (40% sys time), which made whole iterations a third slower than the steady state.
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 8, time = 2)
public class MatchBenchmark {

    /** Sets of steady lines the matcher remembers ({@code -p steadyEntries=0}: none, every test scored every time). */
    @Param({"64"})
    public int steadyEntries;

    private Path database;
    private OsDb db;
    private OsMatcher matcher;
    private SubjectFingerprint[] subjects;
    private int next;
    private SubjectFingerprint[] oneSystem;
    private int nextHost;

    @Setup
    public void setUp() {
        database = BenchInputs.database();
        db = OsDbFiles.load(database).db();
        matcher = OsMatcher.compile(db, steadyEntries);
        subjects = BenchInputs.subjects().toArray(new SubjectFingerprint[0]);
        oneSystem = BenchInputs.hostsOfOneSystem(subjects).toArray(new SubjectFingerprint[0]);
    }

    /** One op = one subject; the counter costs nothing beside a match, and JMH sinks the returned result. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public MatchResult matchOneSubject() {
        SubjectFingerprint s = subjects[next];
        if (++next == subjects.length) {
            next = 0;
        }
        return matcher.match(s);
    }

    /**
     * One op = one host of a range that runs one system: every subject has the same lines but SEQ, whose values
     * differ from host to host (taken from the oracle subjects in turn). What scanning a uniform range costs.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public MatchResult matchHostOfOneSystem() {
        SubjectFingerprint s = oneSystem[nextHost];
        if (++nextHost == oneSystem.length) {
            nextHost = 0;
        }
        return matcher.match(s);
    }

    /** Read, NUL check, sha256 and parse: what OsDbFiles.load does at service start. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public OsDb loadDatabase() {
        return OsDbFiles.load(database).db();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public OsMatcher compileDatabase() {
        return OsMatcher.compile(db);
    }
}
