package io.scanfarm.cli.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a temporary embedded broker keeps its data. */
class EmbeddedKafkaDirTest {

    @TempDir
    Path dir;

    @Test
    void aWritableDirectoryWithEnoughFreeSpaceIsUsed() {
        assertEquals(Optional.of(dir), EmbeddedKafka.memoryBacked(dir, 1));
    }

    @Test
    void tooLittleFreeSpaceIsNotUsed() {
        assertEquals(Optional.empty(), EmbeddedKafka.memoryBacked(dir, Long.MAX_VALUE));
    }

    @Test
    void aMissingDirectoryOrAFileIsNotUsed() throws Exception {
        assertEquals(Optional.empty(), EmbeddedKafka.memoryBacked(dir.resolve("missing"), 1));
        assertEquals(Optional.empty(), EmbeddedKafka.memoryBacked(Files.writeString(dir.resolve("file"), "x"), 1));
    }

    @Test
    void theJvmsTemporaryDirectoryWinsWhenOneWasGiven() {
        String before = System.getProperty("java.io.tmpdir");
        try {
            System.setProperty("java.io.tmpdir", dir.toString());
            assertEquals(dir, EmbeddedKafka.temporaryParent());
            System.setProperty("java.io.tmpdir", "/tmp");
            Path chosen = EmbeddedKafka.temporaryParent();
            assertTrue(chosen.equals(Path.of("/tmp")) || chosen.equals(Path.of("/dev/shm")), chosen.toString());
            assertEquals(EmbeddedKafka.memoryBacked(Path.of("/dev/shm"), EmbeddedKafka.MEMORY_DIR_MIN_FREE).orElse(Path.of("/tmp")), chosen);
        } finally {
            System.setProperty("java.io.tmpdir", before);
        }
    }
}
