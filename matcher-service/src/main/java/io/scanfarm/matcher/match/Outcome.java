package io.scanfarm.matcher.match;

/** Nmap's overall OS-scan result for a subject (OSSCAN_SUCCESS, OSSCAN_NOMATCHES, OSSCAN_TOOMANYMATCHES). */
public enum Outcome {
    SUCCESS, NOMATCHES, TOOMANYMATCHES
}
