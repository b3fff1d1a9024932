package io.scanfarm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The launcher loads a command's classes from a class-data archive, and the JVM leaves Java 5 class files out of
 * one ("Pre JDK 6 class not supported by CDS"): picocli's own jar is made of them, and loading its 177 classes
 * from the jar took every command ~0.04 s more. The picocli on the command's class path must be the one the
 * picocli-cds module compiles for Java 17, not the library's jar.
 */
class ClassDataArchiveTest {

    @Test
    void picocliOnTheClassPathIsMadeOfClassFilesTheArchiveTakes() throws IOException {
        for (Class<?> c : new Class<?>[] {CommandLine.class, CommandLine.Model.CommandSpec.class, CommandLine.Help.Ansi.class}) {
            String resource = "/" + c.getName().replace('.', '/') + ".class";
            try (InputStream in = c.getResourceAsStream(resource)) {
                assertNotNull(in, resource);
                DataInputStream data = new DataInputStream(in);
                assertEquals(0xCAFEBABE, data.readInt(), resource);
                data.readUnsignedShort(); // minor version
                int major = data.readUnsignedShort();
                assertTrue(major >= 50, c.getName() + " is a class file of major version " + major
                        + ": the JVM keeps it out of the class-data archive (needs 50, Java 6, or newer)");
            }
        }
    }
}
