package io.scanfarm.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanfarm.agent.plan.NmapFirstGenerationPlan;
import io.scanfarm.agent.plan.NmapSecondGenerationPlan;
import io.scanfarm.agent.plan.ProbePlan;
import io.scanfarm.agent.scan.OsScanner;
import io.scanfarm.agent.scan.ScanOptions;
import io.scanfarm.agent.service.Observations;
import io.scanfarm.cli.farm.LocalFarm;
import io.scanfarm.cli.farm.ProcessEnd;
import io.scanfarm.coordinator.service.BrokerUnavailableException;
import io.scanfarm.coordinator.service.Coordinator;
import io.scanfarm.coordinator.service.ScanLookup;
import io.scanfarm.coordinator.service.ScanTracker;
import io.scanfarm.coordinator.targets.SegmentMap;
import io.scanfarm.coordinator.targets.TargetException;
import io.scanfarm.coordinator.targets.TargetSet;
import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.service.MatcherService;
import io.scanfarm.matcher.service.VerdictBuilder;
import io.scanfarm.matcher.service.VerdictEcs;
import io.scanfarm.matcher.service.VerdictJson;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.ProbeProfile;
import io.scanfarm.wire.AddressBlock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scanfarm scan}: Nmap's OS detection against hosts through the farm. By default the whole farm runs in
 * this process on an embedded Kafka broker; with {@code --bootstrap-servers} the scan is submitted to a
 * running farm and followed there.
 */
@Command(name = "scan",
        mixinStandardHelpOptions = true,
        description = {"Probe hosts with Nmap's second-generation OS detection probes and print Nmap's verdict.",
            "Runs the whole farm (coordinator, agent, matcher) in this process on an embedded Kafka broker,",
            "or submits to a running farm with --bootstrap-servers. Probing needs root, or CAP_NET_RAW and CAP_NET_ADMIN."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every target was scanned (down hosts included)",
            "1:some targets could not be scanned (unresolvable, out of scope, no route, error), or the scan did not complete",
            "2:usage error, bad targets, no raw packet access, no libpcap, no broker, or a missing or malformed database"})
final class ScanCommand implements Callable<Integer> {

    static final String DEFAULT_PORTS = "21,22,23,25,53,80,110,139,143,443,445,993,995,3306,3389,5432,8080,8443,1";
    static final String LOCAL_SEGMENT = "local";

    enum Format { text, json, xml, ecs, csv }

    @Spec
    CommandSpec spec;

    @Option(names = "--ports", paramLabel = "LIST", defaultValue = DEFAULT_PORTS,
            description = "TCP ports to find an open and a closed one among (default ${DEFAULT-VALUE})")
    String ports;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (Nmap-like), json (one object per host per line), ecs (Elastic Common Schema lines), csv (a row per host) or xml (Nmap's XML, valid against nmap.dtd)")
    Format format;

    private NmapXml xml;
    private boolean csvHeader;

    enum Profile { nmap2, nmap1 }

    @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "nmap2",
            description = {"nmap2 (the default): Nmap 7.93's second-generation probes, matched against nmap-os-db;",
                "nmap1: Nmap 3.x/4.x's first generation (T1-T7, the UDP probe, six SYNs), matched against nmap-os-fingerprints"})
    Profile profile;

    @Option(names = "--os-db", paramLabel = "PATH", description = "nmap-os-db to use (default: as for scanfarm match)")
    Path osDb;

    @Option(names = "--allow", paramLabel = "CIDR[,CIDR...]", defaultValue = "${env:SCANFARM_ALLOW}",
            description = "only ever probe these ranges; others are refused without a packet (default: $SCANFARM_ALLOW, else no limit)")
    String allow;

    @Option(names = "--exclude", paramLabel = "TARGETS", description = "addresses, CIDR blocks or ranges to leave out")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--allow-large", description = "scan more than " + TargetSet.DEFAULT_MAX + " addresses (a /16)")
    boolean allowLarge;

