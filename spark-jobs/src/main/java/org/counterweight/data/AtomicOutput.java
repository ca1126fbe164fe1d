package org.counterweight.data;

import java.io.IOException;
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
 * Writes an output (a file or a directory) atomically: the content is written to a hidden
 * temporary sibling ({@code .name.tmp-<uuid>}; Spark and Hadoop readers skip names starting with
 * a dot) and renamed into place only when complete. A failed job leaves nothing at the target.
 * An existing target is replaced: it is moved aside first and deleted after the rename, so the
 * target path never holds a mix of old and new content.
 */
public final class AtomicOutput {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicOutput.class);

    /** Writes content into the temporary path given to it. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path tmp) throws IOException;
    }

    private AtomicOutput() {
    }

    /** Runs {@code writer} against a temporary path and moves the result to {@code target}. */
    public static void write(Configuration conf, String target, Writer writer) {
        Path dest = new Path(target);
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
                replace(fs, tmp, dest);
            } finally {
                if (fs.exists(tmp)) {
                    fs.delete(tmp, true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target, e);
        }
    }

    private static void replace(FileSystem fs, Path tmp, Path dest) throws IOException {
        Path old = null;
        if (fs.exists(dest)) {
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
