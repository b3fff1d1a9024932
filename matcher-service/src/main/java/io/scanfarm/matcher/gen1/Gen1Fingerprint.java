package io.scanfarm.matcher.gen1;

import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.osdb.OsClass;
import java.util.List;

/**
 * One entry of nmap-os-fingerprints: its name as Nmap read it, the line of its {@code Fingerprint} line, its
 * classes (first-generation classes carry no CPE) and its tests in file order, values unevaluated.
 */
public record Gen1Fingerprint(String name, int line, List<OsClass> classes, List<FpTest> tests) {

    public Gen1Fingerprint {
        classes = List.copyOf(classes);
        tests = List.copyOf(tests);
    }
}