    @Option(names = "--job-size", paramLabel = "N", defaultValue = "256", description = "addresses per job (default ${DEFAULT-VALUE})")
    int jobSize;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "submit to a running farm instead of the embedded one")
    String bootstrap;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties (security.protocol, SASL, SSL...) for --bootstrap-servers, or a service configuration's kafka.* keys")
    Path kafkaConfig;

    @Option(names = "--signing-key", paramLabel = "FILE",
            description = "with --bootstrap-servers: the Ed25519 key (NAME.key, from scanfarm keygen) that signs the jobs")
    Path signingKey;

    @Option(names = "--unsigned", description = "with --bootstrap-servers: publish unsigned jobs (only agents with accept.unsigned=true run them)")
    boolean unsigned;

    @Option(names = "--segment", paramLabel = "NAME", defaultValue = "default", description = "with --bootstrap-servers: the segment whose agents probe the targets (default ${DEFAULT-VALUE})")
    String segment;

    @Option(names = "--segments", paramLabel = "CIDR=NAME[,...]", description = "with --bootstrap-servers: route each address to the segment of the most specific block holding it; addresses in none are reported, not scanned")
    String segments;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600", description = "give up following the scan after this long (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--hosts-in-flight", paramLabel = "N", defaultValue = "256",
            description = "hosts probed at once by the embedded agent (default ${DEFAULT-VALUE})")
    int hostsInFlight;

    @Option(names = "--max-rate", paramLabel = "PPS", defaultValue = "0",
            description = "packets per second at most (0, the default: no ceiling); with --bootstrap-servers it goes in the jobs")
    int maxRate;

    private ScanProgress bar = ScanProgress.none();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the results to FILE instead of standard output")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "no progress and no summary on standard error (problems are still reported)")
    boolean quiet;

    @Option(names = "--resume", paramLabel = "SCAN_ID",
            description = "with --bootstrap-servers: follow a scan submitted before (by a scan that was stopped) to its end, all its results printed")
    String resume;

    @Option(names = "--direct", description = "probe and match in this process without Kafka (for debugging)")
    boolean direct;

    @Option(names = {"-iL", "--input-file"}, paramLabel = "FILE", description = "read targets from a file (white space or commas between them, '#' comments)")
    Path inputFile;

    @Option(names = "--exclude-file", paramLabel = "FILE", description = "read exclusions from a file")
    Path excludeFile;

    @Parameters(paramLabel = "TARGET", arity = "0..*", description = "IPv4 addresses, CIDR blocks (198.18.16.0/24), ranges (198.18.1.2-9) or host names")
    List<String> targets = new ArrayList<>();

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The ranked matches any output format prints, at most: JSON and CSV the first ten, XML Nmap's osmatch list
     * (1-8 perfect matches, which rank first, or at most ten guesses), text the report lines and none.
     */
    static final int MATCHES_PRINTED = 10;
    /** Writes one JSON line into the output and leaves the output open and unflushed (println flushes it). */
    private static final JsonFactory LINES = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();

    @Override
    public Integer call() throws Exception {
        boolean remote = bootstrap != null;
        if (resume != null) {
            return resume();
        }
        if (remote && signingKey == null && !unsigned) {
            throw new UserError("jobs for a running farm are signed: give --signing-key FILE (made by scanfarm keygen, its"
                    + " .pub in the agents' trusted.keys), or --unsigned for agents that accept unsigned jobs");
        }
        if (!remote && (signingKey != null || unsigned)) {
            throw new UserError("--signing-key and --unsigned go with --bootstrap-servers (the embedded farm signs its jobs itself)");
        }
        if (signingKey != null && unsigned) {
            throw new UserError("--signing-key and --unsigned exclude each other");
        }
        if (jobSize < 1 || jobSize > 65536) {
            throw new UserError("--job-size must be 1 to 65536");
        }
        if (maxRate < 0) {
            throw new UserError("--max-rate must be 0 (no ceiling) or more");
        }
        if (hostsInFlight < 1 || hostsInFlight > 65536) {
            throw new UserError("--hosts-in-flight must be 1 to 65536");
        }
        List<Integer> portList = parsePorts(ports);
        Scope scope = new Scope(allow);
        if (inputFile != null) {
            List<String> fromFile = readList(inputFile);
            if (fromFile.isEmpty()) {
                throw new UserError(inputFile + ": no targets in the file");
            }
            targets.addAll(fromFile);
        }
        if (excludeFile != null) {
            exclude.addAll(readList(excludeFile));
        }
        if (targets.isEmpty()) {
            throw new UserError("no targets: give addresses, blocks, ranges or names, or -iL FILE");
        }
        PrintWriter err = spec.commandLine().getErr();
        return toOutput(out -> scan(out, err, portList, scope, remote));
    }

    /** Runs {@code results} on standard output, or on the --output file. */
    private int toOutput(ResultsOutput.Results results) throws Exception {
        return ResultsOutput.write(output, spec.commandLine().getOut(), results);
    }

    private int scan(PrintWriter out, PrintWriter err, List<Integer> portList, Scope scope, boolean remote) throws Exception {
        int failures = 0;
        List<String> specs = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (String t : targets) {
            if (looksNumeric(t)) {
                specs.add(t);
                continue;
            }
            try {
                String address = resolve(t);
                specs.add(address);
                names.put(address, t);
            } catch (UnknownHostException e) {
                failures++;
                problem(out, err, t, "unresolvable: no IPv4 address for '" + t + "'");
            }
        }
        List<Long> addresses = List.of();
        if (!specs.isEmpty()) {
            try {
                addresses = TargetSet.expand(specs, exclude, TargetSet.DEFAULT_MAX, allowLarge);
            } catch (TargetException e) {
                throw new UserError(e.getMessage());
            }
        }
        if (!remote) {
            // Checked before any packet is sent, once the command line is known to be sound.
            Preflight.requireRawPackets();
        }
        List<Long> inScope = new ArrayList<>();
        for (long a : addresses) {
            if (scope.allows(a)) {
                inScope.add(a);
            } else {
                String text = AddressBlock.text(a);
                failures++;
                problem(out, err, names.getOrDefault(text, text), "refused: " + text + " is outside the allowed ranges (" + scope + "); no packet sent");
            }
        }
        if (inScope.isEmpty()) {
            return failures == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
        int[] counts = new int[3];
        long started = System.nanoTime();
        if (format == Format.xml) {
            xml(out); // the document opens now: its start time is the scan's, as in Nmap's, not the first result's
        }
        ScanTracker.Progress progress;
        // A bar on a terminal, plain lines every 10 s otherwise; none for a single host or with --quiet.
        bar = quiet || inScope.size() < 2 ? ScanProgress.none()
                : ScanProgress.start(inScope.size(), System.console() != null, err, Duration.ofSeconds(10));
        int unrouted = 0;
        try (ScanProgress closing = bar) {
            if (direct) {
                progress = scanDirect(inScope, portList, out, names, counts);
            } else if (remote) {
                Properties kafka = kafkaProperties();
                Coordinator coordinator = new Coordinator(kafka, 4, (short) 1, Duration.ofSeconds(10));
                if (signingKey != null) {
                    coordinator.signWith(KeyFiles.pair(signingKey));
                }
                Map<String, List<Long>> bySegment = route(inScope, out, err, names);
                unrouted = inScope.size() - bySegment.values().stream().mapToInt(List::size).sum();
                if (!bySegment.isEmpty()) {
                    coordinator.ensureTopics(bySegment.keySet()); // an unreachable broker is reported here, within the timeout
                }
                for (String seg : bySegment.keySet()) {
                    if (coordinator.activeAgents(seg) == 0) {
                        throw new UserError("no agent serves segment '" + seg + "' (its consumer group scanfarm-agent-" + seg
                                + " has no member): start one with scanfarm agent --config FILE, or route elsewhere");
                    }
                }
                progress = bySegment.isEmpty() ? new ScanTracker.Progress(0, 0, 0, 0, 0, true)
                        : submitAndFollow(coordinator, kafka, bySegment, portList, out, names, counts);
            } else {
                // The database loads while the broker starts: neither waits for the other.
                CompletableFuture<VerdictBuilder> loading = CompletableFuture.supplyAsync(this::verdictBuilder);
                int matchers = localMatchers(Runtime.getRuntime().availableProcessors());
                try (LocalFarm farm = LocalFarm.start(LOCAL_SEGMENT, matchers)) {
                    // The agent needs no database: it joins and starts probing while the database may still be loading.
                    List<AddressBlock> allowlist = new ArrayList<>();
                    inScope.forEach(a -> allowlist.add(new AddressBlock(a, 32)));
                    ScanOptions options = new ScanOptions(portList, plan(), 1_000_000, 2, hostsInFlight, System.nanoTime(), maxRate);
                    farm.startAgent(LOCAL_SEGMENT, "local", allowlist, options);
                    VerdictBuilder builder = loaded(loading);
                    for (int i = 0; i < matchers; i++) {
                        // The farm's broker dies with this command: no SIEM can read its JSON topic, so none is written.
                        farm.start(new MatcherService(farm.kafka(), builder, "local-" + i).withoutJsonTopic());
                    }
                    // Only now, with a database that loaded, does the job go out: a scan that cannot be matched sends nothing.
                    progress = submitAndFollow(farm.coordinator(), farm.kafka(), Map.of(LOCAL_SEGMENT, inScope), portList, out, names, counts);
                    farm.finished();
                }
            }
        }
        failures += unrouted;
        return finish(out, err, progress, counts, failures, started);
    }

    /** The verdict builder loaded beside the broker's start, or what stopped it from loading. */
    private static VerdictBuilder loaded(CompletableFuture<VerdictBuilder> loading) throws Exception {
        try {
            return loading.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The closing summary on standard error and the exit code, once the scan ended or was given up. */
    private int finish(PrintWriter out, PrintWriter err, ScanTracker.Progress progress, int[] counts, int failures, long started) {
        if (format == Format.xml) {
            xml(out).finish(progress.complete());
            out.flush();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!quiet) {
            err.printf(Locale.ROOT, "scanfarm done: %d IP address%s (%d host%s up) scanned in %.2f seconds%n",
                    progress.verdicts(), progress.verdicts() == 1 ? "" : "es", counts[0], counts[0] == 1 ? "" : "s", seconds);
        }
        if (!progress.complete()) {
            err.println("scanfarm scan: the scan did not complete within " + timeoutSeconds + " s: "
                    + progress.verdicts() + " of " + progress.hostsExpected() + " addresses have a verdict");
            return ExitCodes.PARTIAL;
        }
        return failures + counts[2] == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    /**
     * {@code --resume SCAN_ID}: finds the scan again on the topics (its jobs, and where its results start: see
     * ScanLookup) and follows it like the scan that submitted it would have, printing every result of the scan.
     * Nothing is published, so no key is needed and a resume can itself be stopped and resumed.
     */
    private int resume() throws Exception {
        if (bootstrap == null) {
            throw new UserError("--resume follows a scan of a running farm: give --bootstrap-servers too");
        }
        if (!targets.isEmpty() || inputFile != null || direct || signingKey != null || unsigned) {
            throw new UserError("--resume takes no targets, -iL, --direct, --signing-key or --unsigned: the scan is already submitted");
        }
        PrintWriter err = spec.commandLine().getErr();
        return toOutput(out -> resume(out, err));
    }

    private int resume(PrintWriter out, PrintWriter err) throws IOException {
        long started = System.nanoTime();
        Properties kafka = kafkaProperties();
        ScanTracker.CoordinatorSubmission submission;
        try {
            submission = ScanLookup.find(kafka, resume, Duration.ofSeconds(10)).orElseThrow(() -> new UserError("no job of scan '"
                    + resume + "' on the jobs topics of " + bootstrap + " (a wrong id, or the jobs are gone with the topics' retention)"));
        } catch (BrokerUnavailableException e) {
            throw new UserError(e.getMessage());
        }
        if (!quiet) {
            err.println("scanfarm scan: following scan " + resume + " again from the topics: " + submission.jobs() + " jobs, "
                    + submission.hosts() + " addresses");
            err.flush();
        }
        int[] counts = new int[3];
        ScanTracker.Progress progress;
        bar = quiet || submission.hosts() < 2 ? ScanProgress.none()
                : ScanProgress.start(submission.hosts(), System.console() != null, err, Duration.ofSeconds(10));
        try (ScanProgress closing = bar) {
            progress = follow(new ScanTracker(kafka, submission), out, Map.of(), counts);
        }
        return finish(out, err, progress, counts, 0, started);
    }

    /** Probes and matches in this thread, without Kafka: the same verdicts the farm would publish. */
    private ScanTracker.Progress scanDirect(List<Long> addresses, List<Integer> portList, PrintWriter out,
                                            Map<String, String> names, int[] counts) throws IOException {
        VerdictBuilder builder = verdictBuilder();
        ScanOptions options = new ScanOptions(portList, plan(), 1_000_000, 2, hostsInFlight, System.nanoTime(), maxRate);
        List<String> texts = new ArrayList<>();
        addresses.forEach(a -> texts.add(AddressBlock.text(a)));
        int[] done = {0};
        try (OsScanner scanner = new OsScanner(options)) {
            scanner.scan(texts, h -> {
                done[0]++;
                OsVerdict v = builder.build(Observations.of(h).setProfile(profile == Profile.nmap1 ? ProbeProfile.NMAP1 : ProbeProfile.NMAP2)
                        .build(), System.currentTimeMillis()).verdict();
                count(v, counts);
                print(out, v, names.getOrDefault(v.getTarget(), v.getTarget()));
            });
        }
        return new ScanTracker.Progress(addresses.size(), done[0], 0, 0, 0, done[0] == addresses.size());
    }

    private static void count(OsVerdict v, int[] counts) {
        if (v.getHostStatus() == HostStatus.UP) {
            counts[0]++;
        } else if (v.getHostStatus() != HostStatus.DOWN) {
            counts[2]++;
        }
    }

    /** Addresses by segment: --segments when given, else all to --segment; the unrouted are reported. */
    private Map<String, List<Long>> route(List<Long> addresses, PrintWriter out, PrintWriter err, Map<String, String> names) {
        if (segments == null) {
            return Map.of(segment, addresses);
        }
        Map<String, List<Long>> routed;
        try {
            routed = new LinkedHashMap<>(SegmentMap.parse(List.of(segments.split(","))).route(addresses));
        } catch (TargetException e) {
            throw new UserError("--segments: " + e.getMessage());
        }
        List<Long> nowhere = routed.remove(null);
        if (nowhere != null) {
            for (long a : nowhere) {
                String text = AddressBlock.text(a);
                problem(out, err, names.getOrDefault(text, text), "no segment: " + text + " is in none of --segments (" + segments + "); not scanned");
            }
        }
        return routed;
    }

    /**
     * How many matchers the embedded farm runs, each on its own partition of the observations: one for every two
     * cores, at least one, at most eight. A matcher scores thousands of hosts a second on one core, more than one
     * agent probes; the agent's scheduler, sender and capture threads and the broker take the rest. On the 2-core
     * development machine a second matcher (the earlier one per core) added a consumer, a producer and their broker
     * requests that competed with the agent for the cores: of 16 alternated pairs of /20 scans, 13 were faster with
     * one, the command's CPU time 0.3 to 0.5 s lower and its peak RSS 10 to 20 MB lower.
     */
    static int localMatchers(int cores) {
        return Math.min(8, Math.max(1, cores / 2));
    }

    /** Submits the scan and follows it; the segments' topics exist (made by the caller: remote, or the local farm). */
    private ScanTracker.Progress submitAndFollow(Coordinator coordinator, Properties kafka, Map<String, List<Long>> bySegment,
                                                 List<Integer> portList, PrintWriter out, Map<String, String> names, int[] counts) {
        Coordinator.Submitted s;
        try {
            s = coordinator.submit(new Coordinator.Request(Coordinator.newScanId(), bySegment,
                    jobSize, portList, profile == Profile.nmap1 ? ProbeProfile.NMAP1 : ProbeProfile.NMAP2, maxRate, Duration.ofHours(1)));
        } catch (BrokerUnavailableException e) {
            throw new UserError(e.getMessage());
        }
        if (bootstrap != null && !quiet) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("scanfarm scan: scan " + s.scanId() + " submitted: " + s.jobIds().size() + " job" + (s.jobIds().size() == 1 ? "" : "s")
                    + ", " + s.hosts() + " addresses (should this command stop, follow it again with --resume " + s.scanId() + ")");
            err.flush();
        }
        return follow(new ScanTracker(kafka, s.tracking()), out, names, counts);
    }

    private ScanTracker.Progress follow(ScanTracker tracker, PrintWriter out, Map<String, String> names, int[] counts) {
        ScanTracker.Progress progress = tracker.readingMatches(MATCHES_PRINTED).follow(v -> {
            count(v, counts);
            print(out, v, names.getOrDefault(v.getTarget(), v.getTarget()));
        }, st -> { }, Duration.ofSeconds(timeoutSeconds));
        ProcessEnd.followedAScan(); // to its end or its timeout: this run's classes are a scan's (see ProcessEnd)
        return progress;
    }

    private void print(PrintWriter out, OsVerdict v, String name) {
        bar.hostDone();
        if (format == Format.xml) {
            xml(out).host(v);
            return;
        }
        if (format == Format.csv) {
            if (!csvHeader) {
                out.println(VerdictCsv.header());
                csvHeader = true;
            }
            out.println(VerdictCsv.row(v));
            out.flush();
            return;
        }
        if (format == Format.ecs || format == Format.json) {
            try (JsonGenerator g = LINES.createGenerator(out)) {
                if (format == Format.ecs) {
                    VerdictEcs.write(v, g);
                } else {
                    VerdictJson.write(v, name.equals(v.getTarget()) ? null : name, g);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a PrintWriter does not throw: it reports through checkError
            }
            out.println();
        } else {
            out.println("scanfarm scan report for " + name + (name.equals(v.getTarget()) ? "" : " (" + v.getTarget() + ")"));
            if (v.getHostStatus() == HostStatus.UP) {
                out.println("Host is up.");
                v.getReportLinesList().forEach(out::println);
            } else if (v.getHostStatus() == HostStatus.DOWN) {
                out.println("Host seems down: " + v.getDetail());
            } else {
                out.println("Host not scanned: " + v.getDetail());
            }
            out.println();
        }
        out.flush();
    }

    private NmapXml xml(PrintWriter out) {
        if (xml == null) {
            xml = new NmapXml(out, "scanfarm scan " + String.join(" ", targets), Version.number());
        }
        return xml;
    }

    private void problem(PrintWriter out, PrintWriter err, String name, String detail) {
        if (format == Format.xml || format == Format.csv) {
            err.println("scanfarm scan: " + name + ": " + detail);
            return;
        }
        if (format == Format.json || format == Format.ecs) {
            ObjectNode o = JSON.createObjectNode();
            o.put("ip", looksNumeric(name) ? name : null);
            if (!looksNumeric(name)) {
                o.put("target", name);
            }
            o.put("status", "error");
            o.put("detail", detail);
            out.println(write(o));
        } else {
            out.println("scanfarm scan report for " + name);
            out.println("Host not scanned: " + detail);
            out.println();
        }
        err.println("scanfarm scan: " + name + ": " + detail);
    }

    /** Tokens of a targets file: separated by white space or commas, '#' to the end of a line is a comment. */
    private static List<String> readList(Path file) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int hash = line.indexOf('#');
                for (String token : (hash >= 0 ? line.substring(0, hash) : line).split("[,\\s]+")) {
                    if (!token.isEmpty()) {
                        out.add(token);
                    }
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage());
        }
        return out;
    }

    private Properties kafkaProperties() {
        Properties p = kafkaConfig == null ? new Properties() : KafkaClientFile.load(kafkaConfig);
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    /** A loaded database and its identity. */
    record Matcher(OsMatcher matcher, String path, String sha256) {
    }

    /** The verdict builder for this scan's profile: --os-db names the profile's database. */
    private VerdictBuilder verdictBuilder() {
        if (profile == Profile.nmap1) {
            // Second-generation observations never come from an nmap1 scan; its database is not needed.
            return new VerdictBuilder(null, "", "", Version.number()).withFirstGeneration(Preflight.firstGeneration(osDb));
        }
        Matcher m = loadMatcher();
        return new VerdictBuilder(m.matcher(), m.path(), m.sha256(), Version.number());
    }

    private ProbePlan plan() {
        return profile == Profile.nmap1 ? NmapFirstGenerationPlan.create() : NmapSecondGenerationPlan.create();
    }

    private Matcher loadMatcher() {
        OsDbFiles.Loaded l = Preflight.database(osDb);
        return new Matcher(OsMatcher.compile(l.db()), l.path().toString(), l.sha256());
    }

    private static boolean looksNumeric(String t) {
        return !t.isEmpty() && t.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == '/' || c == '-');
    }

    private static String resolve(String target) throws UnknownHostException {
        for (InetAddress a : InetAddress.getAllByName(target)) {
            if (a instanceof Inet4Address) {
                return a.getHostAddress();
            }
        }
        throw new UnknownHostException(target);
    }

    static List<Integer> parsePorts(String spec) {
        List<Integer> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                int dash = p.indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1));
                if (lo < 1 || hi > 65535 || lo > hi) {
                    throw new NumberFormatException();
                }
                for (int v = lo; v <= hi && out.size() <= 1024; v++) {
                    if (!out.contains(v)) {
                        out.add(v);
                    }
                }
            } catch (NumberFormatException e) {
                throw new UserError("--ports: '" + p + "' is not a port (1-65535) or a range like 20-25");
            }
        }
        if (out.size() > 1024) {
            throw new UserError("--ports: at most 1024 ports");
        }
        if (out.isEmpty()) {
            throw new UserError("--ports: give at least one port");
        }
        return out;
    }

    static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
