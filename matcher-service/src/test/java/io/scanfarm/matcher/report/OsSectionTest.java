package io.scanfarm.matcher.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.scanfarm.matcher.fp.TestSyntax;
import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.Outcome;
import io.scanfarm.matcher.match.RankedMatch;
import io.scanfarm.matcher.osdb.OsClass;
import io.scanfarm.matcher.osdb.ReferenceFingerprint;
import io.scanfarm.matcher.subject.ScanInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link OsSection} against Nmap 7.93's output.cc (printosscanoutput, printosclassificationoutput) and
 * FingerPrintResults::populateClassification / OmitSubmissionFP, with hand-built rankings. Scores are chosen so
 * that floor(score * 100) is never near an integer boundary.
 */
class OsSectionTest {

    private static final String TOO_MANY = "Too many fingerprints match this host to give specific OS details";
    private static final String SUBMIT = "(If you know what OS is running on it, see https://nmap.org/submit/ ).";

    private static final OsClass LINUX5 = cls("Linux", "Linux", "5.X", "general purpose", "cpe:/o:linux:linux_kernel:5");
    private static final OsClass LINUX4 = cls("Linux", "Linux", "4.X", "general purpose", "cpe:/o:linux:linux_kernel:4");

    /** Open and closed TCP port, a closed UDP port, one hop: nothing to complain about. */
    private static final ScanInfo IDEAL =
            scan("V=7.93%E=4%D=3/14%OT=22%CT=1%CU=40321%PV=Y%DS=1%DC=D%G=Y%TM=65F2A1B0%P=x86_64-pc-linux-gnu");
    private static final ScanInfo NO_OPEN_PORT =
            scan("V=7.93%E=4%D=3/14%OT=%CT=1%CU=40321%PV=Y%DS=1%DC=D%G=N%TM=65F2A1B0%P=x86_64-pc-linux-gnu");

    private static int nextLine = 100;

    private static ScanInfo scan(String attrs) {
        return new ScanInfo(TestSyntax.parseOne("SCAN(" + attrs + ")"));
    }

    private static OsClass cls(String vendor, String family, String generation, String type, String... cpes) {
        return new OsClass(vendor, family, generation, type, List.of(cpes));
    }

    private static RankedMatch match(String name, double score, OsClass... classes) {
        return new RankedMatch(new ReferenceFingerprint(name, nextLine++, List.of(classes), List.of()), score);
    }

    private static MatchResult success(List<RankedMatch> matches) {
        int perfect = (int) matches.stream().filter(RankedMatch::perfect).count();
        return new MatchResult(Outcome.SUCCESS, matches, perfect);
    }

    private static MatchResult success(RankedMatch... matches) {
        return success(List.of(matches));
    }

