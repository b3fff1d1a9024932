package io.scanfarm.matcher.subject;

import io.scanfarm.matcher.fp.Attr;
import io.scanfarm.matcher.fp.FpTest;

/**
 * The {@code SCAN(...)} line of a subject. It is never matched; its OT, CT, CU and DS values decide how Nmap
 * words the verdict (FingerPrintResults::OmitSubmissionFP) and whether it prints the network distance.
 */
public record ScanInfo(FpTest line) {

    /** The open TCP port used, or -1 when none was found (empty or absent OT). */
    public int openTcpPort() {
        return intOr(line.value("OT"), -1);
    }

    public int closedTcpPort() {
        return intOr(line.value("CT"), -1);
    }

    public int closedUdpPort() {
        return intOr(line.value("CU"), -1);
    }

    /** Hop distance, or -1 when unknown. */
    public int distance() {
        return intOr(line.value("DS"), -1);
    }

    public String value(String name) {
        return line.value(name);
    }

    public Iterable<Attr> attrs() {
        return line.attrs();
    }

    private static int intOr(String s, int fallback) {
        if (s == null || s.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
