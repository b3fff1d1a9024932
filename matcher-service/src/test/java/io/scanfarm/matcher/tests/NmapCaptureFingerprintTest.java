package io.scanfarm.matcher.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.packet.PcapFile;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import io.scanfarm.matcher.subject.SubjectParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recorded exchanges between {@code nmap -O} (7.93) and the lab's Linux namespaces (captured with tcpdump on
 * the host side of each veth, with what nmap printed): the fingerprint computed from the same packets must be
 * the one Nmap printed, value for value. SP and ISR come from send times, which the capture sees a few
 * microseconds off Nmap's own clock, so they may differ by one step of their log scale.
 */
class NmapCaptureFingerprintTest {

    private static final Set<String> CLOCK_DERIVED = Set.of("SEQ.SP", "SEQ.ISR");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"default", "nots", "nows", "nosack", "ecn", "ttl128", "mtu1280", "bare"})
    void sameFingerprintAsNmapFromTheSamePackets(String personality) throws Exception {
        String nmapOut = resource(personality + ".nmap.txt");
        SubjectFingerprint nmap = nmapFingerprint(nmapOut);
        Matcher addr = Pattern.compile("Nmap scan report for (\\S+)").matcher(nmapOut);
        assertTrue(addr.find());
        Observation obs;
        try (InputStream in = getClass().getResourceAsStream("/captures/" + personality + ".pcap")) {
            obs = NmapCapture.toObservation(PcapFile.parse(in.readAllBytes()), addr.group(1), nmap.scan().openTcpPort(), nmap.scan().closedTcpPort());
        }
        ComputedFingerprint ours = FingerprintComputer.compute(obs, "test");

        List<String> differences = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (FpTest t : nmap.tests()) {
            names.add(t.name());
            FpTest o = ours.subject().test(t.name());
            if (o == null) {
                differences.add(t.name() + " missing");
                continue;
            }
            List<String> attrNames = new ArrayList<>();
            for (Attr a : t.attrs()) {
                attrNames.add(a.name());
                String key = t.name() + "." + a.name();
                String mine = o.value(a.name());
                if (CLOCK_DERIVED.contains(key) && mine != null) {
                    long d = Math.abs(Long.parseLong(mine, 16) - Long.parseLong(a.value(), 16));
                    if (d > 1) {
                        differences.add(key + ": nmap " + a.value() + ", ours " + mine);
                    }
                } else if (!a.value().equals(mine)) {
                    differences.add(key + ": nmap " + a.value() + ", ours " + mine);
                }
            }
            List<String> ourNames = o.attrs().stream().map(Attr::name).toList();
            if (!attrNames.equals(ourNames)) {
                differences.add(t.name() + " attributes: nmap " + attrNames + ", ours " + ourNames);
            }
        }
        System.out.printf("capture %-8s nmap %s%n         %-8s ours %s%n", personality, nmap.test("SEQ"), "", ours.subject().test("SEQ"));
        List<String> ourTests = ours.subject().tests().stream().map(FpTest::name).toList();
        assertEquals(names, ourTests, "the same tests in the same order");
        assertEquals(List.of(), differences, "values that differ from what nmap printed");

        // The side results nmap printed with -vv.
        Matcher ipid = Pattern.compile("IP ID Sequence Generation: (.+)").matcher(nmapOut);
        assertTrue(ipid.find());
        assertEquals(ipid.group(1).strip(), ours.side().ipIdClass().description());
        Matcher diff = Pattern.compile("Difficulty=(\\d+) \\((.+)\\)").matcher(nmapOut);
        assertTrue(diff.find());
        assertNotNull(ours.side().sequenceIndex());
        assertEquals(diff.group(2), ours.side().difficulty());
        assertEquals(nmap.scan().distance(), ours.side().distance());
        assertEquals(nmap.scan().value("DC"), ours.subject().scan().value("DC"));
        assertEquals(nmap.scan().value("M"), ours.subject().scan().value("M"));
        assertEquals(nmap.scan().value("G"), ours.subject().scan().value("G"));
        assertEquals(nmap.scan().value("CU"), ours.subject().scan().value("CU"));
    }

    private static SubjectFingerprint nmapFingerprint(String nmapOut) {
        int at = nmapOut.indexOf("TCP/IP fingerprint:");
        assertTrue(at >= 0, "nmap printed a fingerprint");
        StringBuilder sb = new StringBuilder();
        for (String line : nmapOut.substring(at).split("\n")) {
            if (line.startsWith("OS:")) {
                sb.append(line).append('\n');
            }
        }
        return SubjectParser.parseOne(sb.toString());
    }

    private String resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/captures/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
