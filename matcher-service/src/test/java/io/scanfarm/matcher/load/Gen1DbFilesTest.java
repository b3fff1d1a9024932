package io.scanfarm.matcher.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.matcher.oracle.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Gen1DbFiles}: where nmap-os-fingerprints is looked for, what is said when it is absent, and loading. */
class Gen1DbFilesTest {

    @TempDir
    Path tmp;

    @Test
    void looksWhereNmapOsDbIsLookedForNmapdirFirst() {
        assertEquals(List.of(Path.of("/opt/nmap/nmap-os-fingerprints"), Path.of("/usr/share/nmap/nmap-os-fingerprints"),
                Path.of("/usr/local/share/nmap/nmap-os-fingerprints")), Gen1DbFiles.defaultCandidates(Map.of("NMAPDIR", "/opt/nmap")));
        assertEquals(2, Gen1DbFiles.defaultCandidates(Map.of()).size());
    }

    @Test
    void findsTheFileInNmapdir() throws IOException {
        Path file = Files.writeString(tmp.resolve("nmap-os-fingerprints"), "Fingerprint X\nT1(DF=Y)\n");
        assertEquals(file, Gen1DbFiles.locate(Map.of("NMAPDIR", tmp.toString())));
    }

    @Test
    void noFileSaysWhereItLookedAndHowToNameOne() {
        Path empty = tmp.resolve("empty");
        List<Path> candidates = Gen1DbFiles.defaultCandidates(Map.of("NMAPDIR", empty.toString()));
        Assumptions.assumeTrue(candidates.stream().noneMatch(Files::exists), "skipped: this machine has an nmap-os-fingerprints installed");
        OsDbLoadException e = assertThrows(OsDbLoadException.class, () -> Gen1DbFiles.locate(Map.of("NMAPDIR", empty.toString())));
        assertTrue(e.getMessage().startsWith("no nmap-os-fingerprints found (looked in [" + empty.resolve("nmap-os-fingerprints")),
                e.getMessage());
        assertTrue(e.getMessage().contains("--os-db PATH"), e.getMessage());
    }

    @Test
    void loadsTheRealFileWithItsDigest() throws IOException, NoSuchAlgorithmException {
        Path file = SharedTestData.require("nmap-gen1/nmap-os-fingerprints");
        Gen1DbFiles.Loaded loaded = Gen1DbFiles.load(file);
        assertEquals(1684, loaded.db().fingerprints().size());
        assertEquals(file.toString(), loaded.db().source());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))), loaded.sha256());
    }

    @Test
    void missingAndBinaryFilesAreOneSentence() throws IOException {
        OsDbLoadException missing = assertThrows(OsDbLoadException.class, () -> Gen1DbFiles.load(tmp.resolve("absent")));
        assertTrue(missing.getMessage().endsWith(": no such file"), missing.getMessage());
        Path binary = Files.write(tmp.resolve("bin"), new byte[] {'F', 0, 1});
        OsDbLoadException nul = assertThrows(OsDbLoadException.class, () -> Gen1DbFiles.load(binary));
        assertTrue(nul.getMessage().contains("a NUL byte at offset 1"), nul.getMessage());
    }
}
