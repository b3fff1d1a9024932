package io.scanfarm.matcher.bench;

import io.scanfarm.matcher.subject.ParsedSubject;
import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import io.scanfarm.matcher.subject.SubjectParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the benchmarks read from ../shared/testdata/nmap-oracle: the database Nmap's answers were computed
 * against and every oracle subject. Read in place, never copied into the project (shared/README.md).
 */
public final class BenchInputs {

    /** Set by the parent pom for surefire and by deploy/bench/matcher; forwarded to JMH forks. */
    public static final String SHARED_PROPERTY = "scanfarm.shared";

    static final List<String> SUBJECT_FILES = List.of("synthetic.txt", "edge.txt", "real.txt");

    private BenchInputs() {
    }

    /** ../shared: the property if set, else beside the checkout whether we run from its root or a module. */
    public static Path sharedRoot() {
        String prop = System.getProperty(SHARED_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("testdata"))) {
                return candidate.normalize();
            }
        }
        return here.resolveSibling("shared").normalize();
    }

    public static Path oracleDir() {
        Path dir = sharedRoot().resolve("testdata").resolve("nmap-oracle");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is absent: put ../shared beside the checkout or pass -D"
                    + SHARED_PROPERTY + "=PATH");
        }
        return dir;
    }

    public static Path database() {
        return oracleDir().resolve("nmap-os-db-7.93");
    }

    /** Every subject of the oracle files in file order; a subject that does not parse is an error, not a skip. */
    public static List<SubjectFingerprint> subjects() {
        List<SubjectFingerprint> out = new ArrayList<>();
        for (String file : SUBJECT_FILES) {
            Path path = oracleDir().resolve(file);
            String text;
            try {
                text = Files.readString(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (ParsedSubject p : SubjectParser.parseAll(text)) {
                if (!p.ok()) {
                    throw new IllegalStateException(path + ":" + p.errorLine() + ": " + p.error());
                }
                out.add(p.subject());
            }
        }
        return out;
    }

    /**
     * Hosts of one system: the first subject with a SEQ line and an OPS line gives every test but SEQ, and each
     * subject's SEQ line (where it has one) stands in for one host's timing-sensitive values.
     */
    public static List<SubjectFingerprint> hostsOfOneSystem(SubjectFingerprint[] subjects) {
        SubjectFingerprint system = null;
        for (SubjectFingerprint s : subjects) {
            if (s.test("SEQ") != null && s.test("OPS") != null) {
                system = s;
                break;
            }
        }
        if (system == null) {
            throw new IllegalStateException("no oracle subject has both SEQ and OPS lines");
        }
        List<SubjectFingerprint> out = new ArrayList<>();
        for (SubjectFingerprint s : subjects) {
            FpTest seq = s.test("SEQ");
            if (seq == null) {
                continue;
            }
            List<FpTest> tests = new ArrayList<>();
            tests.add(seq);
            for (FpTest t : system.tests()) {
                if (!t.name().equals("SEQ")) {
                    tests.add(t);
                }
            }
            out.add(new SubjectFingerprint(system.scan(), tests));
        }
        return out;
    }
}
