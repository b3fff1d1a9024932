package io.scanfarm.cli;

import io.scanfarm.wire.JobSignature;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Job-signing keys on disk: NAME.key (PKCS#8 PEM, private, mode 0600) and NAME.pub (X.509 PEM) side by side,
 * as {@code scanfarm keygen} writes them; agents trust a list of .pub files or directories of them.
 */
final class KeyFiles {

    private KeyFiles() {
    }

    /** Writes NAME.key and NAME.pub; refuses to replace an existing key. */
    static void write(Path base, KeyPair pair) {
        Path key = sibling(base, ".key");
        Path pub = sibling(base, ".pub");
        try {
            if (Files.exists(pub)) {
                throw new FileAlreadyExistsException(pub.toString());
            }
            // Created private from the start, never readable by others even for a moment.
            Files.writeString(Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    JobSignature.pem(pair.getPrivate()), StandardOpenOption.WRITE);
            Files.writeString(pub, JobSignature.pem(pair.getPublic()), StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            throw new UserError(e.getFile() + " exists: keygen never replaces a key (move it away first)");
        } catch (IOException e) {
            throw new UserError("cannot write " + key + ": " + e.getMessage());
        }
    }

    /** The key pair of NAME.key (its NAME.pub beside it). */
    static KeyPair pair(Path keyFile) {
        Path pub = sibling(keyFile, ".pub");
        try {
            return JobSignature.keyPair(Files.readString(keyFile), Files.readString(pub));
        } catch (NoSuchFileException e) {
            throw new UserError(e.getFile() + ": no such file (a signing key is NAME.key with NAME.pub beside it: scanfarm keygen)");
        } catch (IOException e) {
            throw new UserError(keyFile + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(keyFile + ": " + e.getMessage());
        }
    }

    /** The public keys of a comma-separated list of .pub files and directories (their *.pub files). */
    static List<PublicKey> trusted(String spec) {
        List<PublicKey> keys = new ArrayList<>();
        for (String s : spec.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            Path p = Path.of(s.strip());
            if (Files.isDirectory(p)) {
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(p, "*.pub")) {
                    for (Path f : dir) {
                        keys.add(publicKey(f));
                    }
                } catch (IOException e) {
                    throw new UserError(p + ": cannot read: " + e.getMessage());
                }
            } else {
                keys.add(publicKey(p));
            }
        }
        return keys;
    }

    private static PublicKey publicKey(Path f) {
        try {
            return JobSignature.publicKey(Files.readString(f));
        } catch (NoSuchFileException e) {
            throw new UserError(f + ": no such file");
        } catch (IOException e) {
            throw new UserError(f + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(f + ": " + e.getMessage());
        }
    }

    private static Path sibling(Path p, String suffix) {
        String name = p.getFileName().toString().replaceFirst("\\.(key|pub)$", "");
        return p.resolveSibling(name + suffix);
    }
}