    private static List<RankedMatch> perfectLinux(int n) {
        List<RankedMatch> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(match("Linux box " + i, 1.0, LINUX5));
        }
        return out;
    }

    private static final List<String> LINUX5_CLASS_LINES = List.of(
            "Device type: general purpose",
            "Running: Linux 5.X",
            "OS CPE: cpe:/o:linux:linux_kernel:5");

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    // ---- OS details / Too many ----

    @ParameterizedTest(name = "{0} perfect")
    @ValueSource(ints = {1, 2, 8})
    void osDetailsListsUpToEightPerfectMatches(int n) {
        List<RankedMatch> matches = perfectLinux(n);
        matches.add(match("Some guess", 0.965, cls("FreeBSD", "FreeBSD", "12.X", "general purpose")));
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add("Linux box " + i);
        }
        assertEquals(concat(LINUX5_CLASS_LINES, "OS details: " + String.join(", ", names)),
                OsSection.verdict(success(matches), IDEAL));
    }

    @ParameterizedTest(name = "{0} perfect")
    @ValueSource(ints = {9, 36})
    void moreThanEightPerfectMatchesAreTooManyButStillClassified(int n) {
        assertEquals(concat(LINUX5_CLASS_LINES, TOO_MANY), OsSection.verdict(success(perfectLinux(n)), IDEAL));
    }

    @Test
    void moreThanEightPerfectMatchesSuppressTheUnreliableWarning() {
        assertEquals(concat(LINUX5_CLASS_LINES, TOO_MANY), OsSection.verdict(success(perfectLinux(9)), NO_OPEN_PORT));
    }

    @Test
    void tooManyMatchesOutcomePrintsOnlyTheTooManyLine() {
        MatchResult r = new MatchResult(Outcome.TOOMANYMATCHES, perfectLinux(36), 36);
        assertEquals(List.of(TOO_MANY), OsSection.verdict(r, IDEAL));
        assertEquals(List.of(TOO_MANY), OsSection.verdict(r, NO_OPEN_PORT), "no Warning line either");
    }

    // ---- Aggressive OS guesses ----

    @Test
    void aggressiveGuessesStopAtTenEntries() {
        double[] scores = {0.965, 0.955, 0.945, 0.935, 0.925, 0.915, 0.905, 0.895, 0.885, 0.875, 0.875, 0.875};
        List<RankedMatch> matches = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            matches.add(match("G" + (i + 1), scores[i], LINUX5));
        }
        List<String> lines = OsSection.verdict(success(matches), IDEAL);
        assertEquals(List.of(
                "Device type: general purpose",
                "Running (JUST GUESSING): Linux 5.X (96%)",
                "OS CPE: cpe:/o:linux:linux_kernel:5",
                "Aggressive OS guesses: G1 (96%), G2 (95%), G3 (94%), G4 (93%), G5 (92%), G6 (91%), G7 (90%), "
                        + "G8 (89%), G9 (88%), G10 (87%)",
                "No exact OS matches for host " + SUBMIT), lines);
    }

    @Test
    void aggressiveGuessesStopAtTheFirstScoreNotAboveBestMinusTenPoints() {
        double best = 0.965;
        MatchResult r = success(
                match("A", best, LINUX5),
                match("B", 0.905, LINUX5),
                match("C", 0.875, LINUX5),
                match("D", best - 0.10, LINUX5),   // equal to the cut: not strictly greater
                match("E", 0.855, LINUX5));
        List<String> lines = OsSection.verdict(r, IDEAL);
        assertEquals("Aggressive OS guesses: A (96%), B (90%), C (87%)", lines.get(3));
    }

    static Stream<Arguments> noExactMatchWording() {
        return Stream.of(
                Arguments.of("ideal scan asks for a submission", IDEAL, "No exact OS matches for host " + SUBMIT),
                Arguments.of("SCAN without OT", NO_OPEN_PORT, "No exact OS matches for host (test conditions non-ideal)."),
                Arguments.of("SCAN without CT", scan("OT=22%CT=%CU=40321%DS=1"),
                        "No exact OS matches for host (test conditions non-ideal)."),
                Arguments.of("SCAN without CU", scan("OT=22%CT=1%CU=%DS=1"),
                        "No exact OS matches for host (test conditions non-ideal)."),
                Arguments.of("six hops away", scan("OT=22%CT=1%CU=40321%DS=6"),
                        "No exact OS matches for host (test conditions non-ideal)."),
                Arguments.of("five hops away is still ideal", scan("OT=22%CT=1%CU=40321%DS=5"),
                        "No exact OS matches for host " + SUBMIT),
                Arguments.of("no SCAN line at all", null, "No exact OS matches for host (test conditions non-ideal)."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noExactMatchWording")
    void noExactMatchLineDependsOnTheScanLine(String description, ScanInfo scan, String expected) {
        List<String> lines = OsSection.verdict(success(match("Guess", 0.935, LINUX5)), scan);
        assertEquals(expected, lines.get(lines.size() - 1));
        assertEquals("Aggressive OS guesses: Guess (93%)", lines.get(lines.size() - 2));
    }

    // ---- No matches ----

    static Stream<Arguments> noMatches() {
        String warning = OsSection.UNRELIABLE;
        return Stream.of(
                Arguments.of("ideal scan", IDEAL, List.of("No OS matches for host " + SUBMIT)),
                Arguments.of("missing open port", NO_OPEN_PORT, List.of(warning,
                        "OS fingerprint not ideal because: Missing an open TCP port so results incomplete",
                        "No OS matches for host")),
                Arguments.of("missing closed port", scan("OT=22%CT=%CU=40321%DS=1"), List.of(warning,
                        "OS fingerprint not ideal because: Missing a closed TCP port so results incomplete",
                        "No OS matches for host")),
                Arguments.of("too far", scan("OT=22%CT=1%CU=40321%DS=6"), List.of(
                        "OS fingerprint not ideal because: Host distance (6 network hops) is greater than five",
                        "No OS matches for host")),
                Arguments.of("negative distance", scan("OT=22%CT=1%CU=40321%DS=-2"), List.of(
                        "OS fingerprint not ideal because: Host distance (-2 network hops) appears to be negative",
                        "No OS matches for host")),
                Arguments.of("no UDP answer", scan("OT=22%CT=1%CU=%DS=1"), List.of(
                        "OS fingerprint not ideal because: Didn't receive UDP response. Please try again with -sSU",
                        "No OS matches for host")),
                Arguments.of("no SCAN line", null, List.of(
                        "OS fingerprint not ideal because: Missing an open TCP port so results incomplete",
                        "No OS matches for host")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noMatches")
    void noMatchesWithAndWithoutReason(String description, ScanInfo scan, List<String> expected) {
        assertEquals(expected, OsSection.verdict(new MatchResult(Outcome.NOMATCHES, List.of(), 0), scan));
    }

    // ---- Warning line ----

    static Stream<Arguments> warning() {
        return Stream.of(
                Arguments.of("ideal scan", IDEAL, false),
                Arguments.of("empty OT", NO_OPEN_PORT, true),
                Arguments.of("empty CT", scan("OT=22%CT=%CU=40321%DS=1"), true),
                Arguments.of("empty OT and CT", scan("OT=%CT=%CU=%DS=1"), true),
                Arguments.of("empty CU only", scan("OT=22%CT=1%CU=%DS=1"), false),
                Arguments.of("no SCAN line", null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("warning")
    void warningLineWhenOpenOrClosedTcpPortIsMissing(String description, ScanInfo scan, boolean warned) {
        List<String> lines = OsSection.verdict(success(match("Linux box", 1.0, LINUX5)), scan);
        assertEquals(warned, lines.get(0).equals(OsSection.UNRELIABLE), () -> String.join("\n", lines));
        assertEquals(warned ? 1 : 0, lines.stream().filter(OsSection.UNRELIABLE::equals).count());
        assertEquals("OS details: Linux box", lines.get(lines.size() - 1));
    }

    // ---- Running line ----

    @Test
    void runningJustGuessingShowsEachFamilysAccuracy() {
        MatchResult r = success(
                match("Linux guess", 0.965, LINUX5),
                match("BSD guess", 0.935, cls("FreeBSD", "FreeBSD", "12.X", "general purpose", "cpe:/o:freebsd:freebsd:12")),
                match("Other Linux guess", 0.915, LINUX4));
        assertEquals(List.of(
                "Device type: general purpose",
                "Running (JUST GUESSING): Linux 5.X|4.X (96%), FreeBSD 12.X (93%)",
                "OS CPE: cpe:/o:linux:linux_kernel:5 cpe:/o:freebsd:freebsd:12 cpe:/o:linux:linux_kernel:4",
                "Aggressive OS guesses: Linux guess (96%), BSD guess (93%), Other Linux guess (91%)",
                "No exact OS matches for host " + SUBMIT), OsSection.verdict(r, IDEAL));
    }

    @Test
    void onlyPerfectMatchesClassesAreShownWhenThereIsAPerfectMatch() {
        MatchResult r = success(
                match("Linux exact", 1.0, LINUX5),
                match("Windows guess", 0.965, cls("Microsoft", "Windows", "10", "general purpose",
                        "cpe:/o:microsoft:windows_10")));
        assertEquals(concat(LINUX5_CLASS_LINES, "OS details: Linux exact"), OsSection.verdict(r, IDEAL));
    }

    @Test
    void generationsOfOneFamilyAreMergedWithBars() {
        MatchResult r = success(match("Linux 4", 1.0, LINUX4), match("Linux 5", 1.0, LINUX5));
        assertEquals(List.of(
                "Device type: general purpose",
                "Running: Linux 4.X|5.X",
                "OS CPE: cpe:/o:linux:linux_kernel:4 cpe:/o:linux:linux_kernel:5",
                "OS details: Linux 4, Linux 5"), OsSection.verdict(r, IDEAL));
    }

    @Test
    void generationAlreadyContainedInTheListIsNotRepeated() {
        // Nmap tests strstr(generations, generation): "1.X" is found inside "11.X".
        MatchResult r = success(
                match("BSD 11", 1.0, cls("FreeBSD", "FreeBSD", "11.X", "general purpose")),
                match("BSD 1", 1.0, cls("FreeBSD", "FreeBSD", "1.X", "general purpose")),
                match("BSD 11 firewall", 1.0, cls("FreeBSD", "FreeBSD", "11.X", "firewall")));
        assertEquals(List.of(
                "Device type: general purpose|firewall",
                "Running: FreeBSD 11.X",
                "OS details: BSD 11, BSD 1, BSD 11 firewall"), OsSection.verdict(r, IDEAL));
    }

    @Test
    void familyWithoutGenerationTakesALaterOne() {
        MatchResult r = success(
                match("Cisco any", 1.0, cls("Cisco", "IOS", null, "router", "cpe:/o:cisco:ios")),
                match("Cisco 15", 1.0, cls("Cisco", "IOS", "15.X", "router", "cpe:/o:cisco:ios:15")));
        assertEquals(List.of(
                "Device type: router",
                "Running: Cisco IOS 15.X",
                "OS CPE: cpe:/o:cisco:ios cpe:/o:cisco:ios:15",
                "OS details: Cisco any, Cisco 15"), OsSection.verdict(r, IDEAL));
    }

    @Test
    void vendorEqualToFamilyIsPrintedOnce() {
        MatchResult r = success(
                match("Linux exact", 1.0, LINUX5),
                match("Windows exact", 1.0, cls("Microsoft", "Windows", "10", "general purpose")));
        List<String> lines = OsSection.verdict(r, IDEAL);
        assertEquals("Running: Linux 5.X, Microsoft Windows 10", lines.get(1));
    }

    @Test
    void classWithoutCpeGivesNoOsCpeLine() {
        MatchResult r = success(match("Printer", 1.0, cls("HP", "embedded", null, "printer")));
        assertEquals(List.of("Device type: printer", "Running: HP embedded", "OS details: Printer"),
                OsSection.verdict(r, IDEAL));
    }

    // ---- more than 8 members ----

    private static MatchResult perfectWithFamilies(int families) {
        List<RankedMatch> matches = new ArrayList<>();
        List<OsClass> current = new ArrayList<>();
        for (int f = 1; f <= families; f++) {
            current.add(cls("Vendor" + f, "OS" + f, "1.X", "general purpose"));
            if (current.size() == 3 || f == families) {
                matches.add(match("Print " + (matches.size() + 1), 1.0, current.toArray(new OsClass[0])));
                current.clear();
            }
        }
        return success(matches);
    }

    @Test
    void eightFamiliesAreAllListed() {
        List<String> lines = OsSection.verdict(perfectWithFamilies(8), IDEAL);
        assertEquals(List.of(
                "Device type: general purpose",
                "Running: Vendor1 OS1 1.X, Vendor2 OS2 1.X, Vendor3 OS3 1.X, Vendor4 OS4 1.X, Vendor5 OS5 1.X, "
                        + "Vendor6 OS6 1.X, Vendor7 OS7 1.X, Vendor8 OS8 1.X",
                "OS details: Print 1, Print 2, Print 3"), lines);
    }

    @Test
    void moreThanEightFamiliesSuppressDeviceTypeRunningAndCpeLines() {
        assertEquals(List.of("OS details: Print 1, Print 2, Print 3"),
                OsSection.verdict(perfectWithFamilies(9), IDEAL));
    }

    @Test
    void moreThanEightDeviceTypesSuppressTheClassificationLines() {
        OsClass[] classes = new OsClass[9];
        for (int i = 0; i < 9; i++) {
            classes[i] = cls("Linux", "Linux", "5.X", "type" + i, "cpe:/o:linux:linux_kernel:5");
        }
        assertEquals(List.of("OS details: Many types"),
                OsSection.verdict(success(match("Many types", 1.0, classes)), IDEAL));
    }

    @Test
    void moreThanEightCpesSuppressTheClassificationLines() {
        String[] cpes = new String[9];
        for (int i = 0; i < 9; i++) {
            cpes[i] = "cpe:/o:linux:linux_kernel:5." + i;
        }
        MatchResult r = success(match("Many CPEs", 1.0, cls("Linux", "Linux", "5.X", "general purpose", cpes)));
        assertEquals(List.of("OS details: Many CPEs"), OsSection.verdict(r, IDEAL));
    }

    // ---- Network Distance ----

    static Stream<Arguments> distance() {
        return Stream.of(
                Arguments.of("one hop", scan("OT=22%CT=1%CU=40321%DS=1"), "Network Distance: 1 hop"),
                Arguments.of("two hops", scan("OT=22%CT=1%CU=40321%DS=2"), "Network Distance: 2 hops"),
                Arguments.of("zero hops (localhost)", scan("OT=22%CT=1%CU=40321%DS=0"), "Network Distance: 0 hops"),
                Arguments.of("seven hops", scan("OT=22%CT=1%CU=40321%DS=7"), "Network Distance: 7 hops"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distance")
    void withDistanceAppendsTheNetworkDistanceLine(String description, ScanInfo scan, String expected) {
        MatchResult r = success(match("Linux box", 1.0, LINUX5));
        List<String> lines = OsSection.withDistance(r, scan);
        assertEquals(concat(OsSection.verdict(r, scan), expected), lines);
    }

    @Test
    void withDistanceOmitsTheLineWhenTheDistanceIsUnknown() {
        MatchResult r = success(match("Linux box", 1.0, LINUX5));
        assertFalse(OsSection.withDistance(r, scan("OT=22%CT=1%CU=40321")).stream()
                .anyMatch(l -> l.startsWith("Network Distance")));
        assertFalse(OsSection.withDistance(r, null).stream().anyMatch(l -> l.startsWith("Network Distance")));
        assertEquals(concat(LINUX5_CLASS_LINES, "OS details: Linux box"),
                OsSection.withDistance(r, scan("OT=22%CT=1%CU=40321")));
    }
}
