package org.counterweight.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an {@link Output} (a file or a directory) atomically and safely: the content is written
 * to a hidden temporary sibling ({@code .name.tmp-<uuid>}; Spark and Hadoop readers skip names
 * starting with a dot), marked ({@link OutputMarker}) and renamed into place only when complete.
 * A failed job leaves nothing at the target. What is already at the target is replaced only
 * under {@link Output}'s rules; it is moved aside first and deleted after the rename, so the
 * target path never holds a mix of old and new content.
 */
public final class AtomicOutput {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicOutput.class);

    /** Writes content into the temporary path given to it. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path tmp) throws IOException;
    }

    /** Writes the content of a single file. */
    @FunctionalInterface
    public interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicOutput() {
    }

    /** Runs {@code writer} against a temporary path and moves the result to {@code out}'s path. */
    public static void write(Configuration conf, Output out, Writer writer) {
        out.check(conf);
        Path dest = new Path(out.path());
        try {
            FileSystem fs = dest.getFileSystem(conf);
            dest = fs.makeQualified(dest);
            Path parent = dest.getParent();
            if (parent != null && !fs.exists(parent)) {
                fs.mkdirs(parent);
            }
            Path tmp = new Path(parent, "." + dest.getName() + ".tmp-" + UUID.randomUUID());
            try {
                writer.writeTo(tmp);
                boolean directory = fs.getFileStatus(tmp).isDirectory();
                if (directory) {
                    OutputMarker.markDirectory(fs, tmp, out.kind(), false);
                }
                // Again: the job may have run for hours, and the target may have appeared since.
                out.check(conf);
                replace(fs, tmp, dest);
                if (!directory) {
                    OutputMarker.markFile(fs, dest, out.kind());
                }
            } finally {
                if (fs.exists(tmp)) {
                    fs.delete(tmp, true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + out.path(), e);
        }
    }

    /** Writes one file whose bytes {@code writer} produces. */
    public static void writeFile(Configuration conf, Output out, StreamWriter writer) {
        write(conf, out, tmp -> {
            try (OutputStream os = tmp.getFileSystem(conf).create(tmp, false)) {
                writer.writeTo(os);
            }
        });
    }

    private static void replace(FileSystem fs, Path tmp, Path dest) throws IOException {
        Path old = null;
        if (fs.exists(dest)) {
            if (fs.getFileStatus(dest).isFile()) {
                OutputMarker.unmarkFile(fs, dest);
            }
            old = new Path(dest.getParent(), "." + dest.getName() + ".old-" + UUID.randomUUID());
            if (!fs.rename(dest, old)) {
                throw new IOException("could not move existing " + dest + " aside");
            }
        }
        if (!fs.rename(tmp, dest)) {
            if (old != null) {
                fs.rename(old, dest);
            }
            throw new IOException("could not rename " + tmp + " to " + dest);
        }
        if (old != null) {
            fs.delete(old, true);
        }
        // Hadoop's local file system keeps a hidden .name.crc beside single files; users asked
        // for one file, so drop it (reading without it is fine).
        if (fs instanceof ChecksumFileSystem cfs && fs.getFileStatus(dest).isFile()) {
            cfs.getRawFileSystem().delete(cfs.getChecksumFile(dest), false);
        }
        LOG.debug("wrote {}", dest);
    }

    /** The single {@code part-*} file Spark wrote into {@code dir} (after {@code coalesce(1)}). */
    static Path singlePart(FileSystem fs, Path dir) throws IOException {
        Path found = null;
        for (FileStatus st : fs.listStatus(dir)) {
            if (st.getPath().getName().startsWith("part-")) {
                if (found != null) {
                    throw new IOException("expected one part file in " + dir);
                }
                found = st.getPath();
            }
        }
        if (found == null) {
            throw new IOException("no part file in " + dir);
        }
        return found;
    }
}
