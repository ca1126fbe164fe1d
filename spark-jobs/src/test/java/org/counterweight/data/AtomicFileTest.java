package org.counterweight.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.counterweight.FileModes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void writtenFileHasTheUmaskPermissionsNotOwnerOnly() throws IOException {
        Path target = dir.resolve("sub/metrics.csv");
        AtomicFile.writeString(target, "a\n");
        assertEquals("a\n", Files.readString(target));
        FileModes.assertLikeOrdinaryFile(target);
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("report.md");
        AtomicFile.writeString(target, "old");
        AtomicFile.writeString(target, "new");
        assertEquals("new", Files.readString(target));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList());
        }
    }

    @Test
    void failedWriteKeepsTheOldContent() throws IOException {
        Path target = dir.resolve("model.zip");
        AtomicFile.writeString(target, "old");
        assertThrows(IOException.class, () -> AtomicFile.write(target, out -> {
            out.write('x');
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList());
        }
    }
}
