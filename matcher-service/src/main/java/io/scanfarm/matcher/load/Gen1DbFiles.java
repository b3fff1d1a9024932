package io.scanfarm.matcher.load;

import io.scanfarm.matcher.gen1.Gen1Db;
import io.scanfarm.matcher.gen1.Gen1DbParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finds and reads a first-generation nmap-os-fingerprints; the project never ships one and modern Nmap no longer does. */
public final class Gen1DbFiles {

    public static final String FILE_NAME = "nmap-os-fingerprints";

    /** A loaded database with the identity of the file it came from. */
    public record Loaded(Gen1Db db, Path path, String sha256) {
    }

    private Gen1DbFiles() {
    }

    /** The places nmap-os-db is looked for (OsDbFiles), with this file's name. */
    public static List<Path> defaultCandidates(Map<String, String> env) {
        List<Path> out = new ArrayList<>();
        for (Path p : OsDbFiles.defaultCandidates(env)) {
            out.add(p.resolveSibling(FILE_NAME));
        }
        return out;
    }

    /** The first candidate that exists, or an error saying none was found and how to name one. */
    public static Path locate(Map<String, String> env) {
        List<Path> candidates = defaultCandidates(env);
        Path found = OsDbFiles.firstExisting(candidates);
        if (found != null) {
            return found;
        }
        throw new OsDbLoadException("no nmap-os-fingerprints found (looked in " + candidates + "); Nmap stopped shipping"
                + " this first-generation database when it removed first-generation OS detection (November 2007):"
                + " pass --os-db PATH naming an nmap-os-fingerprints file");
    }

    public static Loaded load(Path path) {
        byte[] bytes = OsDbFiles.readText(path, FILE_NAME);
        // The file is ASCII; ISO-8859-1 reads any stray byte as one character, so line numbers stay right.
        Gen1Db db = Gen1DbParser.parse(new String(bytes, StandardCharsets.ISO_8859_1), path.toString());
        return new Loaded(db, path, OsDbFiles.sha256(bytes));
    }
}
