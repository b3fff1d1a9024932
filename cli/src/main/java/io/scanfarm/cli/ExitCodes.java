package io.scanfarm.cli;

/** The exit codes every scanfarm command uses. */
final class ExitCodes {

    static final int OK = 0;
    /** Some input (a subject, a host) could not be handled; each case was reported and the rest went on. */
    static final int PARTIAL = 1;
    /** Bad usage, or what the command needs (a database, privileges, a broker) is missing. */
    static final int SETUP = 2;
    /** Something that should not happen did: printed as one line, the trace with SCANFARM_DEBUG set. */
    static final int INTERNAL = 3;

    private ExitCodes() {
    }
}
