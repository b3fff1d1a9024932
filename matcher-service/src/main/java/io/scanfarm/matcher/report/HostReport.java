package io.scanfarm.matcher.report;

import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.tests.ComputedFingerprint;
import io.scanfarm.matcher.tests.SideResults;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lines `nmap -O -v` prints for a probed host, from its observation alone: the ports used, the OS lines,
 * the {@code TCP/IP fingerprint:} block when there is no perfect match, the uptime guess (relative to when the
 * host was scanned, times in UTC), the network distance, TCP sequence prediction and IP ID sequence class.
 */
public final class HostReport {

    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ENGLISH);

    private HostReport() {
    }

    /** Which ports OS detection used: the open and the closed TCP port, and the closed UDP port when known. */
    static String portsUsed(Observation obs, int closedUdpPort) {
        StringBuilder used = new StringBuilder("OS detection used ports:");
        if (obs.openTcpPort() > 0) {
            used.append(' ').append(obs.openTcpPort()).append("/tcp open");
        }
        if (obs.closedTcpKnown() && obs.closedTcpPort() > 0) {
            used.append(' ').append(obs.closedTcpPort()).append("/tcp closed");
        }
        if (closedUdpPort > 0) {
            used.append(' ').append(closedUdpPort).append("/udp closed");
        }
        return used.toString();
    }

    public static List<String> lines(Observation obs, ComputedFingerprint fp, MatchResult result) {
        return lines(obs, fp, result, OsSection.verdict(result, fp.subject().scan()), fp.lines());
    }

    /** The same lines, from the OS lines ({@link OsSection#verdict}) and fingerprint lines the caller already has. */
    public static List<String> lines(Observation obs, ComputedFingerprint fp, MatchResult result, List<String> osLines,
                                     List<String> fingerprintLines) {
        List<String> out = new ArrayList<>();
        out.add(portsUsed(obs, fp.subject().scan().closedUdpPort()));
        out.addAll(osLines);
        if (result.perfectMatches() == 0) {
            out.add("TCP/IP fingerprint:");
            for (String line : ComputedFingerprint.wrap(fingerprintLines).split("\n")) {
                out.add(line);
            }
        }
        SideResults side = fp.side();
        if (side.lastBootEpochSeconds() != null) {
            out.add("Uptime guess: " + uptime(obs.startEpochSeconds(), side.lastBootEpochSeconds()));
        }
        if (side.distance() != -1) {
            out.add("Network Distance: " + side.distance() + " hop" + (side.distance() == 1 ? "" : "s"));
        }
        if (side.sequenceIndex() != null && side.seqResponses() > 3) {
            out.add("TCP Sequence Prediction: Difficulty=" + side.sequenceIndex() + " (" + side.difficulty() + ")");
        }
        if (side.seqResponses() > 2) {
            out.add("IP ID Sequence Generation: " + side.ipIdClass().description());
        }
        return out;
    }

    /** "D.DDD days (since Www Mmm d hh:mm:ss yyyy UTC)": Nmap's uptime and boot time, the time zone named. */
    static String uptime(long startEpochSeconds, long lastBootEpochSeconds) {
        // The boot time comes from a SEQ send time, a moment after the scan started: never a negative uptime.
        double days = Math.max(0, startEpochSeconds - lastBootEpochSeconds) / 86400.0;
        // What %.3f prints (the double's shortest decimal, rounded half up) without a Formatter for every host: it
        // built a DecimalFormatSymbols each time, 15 KB of garbage a verdict.
        String d = BigDecimal.valueOf(days).setScale(3, RoundingMode.HALF_UP).toPlainString();
        return d + " days (since " + CTIME.format(Instant.ofEpochSecond(lastBootEpochSeconds).atZone(ZoneOffset.UTC)) + " UTC)";
    }
}
