package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scanfarm.matcher.service.VerdictEcs;
import io.scanfarm.matcher.service.VerdictJson;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsClassInfo;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.Outcome;
import io.scanfarm.proto.RankedMatch;
import io.scanfarm.wire.VerdictWire;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * scanfarm scan reads each verdict with only its first {@link ScanCommand#MATCHES_PRINTED} matches: every output
 * format must print the same from such a verdict as from the whole one. Fails when a format starts printing more.
 */
class MatchesPrintedTest {

    /** 36 matches as Nmap keeps them; {@code perfect} of them score 1.0 and rank first, the rest fall off slowly. */
    private static OsVerdict verdict(Outcome outcome, int perfect) {
        OsVerdict.Builder v = OsVerdict.newBuilder().setTarget("198.18.1.2").setHostStatus(HostStatus.UP).setOutcome(outcome)
                .setNmapResult("SUCCESS").setFingerprint("SCAN(V=x)\nSEQ(SP=1)").setMatchedAtMs(1_795_000_000_000L);
        for (int i = 0; i < 36; i++) {
            double score = i < perfect ? 1.0 : 0.99 - i * 0.002; // all 36 within Nmap's 0.10 of the best
            v.addMatches(RankedMatch.newBuilder().setName("OS " + i).setAccuracy((int) (score * 100)).setScore(score).setLine(100 + i)
                    .addClasses(OsClassInfo.newBuilder().setVendor("Linux").setFamily("Linux").setGeneration(i + ".X")
                            .setDeviceType("general purpose").addCpe("cpe:/o:linux:linux_kernel:" + i)));
        }
        return v.build();
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = {"PERFECT", "GUESS", "TOO_MANY", "NO_MATCH"})
    void everyFormatPrintsTheSameFromTheFirstMatchesOnly(Outcome outcome) throws Exception {
        OsVerdict whole = verdict(outcome, outcome == Outcome.PERFECT ? 8 : outcome == Outcome.TOO_MANY ? 12 : 0);
        OsVerdict read = VerdictWire.parseWithFirstMatches(whole.toByteArray(), ScanCommand.MATCHES_PRINTED);
        assertEquals(VerdictJson.of(whole), VerdictJson.of(read), "json");
        assertEquals(VerdictEcs.of(whole).toString(), VerdictEcs.of(read).toString(), "ecs");
        assertEquals(VerdictCsv.row(whole), VerdictCsv.row(read), "csv");
        assertEquals(NmapXml.listed(whole), NmapXml.listed(read), "xml osmatch");
        assertEquals(whole.getReportLinesList(), read.getReportLinesList(), "text");
    }
}
