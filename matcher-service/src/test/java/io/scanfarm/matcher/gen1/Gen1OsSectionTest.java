package io.scanfarm.matcher.gen1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Gen1OsSection} and {@link Gen1Json}: the lines first-generation Nmap printed, on hand-made databases. */
class Gen1OsSectionTest {

    private static final String SUBMIT = "(If you know what OS is running on it, see http://www.insecure.org/cgi-bin/nmap-submit.cgi).";
    private static final String IDEAL = "SInfo(V=4.20%P=i686-pc-linux-gnu%D=1/4%Tm=459D1A2B%O=22%C=1)";

    /** The reference tests T1..T5 (25 attributes); {@code wrong} of them carry a W the subject does not have. */
    static String tests(int count, int wrong) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            sb.append("T").append(i).append("(DF=Y%W=").append(i <= wrong ? "E" : "").append(i).append("%ACK=S++%Flags=AS%Ops=M)\n");
        }
        return sb.toString();
    }

    static String entry(String name, String klass, String tests) {
        return "Fingerprint " + name + "\nClass " + klass + "\n" + tests + "\n";
    }

    static final String LINUX_24 = "Linux | Linux | 2.4.X | general purpose";
    static final String LINUX_26 = "Linux | Linux | 2.6.X | general purpose";
    static final String IOS = "Cisco | IOS | 12.X | router";

    /** The subject all entries are matched with: T1..T5 answered, their W 1..5, under an SInfo line. */
    static Gen1Subject subject(String info) {
        StringBuilder sb = new StringBuilder(info == null ? "" : info + "\n");
        for (int i = 1; i <= 5; i++) {
            sb.append("T").append(i).append("(Resp=Y%DF=Y%W=").append(i).append("%ACK=S++%Flags=AS%Ops=M)\n");
        }
        return Gen1SubjectParser.parse(sb.toString());
    }

    static Gen1Verdict verdict(String db, String info, boolean osscanGuess) {
        Gen1Subject s = subject(info);
        Gen1Result r = Gen1Matcher.compile(Gen1DbParser.parse(db, "hand.fp")).match(s);
        return Gen1OsSection.verdict(r, s, osscanGuess);
    }

    static List<String> withFingerprint(String info, String... lines) {
        List<String> out = new ArrayList<>(List.of(lines));
        out.add("TCP/IP fingerprint:");
        out.addAll(subject(info).printed());
        return out;
    }

    @Test
    void onePerfectMatchIsNamedUnderItsClass() {
        Gen1Verdict v = verdict(entry("Linux 2.4.18", LINUX_24, tests(5, 0)) + entry("Cisco 2600", IOS, tests(5, 1)), IDEAL, false);
        assertEquals(Gen1Verdict.Kind.PERFECT, v.kind());
        assertEquals(List.of("Device type: general purpose", "Running: Linux 2.4.X", "OS details: Linux 2.4.18"), v.lines());
    }

    @Test
    void severalPerfectMatchesAreListedWithTheirGenerationsJoined() {
        Gen1Verdict v = verdict(entry("Linux 2.4.18", LINUX_24, tests(5, 0)) + entry("Linux 2.6.11", LINUX_26, tests(5, 0))
                + entry("Cisco 2600", IOS, tests(5, 0)), null, false);
        assertEquals(Gen1Verdict.Kind.PERFECT, v.kind());
        assertEquals(List.of("Device type: general purpose|router", "Running: Linux 2.4.X|2.6.X, Cisco IOS 12.X",
                "OS details: Linux 2.4.18, Linux 2.6.11, Cisco 2600"), v.lines());
    }

    @Test
    void eightPerfectMatchesAreListedNineAreTooMany() {
        StringBuilder db = new StringBuilder();
        for (int i = 1; i <= 9; i++) {
            db.append(entry("Linux 2.4." + i, LINUX_24, tests(5, 0)));
        }
        Gen1Verdict nine = verdict(db.toString(), IDEAL, true);
        assertEquals(Gen1Verdict.Kind.TOO_MANY, nine.kind());
        assertEquals(9, nine.result().perfectMatches());
        // The classes are still printed: only the OS details give way (printosscanoutput checks num_perfect_matches > 8).
        assertEquals(List.of("Device type: general purpose", "Running: Linux 2.4.X",
                "Too many fingerprints match this host to give specific OS details"), nine.lines());
        Gen1Verdict eight = verdict(db.substring(0, db.indexOf("Fingerprint Linux 2.4.9")), IDEAL, true);
        assertEquals(Gen1Verdict.Kind.PERFECT, eight.kind());
        assertTrue(eight.lines().get(2).startsWith("OS details: Linux 2.4.1, Linux 2.4.2, "), eight.lines().get(2));
        assertTrue(eight.lines().get(2).endsWith(", Linux 2.4.8"), eight.lines().get(2));
    }

    @Test
    void overflowingTheRankingIsTooManyWithoutClasses() {
        StringBuilder db = new StringBuilder();
        for (int i = 1; i <= 37; i++) {
            db.append(entry("OS " + i, LINUX_24, tests(5, 0)));
        }
        Gen1Verdict v = verdict(db.toString(), IDEAL, false);
        assertEquals(Gen1Verdict.Kind.TOO_MANY, v.kind());
        assertEquals(List.of("Too many fingerprints match this host to give specific OS details"), v.lines());
    }

    private static final String GUESSES = entry("Cisco 2600", IOS, tests(5, 1)) + entry("Linux 2.4.18", LINUX_24, tests(5, 1))
            + entry("Low", LINUX_26, tests(4, 3));

    @Test
    void withoutAPerfectMatchPlainNmapAsksForTheFingerprint() {
        Gen1Verdict v = verdict(GUESSES, IDEAL, false);
        assertEquals(Gen1Verdict.Kind.GUESS, v.kind());
        assertEquals(withFingerprint(IDEAL, "No exact OS matches for host " + SUBMIT), v.lines());
        assertEquals(3, v.result().matches().size(), "the ranking still holds the near matches");
    }

    @Test
    void osscanGuessPrintsTheGuessesWithinTenPoints() {
        // 24/25 = 96% twice; Low has 17/20 = 85%: ranked, but not within 10 points of 96%.
        Gen1Verdict v = verdict(GUESSES, IDEAL, true);
        assertEquals(withFingerprint(IDEAL,
                "Device type: router|general purpose",
                "Running (JUST GUESSING) : Cisco IOS 12.X (96%), Linux 2.4.X (96%)",
                "Aggressive OS guesses: Cisco 2600 (96%), Linux 2.4.18 (96%)",
                "No exact OS matches for host " + SUBMIT), v.lines());
    }

    @Test
    void nonIdealConditionsGuessWithoutBeingAskedAndKeepTheFingerprintBack() {
        String noClosedPort = "SInfo(V=4.20%P=i686-pc-linux-gnu%D=1/4%Tm=459D1A2B%O=22%C=-1)";
        Gen1Verdict v = verdict(GUESSES, noClosedPort, false);
        assertEquals(List.of(
                "Device type: router|general purpose",
                "Running (JUST GUESSING) : Cisco IOS 12.X (96%), Linux 2.4.X (96%)",
                "Aggressive OS guesses: Cisco 2600 (96%), Linux 2.4.18 (96%)",
                "No exact OS matches for host (test conditions non-ideal)."), v.lines());
    }

    @Test
    void atMostTenGuesses() {
        StringBuilder db = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            db.append(entry("Near " + i, LINUX_24, tests(5, 1)));
        }
        String guesses = verdict(db.toString(), IDEAL, true).lines().get(2);
        assertTrue(guesses.startsWith("Aggressive OS guesses: Near 1 (96%), "), guesses);
        assertTrue(guesses.endsWith(", Near 10 (96%)"), guesses);
    }

    @Test
    void nothingAtEightyFivePercentIsNoOsMatchesWithTheFingerprint() {
        String db = entry("Far", LINUX_24, tests(5, 4));
        Gen1Verdict v = verdict(db, IDEAL, true);
        assertEquals(Gen1Verdict.Kind.NO_MATCH, v.kind());
        assertEquals(withFingerprint(IDEAL, "No OS matches for host " + SUBMIT), v.lines());
        String portZero = "SInfo(V=4.20%P=i686-pc-linux-gnu%D=1/4%Tm=459D1A2B%O=0%C=1)";
        // Here Nmap wanted ports above 0; "No exact OS matches" only wanted them found (>= 0).
        assertEquals(withFingerprint(portZero, "No OS matches for host (test conditions non-ideal)."), verdict(db, portZero, false).lines());
        assertEquals(withFingerprint(null, "No OS matches for host " + SUBMIT), verdict(db, null, false).lines());
    }

    @Test
    void aPerfectMatchKeepsTheNearMatchesClassesOut() {
        String db = entry("Cisco 2600", IOS, tests(5, 0)) + entry("Linux 2.4.18", LINUX_24, tests(5, 1));
        Gen1Verdict v = verdict(db, IDEAL, true);
        // A perfect match keeps the near one's classes out (populateClassification), whatever --osscan-guess says.
        assertEquals(List.of("Device type: router", "Running: Cisco IOS 12.X", "OS details: Cisco 2600"), v.lines());
    }

    @Test
    void theJsonFormCarriesTheVerdictTheRankingAndTheFingerprint() {
        Gen1Subject s = subject(IDEAL);
        Gen1Result r = Gen1Matcher.compile(Gen1DbParser.parse(GUESSES, "hand.fp")).match(s);
        Gen1Verdict v = Gen1OsSection.verdict(r, s, true);
        ObjectNode json = Gen1Json.subject(4, v, s, 2);
        assertEquals(4, json.get("subject").asInt());
        assertEquals("nmap1", json.get("profile").asText());
        assertEquals("SUCCESS", json.get("result").asText());
        assertEquals("GUESS", json.get("outcome").asText());
        assertEquals(0, json.get("perfect").asInt());
        assertEquals(2, json.get("matches").size(), "--top 2");
        JsonNode best = json.get("matches").get(0);
        assertEquals("Cisco 2600", best.get("name").asText());
        assertEquals(96, best.get("accuracy").asInt());
        assertEquals(24, best.get("matched").asInt());
        assertEquals(25, best.get("compared").asInt());
        assertEquals(1, best.get("line").asInt());
        assertEquals("IOS", best.get("classes").get(0).get("family").asText());
        assertEquals(v.lines().size(), json.get("verdict").size());
        assertEquals(IDEAL, json.get("fingerprint").get(0).asText());
        assertFalse(Gen1Json.error(2, "line 3: bad").has("result"));
    }
}
