package org.counterweight.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes one local file (model, metrics, report page) atomically: the content goes to a hidden
 * temporary sibling ({@code .name.tmp-<uuid>}) that is renamed over the target when complete, so
 * readers never see a half-written file. The temporary file is created like any other file, so
 * the result has the permissions the umask gives (0644 under umask 022);
 * {@code Files.createTempFile} would make it owner-only (0600). Files under Spark's control are
 * written by {@link AtomicOutput}.
 */
public final class AtomicFile {
    /** Writes the content to the stream given to it (closing it is allowed). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /** Writes {@code content} to {@code target}, creating its parent directories. */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(out);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code text} as UTF-8 to {@code target}. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
