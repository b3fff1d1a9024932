package io.scanfarm.matcher.tests;

import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.packet.HostilePackets;
import io.scanfarm.matcher.packet.MalformedPacketException;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import io.scanfarm.matcher.subject.SubjectParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The recorded exchanges (captures/*.pcap) as Observations, keyed by personality: the fuzz tests' valid seeds. */
public final class RecordedObservations {

    private static Map<String, Observation> all;

    private RecordedObservations() {
    }

    public static synchronized Map<String, Observation> all() {
        if (all == null) {
            Map<String, Observation> out = new LinkedHashMap<>();
            for (String c : HostilePackets.CAPTURES) {
                out.put(c, read(c));
            }
            all = java.util.Collections.unmodifiableMap(out);
        }
        return all;
    }

    private static Observation read(String personality) {
        String nmapOut;
        try (InputStream in = RecordedObservations.class.getResourceAsStream("/captures/" + personality + ".nmap.txt")) {
            nmapOut = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder wrapped = new StringBuilder();
        for (String line : nmapOut.split("\n")) {
            if (line.startsWith("OS:")) {
                wrapped.append(line).append('\n');
            }
        }
        SubjectFingerprint nmap = SubjectParser.parseOne(wrapped.toString());
        Matcher addr = Pattern.compile("Nmap scan report for (\\S+)").matcher(nmapOut);
        if (!addr.find()) {
            throw new IllegalStateException(personality + ".nmap.txt names no target");
        }
        try {
            return NmapCapture.toObservation(HostilePackets.frames(personality), addr.group(1),
                    nmap.scan().openTcpPort(), nmap.scan().closedTcpPort());
        } catch (MalformedPacketException e) {
            throw new IllegalStateException(personality + ".pcap is a recording this test relies on", e);
        }
    }
}
