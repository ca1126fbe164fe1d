package org.counterweight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Checks that an output file is readable by all, as README promises: outputs go through Hadoop's
 * file system, which applies its own umask (022 unless {@code fs.permissions.umask-mode} says
 * otherwise), so every file comes out 0644 — not the owner-only 0600 of a Java temporary file.
 */
public final class FileModes {
    private FileModes() {
    }

    /** Fails unless {@code file} is {@code rw-r--r--}. */
    public static void assertLikeOrdinaryFile(Path file) throws IOException {
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file + " permissions");
    }
}
