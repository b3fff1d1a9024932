package io.scanfarm.matcher.subject;

import io.scanfarm.matcher.fp.FpTest;
import java.util.List;

/** An observed fingerprint: its tests as Nmap printed them, and the SCAN line when there was one (else null). */
public record SubjectFingerprint(ScanInfo scan, List<FpTest> tests) {

    public SubjectFingerprint {
        tests = List.copyOf(tests);
    }

    public FpTest test(String name) {
        return FpTest.named(tests, name);
    }
}
