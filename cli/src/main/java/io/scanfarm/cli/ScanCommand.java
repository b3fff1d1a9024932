package io.scanfarm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanfarm.agent.net.PcapLibrary;
import io.scanfarm.agent.net.Privileges;
import io.scanfarm.agent.plan.NmapSecondGenerationPlan;
import io.scanfarm.agent.scan.HostResult;
import io.scanfarm.agent.scan.OsScanner;
import io.scanfarm.agent.scan.ScanOptions;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.load.OsDbFiles;
import io.scanfarm.matcher.load.OsDbLoadException;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.OsMatcher;
import io.scanfarm.matcher.osdb.OsDbFormatException;
import io.scanfarm.matcher.report.MatchJson;
import io.scanfarm.matcher.report.OsSection;
import io.scanfarm.matcher.tests.ComputedFingerprint;
import io.scanfarm.matcher.tests.FingerprintComputer;
import io.scanfarm.matcher.tests.SideResults;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scanfarm scan}: Nmap's OS detection against hosts, in this process (no Kafka yet). */
@Command(name = "scan",
        mixinStandardHelpOptions = true,
        description = {"Probe hosts with Nmap's second-generation OS detection probes and print Nmap's verdict.",
            "Needs raw packet access: root, or CAP_NET_RAW and CAP_NET_ADMIN."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every target was scanned (down hosts included)",
            "1:some targets could not be scanned (unresolvable, out of scope, no route, error)",
            "2:usage error, no raw packet access, no libpcap, or a missing or malformed database"})
final class ScanCommand implements Callable<Integer> {

