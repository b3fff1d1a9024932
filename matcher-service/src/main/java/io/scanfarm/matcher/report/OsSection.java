package io.scanfarm.matcher.report;

import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.Outcome;
import io.scanfarm.matcher.match.RankedMatch;
import io.scanfarm.matcher.osdb.OsClass;
import io.scanfarm.matcher.subject.ScanInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The OS lines Nmap 7.93 prints for a host under {@code -O --osscan-guess} (output.cc printosscanoutput and
 * printosclassificationoutput), word for word, including their limits: at most 8 device types, families and
 * CPEs (one more and the Device type / Running / OS CPE lines are left out), generation strings cut as Nmap's
 * fixed buffers cut them.
 */
public final class OsSection {

    public static final String UNRELIABLE =
            "Warning: OSScan results may be unreliable because we could not find at least 1 open and 1 closed port";
    public static final String SUBMIT = "(If you know what OS is running on it, see https://nmap.org/submit/ ).";

    private static final int MAX_MEMBERS = 8;
    private static final int FAMILY_BUF = 128;
    private static final int GENERATION_BUF = 96;
    private static final int FIRST_GENERATION_BUF = 48;

    private OsSection() {
    }

    /**
     * All the OS lines take from a SCAN line: whether the scan lacked an open or a closed port, and why the
     * fingerprint is not ideal (null when it is). One ranking under equal conditions gets the same lines.
     */
    public record Conditions(boolean portMissing, String reason) {

        public static Conditions of(ScanInfo scan) {
            // Nmap flags the scan unreliable when it found no open or no closed port; without a SCAN line we know of no scan.
            boolean missing = scan != null && (scan.openTcpPort() <= 0 || scan.closedTcpPort() <= 0);
            return new Conditions(missing, SubmissionReason.of(scan));
        }
    }

    /** The OS lines without the Network Distance line. */
    public static List<String> verdict(MatchResult result, ScanInfo scan) {
        return verdict(result, Conditions.of(scan));
    }

    /** The OS lines without the Network Distance line, for a scan under these conditions. */
    public static List<String> verdict(MatchResult result, Conditions conditions) {
        List<String> out = new ArrayList<>();
        boolean tooMany = result.outcome() == Outcome.TOOMANYMATCHES || result.perfectMatches() > 8;
        if (conditions.portMissing() && !tooMany) {
            out.add(UNRELIABLE);
        }
        String reason = conditions.reason();
        classification(Classification.of(result), out);

        List<RankedMatch> m = result.matches();
        if (result.outcome() == Outcome.SUCCESS && result.perfectMatches() <= 8) {
            if (result.perfectMatches() > 0) {
                StringBuilder sb = new StringBuilder("OS details: ");
                for (int i = 0; i < result.perfectMatches(); i++) {
                    sb.append(i > 0 ? ", " : "").append(m.get(i).fingerprint().name());
                }
                out.add(sb.toString());
            } else {
                StringBuilder sb = new StringBuilder("Aggressive OS guesses: ");
                double best = m.get(0).score();
                for (int i = 0; i < 10 && i < m.size() && (i == 0 || m.get(i).score() > best - 0.10); i++) {
                    sb.append(i > 0 ? ", " : "").append(m.get(i).fingerprint().name())
                            .append(" (").append(m.get(i).accuracy()).append("%)");
                }
                out.add(sb.toString());
                out.add(reason == null ? "No exact OS matches for host " + SUBMIT
                        : "No exact OS matches for host (test conditions non-ideal).");
            }
        } else if (result.outcome() == Outcome.NOMATCHES) {
            if (reason == null) {
                out.add("No OS matches for host " + SUBMIT);
            } else {
                out.add("OS fingerprint not ideal because: " + reason);
                out.add("No OS matches for host");
            }
        } else {
            out.add("Too many fingerprints match this host to give specific OS details");
        }
        return out;
    }

    /** The OS lines followed by {@code Network Distance: N hop(s)} when the SCAN line gives a distance. */
    public static List<String> withDistance(MatchResult result, ScanInfo scan) {
        List<String> out = verdict(result, scan);
        int distance = scan == null ? -1 : scan.distance();
        if (distance != -1) {
            out.add("Network Distance: " + distance + " hop" + (distance == 1 ? "" : "s"));
        }
        return out;
    }

    private static void classification(Classification osr, List<String> out) {
        if (osr.outcome() != Outcome.SUCCESS) {
            return;
        }
        List<String> types = new ArrayList<>();
        List<String> cpes = new ArrayList<>();
        List<String> families = new ArrayList<>();
        List<StringBuilder> generations = new ArrayList<>();
        List<Double> familyAccuracy = new ArrayList<>();
        boolean overflow = false;
        List<OsClass> classes = osr.classes();
        double first = classes.isEmpty() ? 0 : osr.accuracy().get(0);
        for (int classNo = 0; classNo < classes.size(); classNo++) {
            double acc = osr.accuracy().get(classNo);
            if (acc <= first - 0.1 || (acc < 1.0 && classNo > 9)) {
                break;
            }
            OsClass c = classes.get(classNo);
            overflow |= !addIfNew(types, c.deviceType());
            for (String cpe : c.cpes()) {
                overflow |= !addIfNew(cpes, cpe);
            }
            String family = c.vendor().equals(c.family()) ? c.family() : c.vendor() + " " + c.family();
            int familyNo = families.indexOf(family);
            if (familyNo >= 0) {
                StringBuilder gens = generations.get(familyNo);
                // strstr: a generation already contained in the list, even inside another one, is not added again.
                if (c.generation() != null && gens.indexOf(c.generation()) < 0) {
                    if (gens.length() > 0) {
                        gens.append('|');
                    }
                    gens.append(c.generation());
                    gens.setLength(Math.min(gens.length(), GENERATION_BUF - 1));
                }
            } else {
                if (families.size() >= MAX_MEMBERS) {
                    overflow = true;
                    break;
                }
                // Nmap stores the family in a 128-byte buffer and compares the stored (cut) form with the full one.
                families.add(cut(family, FAMILY_BUF));
                generations.add(new StringBuilder(c.generation() == null ? "" : cut(c.generation(), FIRST_GENERATION_BUF)));
                familyAccuracy.add(acc);
            }
        }
        if (overflow || families.isEmpty()) {
            return;
        }
        out.add("Device type: " + String.join("|", types));
        StringBuilder running = new StringBuilder(osr.perfect() == 0 ? "Running (JUST GUESSING): " : "Running: ");
        for (int f = 0; f < families.size(); f++) {
            running.append(f > 0 ? ", " : "").append(families.get(f));
            if (generations.get(f).length() > 0) {
                running.append(' ').append(generations.get(f));
            }
            // Nmap compares the family's position with the number of perfect classes, not families.
            if (f >= osr.perfect()) {
                running.append(" (").append((int) Math.floor(familyAccuracy.get(f) * 100)).append("%)");
            }
        }
        out.add(running.toString());
        if (!cpes.isEmpty()) {
            out.add("OS CPE: " + String.join(" ", cpes));
        }
    }

    private static boolean addIfNew(List<String> list, String item) {
        if (list.contains(item)) {
            return true;
        }
        if (list.size() >= MAX_MEMBERS) {
            return false;
        }
        list.add(item);
        return true;
    }

    private static String cut(String s, int bufferSize) {
        return s.length() < bufferSize ? s : s.substring(0, bufferSize - 1);
    }
}
