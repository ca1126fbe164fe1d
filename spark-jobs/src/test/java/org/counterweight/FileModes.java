package org.counterweight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Checks that an output got the permissions of an ordinary new file (the process umask applied,
 * 0644 under umask 022), by comparing with a file made by {@link FileOutputStream} in the same
 * directory: the test JVM's umask is whatever the build was started with.
 */
public final class FileModes {
    private FileModes() {
    }

    /** Fails when {@code file}'s permissions differ from those of a plain new file beside it. */
    public static void assertLikeOrdinaryFile(Path file) throws IOException {
        Path reference = file.resolveSibling(".mode-reference");
        new FileOutputStream(reference.toFile()).close();
        try {
            assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(reference)),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file + " permissions");
        } finally {
            Files.delete(reference);
        }
    }
}
