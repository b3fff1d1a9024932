package io.scanfarm.matcher.oracle;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates ../shared/testdata (tests only: never copied into the project). Tests skip with a message without it. */
public final class SharedTestData {

    private SharedTestData() {
    }

    public static Path root() {
        String prop = System.getProperty("scanfarm.shared");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
        return p.toAbsolutePath().normalize();
    }

    /** A file under testdata, or a skipped test saying what is missing. */
    public static Path require(String relative) {
        Path p = root().resolve("testdata").resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(p),
                "skipped: " + p + " is absent (../shared is not beside this checkout); the project's own fixtures still test the engine");
        return p;
    }

    public static Path oracleDb() {
        return require("nmap-oracle/nmap-os-db-7.93");
    }
}
