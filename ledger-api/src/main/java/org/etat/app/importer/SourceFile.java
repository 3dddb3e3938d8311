package org.etat.app.importer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The bytes of one source file, its name and SHA-256: everything provenance needs. */
public record SourceFile(String fileName, byte[] bytes, String sha256) {

    /** Source files are read whole; 64 MiB is far above any budget file (the largest is ~2 MB). */
    public static final int MAX_BYTES = 64 * 1024 * 1024;

    public static SourceFile of(String fileName, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new MalformedRowException(fileName, 0, null, "file is larger than " + MAX_BYTES + " bytes");
        }
        return new SourceFile(fileName, bytes, sha256(bytes));
    }

    public static SourceFile read(Path path) {
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new MalformedRowException(path.getFileName().toString(), 0, null, "file is larger than " + MAX_BYTES + " bytes");
            }
            return of(path.getFileName().toString(), Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    public Provenance at(int row) {
        return new Provenance(fileName, sha256, row);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
