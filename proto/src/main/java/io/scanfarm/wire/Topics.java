package io.scanfarm.wire;

/** The topic names of ../shared/DESIGN.md, in one place. */
public final class Topics {

    public static final String JOBS_PREFIX = "scanfarm.jobs.";
    public static final String OBSERVATIONS = "scanfarm.observations";
    public static final String VERDICTS = "scanfarm.verdicts";
    public static final String VERDICTS_JSON = "scanfarm.verdicts.json";
    public static final String JOB_STATUS = "scanfarm.job-status";
    public static final String DEAD_LETTER = "scanfarm.dead-letter";

    /** Version written into every message's schema_version. */
    public static final int SCHEMA_VERSION = 1;

    private Topics() {
    }

    public static String jobs(String segment) {
        return JOBS_PREFIX + segment;
    }
}
