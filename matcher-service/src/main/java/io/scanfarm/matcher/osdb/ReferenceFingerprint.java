package io.scanfarm.matcher.osdb;

import io.scanfarm.matcher.fp.FpTest;
import java.util.List;

/** One {@code Fingerprint} record of nmap-os-db; {@code line} is the line number of its Fingerprint line. */
public record ReferenceFingerprint(String name, int line, List<OsClass> classes, List<FpTest> tests) {

    public ReferenceFingerprint {
        classes = List.copyOf(classes);
        tests = List.copyOf(tests);
    }
}
