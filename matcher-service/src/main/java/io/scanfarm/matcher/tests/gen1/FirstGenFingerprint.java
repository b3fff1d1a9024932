package io.scanfarm.matcher.tests.gen1;

import io.scanfarm.matcher.fp.FpTest;
import java.util.ArrayList;
import java.util.List;

/**
 * A first-generation fingerprint computed from raw packets: the SInfo line, then TSeq, T1-T7 and PU as Nmap
 * 3.x/4.x printed them (tests it could not run are absent; probes without an answer print Resp=N), and the
 * sequence analysis Nmap printed beside it.
 */
public record FirstGenFingerprint(FpTest sInfo, List<FpTest> tests, TSeqAnalysis.Result sequence) {

    public FirstGenFingerprint {
        tests = List.copyOf(tests);
    }

    public FpTest test(String name) {
        return FpTest.named(tests, name);
    }

    /** One test per line, SInfo first, as Nmap printed "TCP/IP fingerprint:". */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(sInfo.toString());
        for (FpTest t : tests) {
            out.add(t.toString());
        }
        return out;
    }

    /** The lines joined by newlines. */
    public String text() {
        return String.join("\n", lines());
    }
}
