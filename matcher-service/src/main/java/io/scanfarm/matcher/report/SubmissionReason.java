package io.scanfarm.matcher.report;

import io.scanfarm.matcher.subject.ScanInfo;
import java.util.Locale;

/**
 * Why Nmap would not ask the user to submit a fingerprint (FingerPrintResults::OmitSubmissionFP, in its order),
 * or null when the fingerprint is good. The scanner knows every input; for a parsed subject the SCAN line tells
 * the ports and the distance, and its G=N says a reason existed even where the line cannot say which (the
 * timing ratio).
 */
public final class SubmissionReason {

    public static final String NOT_GOOD = "the fingerprint is marked not good for submission (G=N)";

    private SubmissionReason() {
    }

    public static String of(int openTcpPort, int closedTcpPort, int distance, double maxTimingRatio, int closedUdpPort) {
        if (openTcpPort <= 0) {
            return "Missing an open TCP port so results incomplete";
        }
        if (closedTcpPort <= 0) {
            return "Missing a closed TCP port so results incomplete";
        }
        if (distance < -1) {
            return "Host distance (" + distance + " network hops) appears to be negative";
        }
        if (distance > 5) {
            return "Host distance (" + distance + " network hops) is greater than five";
        }
        if (maxTimingRatio > 1.4) {
            return String.format(Locale.ROOT, "maxTimingRatio (%e) is greater than 1.4", maxTimingRatio);
        }
        if (closedUdpPort < 0) {
            return "Didn't receive UDP response. Please try again with -sSU";
        }
        return null;
    }

    /** From a subject's SCAN line; a subject without one has no known open port, so it is never ideal. */
    public static String of(ScanInfo scan) {
        if (scan == null) {
            return of(-1, -1, -1, 0, -1);
        }
        String reason = of(scan.openTcpPort(), scan.closedTcpPort(), scan.distance(), 0, scan.closedUdpPort());
        return reason == null && "N".equals(scan.value("G")) ? NOT_GOOD : reason;
    }
}
