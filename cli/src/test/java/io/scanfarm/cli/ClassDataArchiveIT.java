package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.scanfarm.cli.farm.ProcessEnd;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher has the first {@code scan} after a build write the class-data archive that later commands load their
 * classes from, and says that it wants one only from a run that followed a scan
 * ({@link ProcessEnd#ARCHIVE_AFTER_SCAN_ONLY}): written by {@code scan --help}, it held 9 MB of the 63 MB a scan
 * loads, and every later scan of that build was about 40% slower. These tests run the built jar as the launcher
 * does, and the launcher itself.
 */
class ClassDataArchiveIT {

    @TempDir
    Path dir;
    /** The link to the built jar in {@link #checkout()}'s checkout, if one was made. */
    private Path jarLink;

    @Test
    void scanHelpWritesNoArchive() throws Exception {
        Path help = dir.resolve("help.jsa");
        JarProcess h = JarProcess.command(dir, "help", archivingTo(help, true), "scan", "--help");
        assertEquals(0, h.waitFor(Duration.ofSeconds(60)), h.log());
        assertTrue(h.out().contains("--bootstrap-servers"), h.log());
        assertFalse(Files.exists(help), "scan --help wrote a class-data archive");
    }

    @Test
    void aRefusedScanWritesNoArchive() throws Exception {
        LabSupport.requireRoot(); // raw packets are checked for before the targets' scope
        Path refused = dir.resolve("refused.jsa");
        JarProcess r = JarProcess.command(dir, "refused", archivingTo(refused, true),
                "scan", "--allow", "127.0.0.2/32", "--os-db", LabSupport.database(), "127.0.0.3");
        assertEquals(1, r.waitFor(Duration.ofSeconds(60)), r.log());
        assertTrue(r.out().contains("refused: 127.0.0.3 is outside the allowed ranges"), r.log());
        assertFalse(Files.exists(refused), "a refused scan wrote a class-data archive");
    }

    @Test
    void aScanOnTheEmbeddedFarmWritesAnArchiveOfItsClasses() throws Exception {
        LabSupport.requireRoot();
        // What the first scan after a build wrote when nothing stopped it: the archive of a help text.
        Path helpAnyway = dir.resolve("help-anyway.jsa");
        JarProcess ha = JarProcess.command(dir, "help-anyway", archivingTo(helpAnyway, false), "scan", "--help");
        assertEquals(0, ha.waitFor(Duration.ofSeconds(60)), ha.log());
        assertTrue(Files.size(helpAnyway) > 0, ha.log());

        Path scanned = dir.resolve("scan.jsa");
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            JarProcess scan = JarProcess.command(dir, "scan", archivingTo(scanned, true), loopbackScan(listener));
            assertEquals(0, scan.waitFor(Duration.ofSeconds(180)), scan.log());
            assertTrue(scan.out().contains("\"status\":\"up\""), scan.log());
        }
        // The embedded farm's broker, agent and matcher: several times what the help text needs (63 MB against 9 MB
        // when measured), the classes every later scan of the build would otherwise load from the jar.
        assertTrue(Files.size(scanned) > 3 * Files.size(helpAnyway),
                "the scan's archive has " + Files.size(scanned) + " bytes, scan --help's " + Files.size(helpAnyway));
    }

    /**
     * The launcher in a checkout of its own (the script, and the built jar where it looks for it): {@code scan --help}
     * leaves no archive and no half-written file; a scan on the embedded farm leaves {@code scanfarm.jsa}, not the
     * archive of scans submitted to a running farm.
     */
    @Test
    void theLauncherKeepsTheArchiveOfAScanAndNotOfItsHelp() throws Exception {
        LabSupport.requireRoot();
        Path checkout = checkout();
        Path target = checkout.resolve("cli").resolve("target");
        assertEquals(0, launch(checkout, "help", "scan", "--help"), log("help"));
        assertEquals(List.of(), archives(target), "scan --help left an archive\n" + log("help"));

        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(0, launch(checkout, "scan", loopbackScan(listener)), log("scan"));
        }
        assertEquals(List.of("scanfarm.jsa"), archives(target), log("scan"));
    }

    /**
     * On a machine of one or two cores the launcher runs its commands on one compiler thread (larger ones keep the
     * JVM's count), and leaves that out when the options the JVM reads ({@code SCANFARM_JAVA_OPTS} on its line,
     * {@code _JAVA_OPTIONS} from its environment) turn C2 back on: the JVM refuses to start with one compiler thread
     * and two compilers.
     */
    @Test
    void theLauncherAsksForOneCompilerThreadOnTwoCoresUnlessTheOptionsNameTheCompilers() throws Exception {
        Path checkout = checkout();
        assertEquals(0, launch(checkout, "default", Map.of("SCANFARM_JAVA_OPTS", "-XX:+PrintFlagsFinal"), "--version"),
                log("default"));
        String printed = log("default");
        int compilerThreads = Integer.parseInt(flag(printed, "CICompilerCount"));
        if (onlineCpus() <= 2) {
            assertEquals(1, compilerThreads, printed);
        } else {
            assertTrue(compilerThreads >= 2, printed);
        }
        assertEquals("1", flag(printed, "TieredStopAtLevel"), printed);

        String c2 = "-XX:TieredStopAtLevel=4 -XX:+PrintFlagsFinal";
        assertEquals(0, launch(checkout, "c2", Map.of("SCANFARM_JAVA_OPTS", c2), "--version"), log("c2"));
        printed = log("c2");
        assertEquals("4", flag(printed, "TieredStopAtLevel"), printed);
        assertTrue(Integer.parseInt(flag(printed, "CICompilerCount")) >= 2, printed);

        // The same options where the JVM reads them from its environment rather than from the launcher's line.
        assertEquals(0, launch(checkout, "env", Map.of("_JAVA_OPTIONS", c2), "--version"), log("env"));
        printed = log("env");
        assertEquals("4", flag(printed, "TieredStopAtLevel"), printed);
    }

    /** A checkout of the launcher's own in the temporary directory: the script, and the built jar where it looks. */
    private Path checkout() throws Exception {
        Path checkout = dir.resolve("checkout");
        Path target = Files.createDirectories(checkout.resolve("cli").resolve("target"));
        Files.copy(Path.of("..", "scanfarm"), checkout.resolve("scanfarm"), StandardCopyOption.COPY_ATTRIBUTES);
        jarLink = Files.createSymbolicLink(target.resolve("scanfarm.jar"), JarProcess.JAR.toAbsolutePath());
        return checkout;
    }

    @AfterEach
    void deleteJarLink() throws Exception {
        if (jarLink != null) {
            Files.deleteIfExists(jarLink); // the link, not the build's jar
        }
    }

    /** The CPUs the kernel lists online ({@code /sys/devices/system/cpu/online}: "0-1", "0-3,6"). */
    private static int onlineCpus() throws Exception {
        Path online = Path.of("/sys/devices/system/cpu/online");
        assumeTrue(Files.isReadable(online), online + " is not readable here: the launcher asks for no compiler count");
        int n = 0;
        for (String span : Files.readString(online).trim().split(",")) {
            String[] ends = span.split("-");
            n += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return n;
    }

    /** The value of {@code name} in the JVM's -XX:+PrintFlagsFinal table. */
    private static String flag(String printed, String name) {
        Matcher m = Pattern.compile("^\\s*\\S+\\s+" + name + "\\s+= (\\S+)", Pattern.MULTILINE).matcher(printed);
        assertTrue(m.find(), "no " + name + " among the JVM's flags");
        return m.group(1);
    }

    private static String[] loopbackScan(ServerSocket listener) {
        return new String[] {"scan", "--format", "json", "--ports", listener.getLocalPort() + ",1", "--allow", "127.0.0.0/8",
            "--os-db", LabSupport.database(), "127.0.0.1"};
    }

    /** JVM options that write a class-data archive to {@code file} at exit; {@code scanOnly}: as the launcher asks. */
    private static List<String> archivingTo(Path file, boolean scanOnly) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:ArchiveClassesAtExit=" + file,
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        if (scanOnly) {
            jvm.add("-D" + ProcessEnd.ARCHIVE_AFTER_SCAN_ONLY + "=true");
        }
        return jvm;
    }

    /** Runs the checkout's launcher with {@code args}, its output in {@code name}.log; returns its exit status. */
    private int launch(Path checkout, String name, String... args) throws Exception {
        return launch(checkout, name, Map.of(), args);
    }

    /** As {@link #launch(Path, String, String...)}, with {@code env} added to the launcher's environment. */
    private int launch(Path checkout, String name, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", checkout.resolve("scanfarm").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        b.environment().putAll(env);
        Process p = b.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher ran over 180 s\n" + log(name));
        }
        return p.exitValue();
    }

    private String log(String name) throws Exception {
        Path f = dir.resolve(name + ".log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /** The files in {@code target} beside the jar: the archives and any half-written one. */
    private static List<String> archives(Path target) throws Exception {
        try (Stream<Path> s = Files.list(target)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("scanfarm.jar")).sorted().toList();
        }
    }
}
