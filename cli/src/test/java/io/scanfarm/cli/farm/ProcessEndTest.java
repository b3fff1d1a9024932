package io.scanfarm.cli.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a process ends with _exit rather than the JVM's exit, and what it then deletes itself: lz4-java's copy of its
 * native library, found in the process's maps.
 */
class ProcessEndTest {

    @TempDir
    Path dir;

    @Test
    void deletesTheMappedLz4LibraryInTheTemporaryDirectoryAndItsLockFileOnly() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Path mine = Files.writeString(tmp.resolve("liblz4-java-123.so"), "elf");
        Path myLock = Files.writeString(tmp.resolve("liblz4-java-123.so.lck"), "");
        Path anothers = Files.writeString(tmp.resolve("liblz4-java-456.so"), "elf"); // another process's, not mapped here
        Path anothersLock = Files.writeString(tmp.resolve("liblz4-java-456.so.lck"), "");
        Path elsewhere = Files.writeString(other.resolve("liblz4-java-789.so"), "elf"); // mapped, but not in tmp
        Path jna = Files.writeString(tmp.resolve("jna123.so"), "elf"); // mapped, another library
        Path maps = Files.write(dir.resolve("maps"), List.of(
                "7f1c2a000000-7f1c2a021000 r-xp 00000000 fd:00 1234  " + mine,
                "7f1c2a021000-7f1c2a220000 ---p 00021000 fd:00 1234  " + mine,
                "7f1c2b000000-7f1c2b010000 r-xp 00000000 fd:00 1235  " + elsewhere,
                "7f1c2c000000-7f1c2c010000 r-xp 00000000 fd:00 1236  " + jna,
                "7f1c2d000000-7f1c2d021000 rw-p 00000000 00:00 0 ",
                "7ffd1e000000-7ffd1e021000 rw-p 00000000 00:00 0                          [stack]"));

        assertEquals(List.of(mine, myLock), ProcessEnd.deleteExtractedLibraries(maps, tmp));
        assertFalse(Files.exists(mine));
        assertFalse(Files.exists(myLock));
        for (Path kept : List.of(anothers, anothersLock, elsewhere, jna)) {
            assertTrue(Files.exists(kept), kept + " is not this process's lz4 library in the temporary directory");
        }
    }

    @Test
    void theJvmsExitRunsOnlyForWorkAtExitThatIsWanted() {
        // deferred actions ran (a finished farm left running), nothing else: _exit, the farm is not stopped in order
        assertTrue(ProcessEnd.endsWithoutTheJvmsExit(true, false, false, false));
        // no deferred actions, no archive: the JVM's exit, as for any command
        assertFalse(ProcessEnd.endsWithoutTheJvmsExit(false, false, false, false));
        // an archive wanted (a scan followed to its end): the JVM's exit writes it, farm or not
        assertFalse(ProcessEnd.endsWithoutTheJvmsExit(true, true, false, false));
        assertFalse(ProcessEnd.endsWithoutTheJvmsExit(false, true, false, false));
        // an archive not wanted (scan --help, a refused or failed scan): _exit, so none is written
        assertTrue(ProcessEnd.endsWithoutTheJvmsExit(false, true, true, false));
        assertTrue(ProcessEnd.endsWithoutTheJvmsExit(true, true, true, false));
        // a flight recording is dumped at the JVM's exit, whatever else
        assertFalse(ProcessEnd.endsWithoutTheJvmsExit(true, false, false, true));
        assertFalse(ProcessEnd.endsWithoutTheJvmsExit(false, true, true, true));
    }

    @Test
    void anUnreadableMapsFileDeletesNothing() throws Exception {
        Path lib = Files.writeString(dir.resolve("liblz4-java-1.so"), "elf");
        assertEquals(List.of(), ProcessEnd.deleteExtractedLibraries(dir.resolve("no-such-maps"), dir));
        assertTrue(Files.exists(lib));
    }
}