    static final String DEFAULT_PORTS = "21,22,23,25,53,80,110,139,143,443,445,993,995,3306,3389,5432,8080,8443,1";

    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--ports", paramLabel = "LIST", defaultValue = DEFAULT_PORTS,
            description = "TCP ports to find an open and a closed one among (default ${DEFAULT-VALUE})")
    String ports;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (Nmap-like) or json (one object per host per line)")
    Format format;

    @Option(names = "--os-db", paramLabel = "PATH", description = "nmap-os-db to use (default: as for scanfarm match)")
    Path osDb;

    @Option(names = "--allow", paramLabel = "CIDR[,CIDR...]", defaultValue = "${env:SCANFARM_ALLOW}",
            description = "only ever probe these ranges; others are refused without a packet (default: $SCANFARM_ALLOW, else no limit)")
    String allow;

    @Parameters(paramLabel = "TARGET", arity = "1..*", description = "IPv4 addresses or host names")
    List<String> targets;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Override
    public Integer call() throws IOException {
        String missing = Privileges.missing();
        if (missing != null) {
            throw new UserError(missing);
        }
        String noPcap = PcapLibrary.configure();
        if (noPcap != null) {
            throw new UserError(noPcap);
        }
        List<Integer> portList = parsePorts(ports);
        Scope scope = new Scope(allow);
        OsMatcher matcher = loadMatcher();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        Map<String, String> addressOf = new LinkedHashMap<>();
        int failures = 0;
        for (String t : targets) {
            String problem = null;
            String address = null;
            try {
                address = resolve(t);
            } catch (UnknownHostException e) {
                problem = "unresolvable: no IPv4 address for '" + t + "'";
            }
            if (address != null && !scope.allows(address)) {
                problem = "refused: " + address + " is outside the allowed ranges (" + scope + "); no packet sent";
            }
            if (problem != null) {
                failures++;
                report(out, err, t, null, "error", problem);
            } else {
                addressOf.putIfAbsent(address, t);
            }
        }
        int[] failed = {failures};
        if (!addressOf.isEmpty()) {
            ScanOptions options = new ScanOptions(portList, NmapSecondGenerationPlan.create(), 1_000_000, 2, 64, System.nanoTime());
            try (OsScanner scanner = new OsScanner(options)) {
                scanner.scan(new ArrayList<>(addressOf.keySet()), r -> {
                    if (r.status() == HostResult.Status.UP) {
                        printHost(out, r, matcher);
                    } else {
                        if (r.status() != HostResult.Status.DOWN) {
                            failed[0]++;
                        }
                        report(out, err, r.address(), r.address(), r.status().name().toLowerCase(Locale.ROOT), r.detail());
                    }
                    out.flush();
                });
            }
        }
        return failed[0] == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    private void report(PrintWriter out, PrintWriter err, String name, String ip, String status, String detail) {
        if (format == Format.json) {
            ObjectNode o = F.objectNode();
            o.put("ip", ip);
            if (!name.equals(ip)) {
                o.put("target", name);
            }
            o.put("status", status);
            o.put("detail", detail);
            out.println(write(o));
        } else {
            out.println("scanfarm scan report for " + name);
            out.println("Host " + (status.equals("down") ? "seems down" : "not scanned") + ": " + detail);
            out.println();
        }
        if (!status.equals("down")) {
            err.println("scanfarm scan: " + name + ": " + detail);
        }
    }

    private void printHost(PrintWriter out, HostResult r, OsMatcher matcher) {
        ComputedFingerprint fp = FingerprintComputer.compute(r.observation(), Version.number());
        MatchResult result = matcher.match(fp.subject());
        SideResults side = fp.side();
        var obs = r.observation();
        if (format == Format.json) {
            ObjectNode o = F.objectNode();
            o.put("ip", r.address());
            o.put("status", "up");
            ObjectNode ports = o.putObject("ports");
            putPort(ports, "open_tcp", obs.openTcpPort());
            putPort(ports, "closed_tcp", obs.closedTcpKnown() ? obs.closedTcpPort() : -1);
            putPort(ports, "closed_udp", fp.subject().scan().closedUdpPort());
            MatchJson.fill(o, result, fp.subject().scan(), 10);
            ArrayNode lines = o.putArray("fingerprint");
            for (FpTest t : fp.subject().tests()) {
                lines.add(t.toString());
            }
            o.put("scan", fp.subject().scan().line().toString());
            if (side.distance() >= 0) {
                o.put("distance", side.distance());
            }
            if (side.notIdealBecause() != null) {
                o.put("not_ideal_because", side.notIdealBecause());
            }
            out.println(write(o));
            return;
        }
        out.println("scanfarm scan report for " + r.address());
        out.println("Host is up.");
        StringBuilder used = new StringBuilder("OS detection used ports:");
        if (obs.openTcpPort() > 0) {
            used.append(' ').append(obs.openTcpPort()).append("/tcp open");
        }
        if (obs.closedTcpKnown()) {
            used.append(' ').append(obs.closedTcpPort()).append("/tcp closed");
        }
        if (fp.subject().scan().closedUdpPort() > 0) {
            used.append(' ').append(fp.subject().scan().closedUdpPort()).append("/udp closed");
        }
        out.println(used);
        List<String> lines = OsSection.verdict(result, fp.subject().scan());
        lines.forEach(out::println);
        boolean perfect = result.perfectMatches() > 0;
        if (!perfect) {
            out.println("TCP/IP fingerprint:");
            out.print(fp.wrapped());
        }
        if (side.lastBootEpochSeconds() != null) {
            double days = (Instant.now().getEpochSecond() - side.lastBootEpochSeconds()) / 86400.0;
            String since = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ENGLISH)
                    .format(Instant.ofEpochSecond(side.lastBootEpochSeconds()).atZone(ZoneId.systemDefault()));
            out.printf(Locale.ROOT, "Uptime guess: %.3f days (since %s)%n", days, since);
        }
        if (side.distance() != -1) {
            out.println("Network Distance: " + side.distance() + " hop" + (side.distance() == 1 ? "" : "s"));
        }
        if (side.sequenceIndex() != null && side.seqResponses() > 3) {
            out.println("TCP Sequence Prediction: Difficulty=" + side.sequenceIndex() + " (" + side.difficulty() + ")");
        }
        if (side.seqResponses() > 2) {
            out.println("IP ID Sequence Generation: " + side.ipIdClass().description());
        }
        out.println();
    }

    private static void putPort(ObjectNode o, String name, int port) {
        if (port > 0) {
            o.put(name, port);
        } else {
            o.putNull(name);
        }
    }

    private OsMatcher loadMatcher() {
        try {
            return OsMatcher.compile(OsDbFiles.load(osDb != null ? osDb : OsDbFiles.locate(System.getenv())).db());
        } catch (OsDbLoadException | OsDbFormatException e) {
            throw new UserError(e.getMessage());
        }
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
        return out;
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
