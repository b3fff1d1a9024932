package io.scanfarm.matcher.report;

import io.scanfarm.matcher.gen1.Gen1Verdict;
import io.scanfarm.matcher.observation.Observation;
import io.scanfarm.matcher.tests.gen1.FirstGenFingerprint;
import io.scanfarm.matcher.tests.gen1.TSeqAnalysis;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines first-generation {@code nmap -O -v} printed for a probed host: the ports used, the OS lines (with
 * the fingerprint when there was no match), the uptime guess, the TCP sequence prediction with its class and
 * difficulty, and the IP ID sequence class (output.cc printosscanoutput, Nmap 3.x/4.x).
 */
public final class FirstGenHostReport {

    private FirstGenHostReport() {
    }

    public static List<String> lines(Observation obs, FirstGenFingerprint fp, Gen1Verdict verdict) {
        List<String> out = new ArrayList<>();
        out.add(HostReport.portsUsed(obs, obs.closedUdpPort()));
        out.addAll(verdict.lines());
        TSeqAnalysis.Result seq = fp.sequence();
        if (seq != null) {
            if (seq.lastBoot() != null) {
                out.add("Uptime " + HostReport.uptime(obs.startEpochSeconds(), seq.lastBoot()));
            }
            if (seq.seqClass() != null && seq.seqClass() != io.scanfarm.matcher.tests.gen1.SeqClass.UNKNOWN) {
                out.add("TCP Sequence Prediction: Class=" + seq.seqClass().description());
                out.add("                         Difficulty=" + seq.index() + " (" + seq.difficulty() + ")");
            }
            if (seq.ipId() != null) {
                out.add("IP ID Sequence Generation: " + seq.ipId().description());
            }
        }
        return out;
    }
}
