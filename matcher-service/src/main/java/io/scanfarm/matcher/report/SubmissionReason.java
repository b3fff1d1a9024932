package io.scanfarm.matcher.report;

import io.scanfarm.matcher.subject.ScanInfo;

/**
 * Why Nmap would not ask the user to submit this fingerprint (FingerPrintResults::OmitSubmissionFP), as far as
 * the SCAN line tells: missing ports, odd distances, no UDP answer. Null means the fingerprint is good.
 * A subject without a SCAN line has no known open port, so it is never ideal.
 */
final class SubmissionReason {

    private SubmissionReason() {
    }

    static String of(ScanInfo scan) {
        int open = scan == null ? -1 : scan.openTcpPort();
        int closed = scan == null ? -1 : scan.closedTcpPort();
        int udp = scan == null ? -1 : scan.closedUdpPort();
        int distance = scan == null ? -1 : scan.distance();
        if (open <= 0) {
            return "Missing an open TCP port so results incomplete";
        }
        if (closed <= 0) {
            return "Missing a closed TCP port so results incomplete";
        }
        if (distance < -1) {
            return "Host distance (" + distance + " network hops) appears to be negative";
        }
        if (distance > 5) {
            return "Host distance (" + distance + " network hops) is greater than five";
        }
        if (udp < 0) {
            return "Didn't receive UDP response. Please try again with -sSU";
        }
        return null;
    }
}
