package org.counterweight.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.counterweight.Version;

/**
 * The mark Counterweight leaves on what it wrote, so that it later replaces its own outputs and
 * nothing else.
 *
 * <ul>
 *   <li>A directory gets a {@value #DIR_MARKER} file (Spark and Hadoop readers skip names starting
 *       with {@code _}) holding the kind and the names of the entries written. The directory is
 *       ours while it holds no other entries: a file the user added later protects it.
 *   <li>A single file gets a hidden sibling {@code .<name>.counterweight} holding the kind, length
 *       and modification time written. The file is ours while both still match: a file the user
 *       put there since is not.
 * </ul>
 */
public final class OutputMarker {
    /** The marker file inside a directory output. */
    public static final String DIR_MARKER = "_COUNTERWEIGHT";
    private static final String KIND = "kind";
    private static final String ENTRIES = "entries";
    private static final String LENGTH = "length";
    private static final String MODIFIED = "modified";

    private OutputMarker() {
    }

    /**
     * Marks the directory {@code dir} (complete, not yet renamed into place) as an output of
     * {@code kind} holding exactly its current entries; with {@code anyEntries} (a store that
     * grows) its entries are not recorded and any content counts as ours.
     */
    public static void markDirectory(FileSystem fs, Path dir, OutputKind kind, boolean anyEntries) throws IOException {
        Properties p = base(kind);
        if (!anyEntries) {
            Set<String> names = new TreeSet<>();
            for (FileStatus st : fs.listStatus(dir)) {
                names.add(st.getPath().getName());
            }
            p.setProperty(ENTRIES, String.join("/", names));
        }
        write(fs, new Path(dir, DIR_MARKER), p);
    }

    /** Marks the single file {@code file} (already in place) as an output of {@code kind}. */
    static void markFile(FileSystem fs, Path file, OutputKind kind) throws IOException {
        FileStatus st = fs.getFileStatus(file);
        Properties p = base(kind);
        p.setProperty(LENGTH, Long.toString(st.getLen()));
        p.setProperty(MODIFIED, Long.toString(st.getModificationTime()));
        write(fs, fileMarker(file), p);
    }

    /** Removes the marker of a single file (before the file is replaced). */
    static void unmarkFile(FileSystem fs, Path file) throws IOException {
        raw(fs).delete(fileMarker(file), false);
    }

    /**
     * Null when {@code path} (which exists) is a previous output of {@code kind}, else the reason
     * it is not, for the error message.
     */
    public static String whyForeign(FileSystem fs, Path path, OutputKind kind) throws IOException {
        FileStatus st = fs.getFileStatus(path);
        Path markerPath = st.isDirectory() ? new Path(path, DIR_MARKER) : fileMarker(path);
        String what = st.isDirectory() ? "the directory" : "the file";
        if (!fs.exists(markerPath)) {
            return what + " exists and was not written by Counterweight";
        }
        Properties p = read(fs, markerPath);
        String written = p.getProperty(KIND, "?");
        if (!kind.id().equals(written)) {
            return what + " holds a Counterweight " + written + ", not a " + kind.id();
        }
        if (st.isDirectory()) {
            String entries = p.getProperty(ENTRIES);
            if (entries == null) {
                return null;
            }
            Set<String> ours = new TreeSet<>(Arrays.asList(entries.split("/")));
            for (FileStatus child : fs.listStatus(path)) {
                String name = child.getPath().getName();
                if (!name.equals(DIR_MARKER) && !ours.contains(name)) {
                    return what + " holds '" + name + "', which Counterweight did not write there";
                }
            }
            return null;
        }
        boolean unchanged = Long.toString(st.getLen()).equals(p.getProperty(LENGTH))
                && Long.toString(st.getModificationTime()).equals(p.getProperty(MODIFIED));
        return unchanged ? null : what + " was changed after Counterweight wrote it";
    }

    /** Whether {@code dir} carries a directory marker (of any kind). */
    public static boolean isMarkedDirectory(FileSystem fs, Path dir) throws IOException {
        return fs.exists(new Path(dir, DIR_MARKER));
    }

    private static Path fileMarker(Path file) {
        return new Path(file.getParent(), "." + file.getName() + ".counterweight");
    }

    private static Properties base(OutputKind kind) {
        Properties p = new Properties();
        p.setProperty(KIND, kind.id());
        p.setProperty("writer", "counterweight " + Version.describe());
        return p;
    }

    /** Markers go through the raw local file system: no {@code .crc} files beside them. */
    private static FileSystem raw(FileSystem fs) {
        return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    }

    private static void write(FileSystem fs, Path file, Properties p) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        p.store(bytes, "Counterweight output marker: lets Counterweight replace this output (and nothing else)");
        try (OutputStream out = raw(fs).create(file, true)) {
            out.write(bytes.toByteArray());
        }
    }

    private static Properties read(FileSystem fs, Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = raw(fs).open(file)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.ISO_8859_1));
        }
        return p;
    }
}
