package io.scanfarm.matcher.gen1;

import io.scanfarm.matcher.match.Outcome;
import io.scanfarm.matcher.osdb.OsClass;
import java.util.ArrayList;
import java.util.List;

/**
 * The OS lines first-generation Nmap printed for a host, word for word as Nmap 3.5x to 4.x output.cc
 * (printosscanoutput, printosclassificationoutput) wrote them with the old submission URL:
 * <ul>
 *   <li>Device type / Running lines from the classes, percentages on families below 100%,
 *       "Running (JUST GUESSING) :" (sic, with the space) when the best is not perfect;</li>
 *   <li>1 to 8 perfect matches: {@code OS details: A, B};</li>
 *   <li>none perfect: with --osscan-guess, or when the test conditions were not ideal, "Aggressive OS
 *       guesses:" (up to 10 within 10 points of the best), then "No exact OS matches for host" with the
 *       fingerprint to submit, or "(test conditions non-ideal)" without it;</li>
 *   <li>nothing at 85%: "No OS matches for host" and the fingerprint;</li>
 *   <li>more than 8 perfect matches, or more than 36: "Too many fingerprints match this host to give specific
 *       OS details" (the fingerprint only followed under -v, not reproduced).</li>
 * </ul>
 * The test conditions come from SInfo: ideal when it names an open and a closed port (fingerprintSuitableForSubmission);
 * a subject printed without SInfo is taken as ideal.
 */
public final class Gen1OsSection {

    public static final String SUBMIT = "(If you know what OS is running on it, see http://www.insecure.org/cgi-bin/nmap-submit.cgi).";
    public static final String HEADING = "TCP/IP fingerprint:";
    /** More perfect matches than this and Nmap names none of them. */
    public static final int MAX_LISTED_PERFECT = 8;

    private static final int MAX_MEMBERS = 8;
    private static final int FAMILY_BUF = 128;
    private static final int GENERATIONS_BUF = 48;

    private Gen1OsSection() {
    }

    /** The verdict and its lines; {@code osscanGuess} is Nmap's --osscan-guess (off by default). */
    public static Gen1Verdict verdict(Gen1Result result, Gen1Subject subject, boolean osscanGuess) {
        List<String> out = new ArrayList<>();
        Integer open = subject.openTcpPort();
        Integer closed = subject.closedTcpPort();
        // FingerPrintResults::fingerprintSuitableForSubmission: both ports found (>= 0); scan delay assumed small.
        boolean suitable = (open == null || open >= 0) && (closed == null || closed >= 0);
        boolean guess = osscanGuess || !suitable;
        classification(Gen1Classification.of(result), guess, out);

        List<Gen1Match> m = result.matches();
        Gen1Verdict.Kind kind;
        if (result.outcome() == Outcome.SUCCESS && result.perfectMatches() <= MAX_LISTED_PERFECT) {
            if (result.perfectMatches() > 0) {
                kind = Gen1Verdict.Kind.PERFECT;
                StringBuilder sb = new StringBuilder("OS details: ");
                for (int i = 0; i < result.perfectMatches(); i++) {
                    sb.append(i > 0 ? ", " : "").append(m.get(i).fingerprint().name());
                }
                out.add(sb.toString());
            } else {
                kind = Gen1Verdict.Kind.GUESS;
                if (guess) {
                    StringBuilder sb = new StringBuilder("Aggressive OS guesses: ");
                    double best = m.get(0).score();
                    for (int i = 0; i < 10 && i < m.size() && (i == 0 || m.get(i).score() > best - 0.10); i++) {
                        sb.append(i > 0 ? ", " : "").append(m.get(i).fingerprint().name())
                                .append(" (").append(m.get(i).accuracy()).append("%)");
                    }
                    out.add(sb.toString());
                }
                if (suitable) {
                    out.add("No exact OS matches for host " + SUBMIT);
                    fingerprint(subject, out);
                } else {
                    out.add("No exact OS matches for host (test conditions non-ideal).");
                }
            }
        } else if (result.outcome() == Outcome.NOMATCHES) {
            kind = Gen1Verdict.Kind.NO_MATCH;
            // Here Nmap asked for ports above 0, not at least 0 as for "No exact OS matches".
            boolean ideal = (open == null || open > 0) && (closed == null || closed > 0);
            out.add(ideal ? "No OS matches for host " + SUBMIT : "No OS matches for host (test conditions non-ideal).");
            fingerprint(subject, out);
        } else {
            kind = Gen1Verdict.Kind.TOO_MANY;
            out.add("Too many fingerprints match this host to give specific OS details");
        }
        return new Gen1Verdict(kind, result, out);
    }

    private static void fingerprint(Gen1Subject subject, List<String> out) {
        out.add(HEADING);
        out.addAll(subject.printed());
    }

    private static void classification(Gen1Classification osr, boolean guess, List<String> out) {
        if (osr.outcome() != Outcome.SUCCESS) {
            return;
        }
        List<String> types = new ArrayList<>();
        List<String> families = new ArrayList<>();
        List<StringBuilder> generations = new ArrayList<>();
        List<Double> familyScore = new ArrayList<>();
        boolean overflow = false;
        List<OsClass> classes = osr.classes();
        double first = osr.scores().get(0);
        for (int classNo = 0; classNo < classes.size(); classNo++) {
            double score = osr.scores().get(classNo);
            if ((!guess && score < 1.0) || score <= first - 0.1 || (score < 1.0 && classNo > 9)) {
                break;
            }
            OsClass c = classes.get(classNo);
            if (!types.contains(c.deviceType())) {
                if (types.size() >= MAX_MEMBERS) {
                    overflow = true;
                } else {
                    types.add(c.deviceType());
                }
            }
            String family = c.vendor().equals(c.family()) ? c.family() : c.vendor() + " " + c.family();
            int familyNo = families.indexOf(family);
            if (familyNo >= 0) {
                StringBuilder gens = generations.get(familyNo);
                // strstr: a generation already contained in the list, even inside another one, is not added.
                if (c.generation() != null && gens.indexOf(c.generation()) < 0) {
                    // Nmap 4.x stopped with a fatal "buffer 0verfl0w" here; the list is kept to what fit instead.
                    if (gens.length() + 2 + c.generation().length() < GENERATIONS_BUF) {
                        if (gens.length() > 0) {
                            gens.append('|');
                        }
                        gens.append(c.generation());
                    }
                }
            } else {
                if (families.size() >= MAX_MEMBERS) {
                    overflow = true;
                    break;
                }
                // Stored in fixed buffers (Strncpy), so an overlong family is compared in its cut form.
                families.add(cut(family, FAMILY_BUF));
                generations.add(new StringBuilder(c.generation() == null ? "" : cut(c.generation(), GENERATIONS_BUF)));
                familyScore.add(score);
            }
        }
        if (overflow || families.isEmpty()) {
            return;
        }
        out.add("Device type: " + String.join("|", types));
        StringBuilder running = new StringBuilder(familyScore.get(0) < 1.0 ? "Running (JUST GUESSING) : " : "Running: ");
        for (int f = 0; f < families.size(); f++) {
            running.append(f > 0 ? ", " : "").append(families.get(f));
            if (generations.get(f).length() > 0) {
                running.append(' ').append(generations.get(f));
            }
            if (familyScore.get(f) < 1.0) {
                running.append(" (").append((int) (familyScore.get(f) * 100)).append("%)");
            }
        }
        out.add(running.toString());
    }

    private static String cut(String s, int bufferSize) {
        return s.length() < bufferSize ? s : s.substring(0, bufferSize - 1);
    }
}
