package io.scanfarm.matcher.load;

import io.scanfarm.matcher.osdb.OsDb;
import io.scanfarm.matcher.osdb.OsDbParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Finds and reads the user's installed nmap-os-db; the project never ships one. */
public final class OsDbFiles {

    public static final String FILE_NAME = "nmap-os-db";

    /** A loaded database with the identity of the file it came from. */
    public record Loaded(OsDb db, Path path, String sha256, long loadNanos) {
    }

    private OsDbFiles() {
    }

    /** Where Nmap keeps the database: $NMAPDIR first, then the Debian/Ubuntu and the source-install places. */
    public static List<Path> defaultCandidates(Map<String, String> env) {
        List<Path> out = new ArrayList<>();
        String nmapDir = env.get("NMAPDIR");
        if (nmapDir != null && !nmapDir.isBlank()) {
            out.add(Path.of(nmapDir, FILE_NAME));
        }
        out.add(Path.of("/usr/share/nmap", FILE_NAME));
        out.add(Path.of("/usr/local/share/nmap", FILE_NAME));
        return out;
    }

    /** The first candidate that exists, or an error saying how to get one. */
    public static Path locate(Map<String, String> env) {
        List<Path> candidates = defaultCandidates(env);
        Path found = firstExisting(candidates);
        if (found != null) {
            return found;
        }
        throw new OsDbLoadException("no nmap-os-db found (looked in " + candidates
                + "): install Nmap's data files (Debian/Ubuntu: apt-get install nmap-common) or pass --os-db PATH");
    }

    public static Loaded load(Path path) {
        long start = System.nanoTime();
        byte[] bytes = readText(path, FILE_NAME);
        // The digest runs beside the parse: on a cold JVM each takes a good part of the load time.
        final byte[] content = bytes;
        CompletableFuture<String> digest = CompletableFuture.supplyAsync(() -> sha256(content));
        OsDb db = OsDbParser.parseUtf8(bytes, path.toString());
        return new Loaded(db, path, digest.join(), System.nanoTime() - start);
    }

    /** The first of the paths that is a regular file, or null. */
    static Path firstExisting(List<Path> candidates) {
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** A database file's bytes, refused with one line when it is missing, unreadable or binary (a NUL byte). */
    static byte[] readText(Path path, String kind) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new OsDbLoadException(path + ": no such file");
        } catch (IOException e) {
            throw new OsDbLoadException(path + ": cannot read: " + e.getMessage());
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new OsDbLoadException(path + ": binary data (a NUL byte at offset " + i + "), not an " + kind + " text file");
            }
        }
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
