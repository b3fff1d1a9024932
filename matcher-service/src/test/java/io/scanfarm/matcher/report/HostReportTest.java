package io.scanfarm.matcher.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HostReportTest {

    private static final long START = 1_700_000_000L;

    @Test
    void uptimeIsInDaysToThreeDecimalsWithTheBootTimeInCtimeForm() {
        // 106,661 s = 1.2345023... days
        assertEquals("1.235 days (since Mon Nov 13 16:35:39 2023 UTC)", HostReport.uptime(START, START - 106_661));
        assertEquals("0.000 days (since Tue Nov 14 22:13:20 2023 UTC)", HostReport.uptime(START, START));
        assertEquals("730.000 days (since Sun Nov 14 22:13:20 2021 UTC)", HostReport.uptime(START, START - 730 * 86_400L));
    }

    @Test
    void aBootTimeAfterTheScanStartedIsNoNegativeUptime() {
        assertEquals("0.000 days (since Tue Nov 14 22:13:21 2023 UTC)", HostReport.uptime(START, START + 1));
    }

    @Test
    void uptimeRoundsAsPercentDotThreeFDoes() {
        // 43 s = 0.000497... days goes down, 44 s = 0.000509... up; 1080 s = 0.0125 days is a tie, rounded up.
        assertEquals("0.000", HostReport.uptime(START, START - 43).split(" ")[0]);
        assertEquals("0.001", HostReport.uptime(START, START - 44).split(" ")[0]);
        assertEquals("0.013", HostReport.uptime(START, START - 1080).split(" ")[0]);
        assertEquals("0.013", String.format(java.util.Locale.ROOT, "%.3f", 1080 / 86400.0), "what the line used to be built with");
    }
}
