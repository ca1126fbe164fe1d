package org.counterweight.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where a command writes and what it may replace there. The rules (checked by {@link #check},
 * again by {@link AtomicOutput#write} right before the rename):
 *
 * <ul>
 *   <li>a path that does not exist, or an empty directory, is written;
 *   <li>a previous Counterweight output of the same {@link OutputKind} (its {@link OutputMarker}
 *       matches what is there) is replaced;
 *   <li>anything else is refused unless {@code overwrite} is set;
 *   <li>an output that equals, contains or lies inside one of the command's inputs is refused
 *       even with {@code overwrite}: replacing it would delete the input.
 * </ul>
 *
 * @param path the output path (file or directory; any Hadoop file system)
 * @param kind what is written there
 * @param overwrite whether a foreign file or directory at {@code path} may be replaced
 * @param inputs paths the command reads (dataset names that are not paths are ignored)
 */
public record Output(String path, OutputKind kind, boolean overwrite, List<String> inputs) {

    public Output {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        inputs = List.copyOf(inputs.stream().filter(Objects::nonNull).toList());
    }

    /** An output of {@code kind} at {@code path} that replaces only a previous output of the same kind. */
    public static Output of(String path, OutputKind kind) {
        return new Output(path, kind, false, List.of());
    }

    /** This output, allowed to replace a foreign file or directory when {@code overwrite} is true. */
    public Output overwrite(boolean overwrite) {
        return new Output(path, kind, overwrite, inputs);
    }

    /** This output, refused when it equals, contains or lies inside any of {@code more}. */
    public Output readingFrom(String... more) {
        List<String> all = new ArrayList<>(inputs);
        for (String s : more) {
            if (s != null) {
                all.add(s);
            }
        }
        return new Output(path, kind, overwrite, all);
    }

    /** Checks the rules above and returns this output; call it before any job runs. */
    public Output check(Configuration conf) {
        try {
            Path dest = new Path(path);
            FileSystem fs = dest.getFileSystem(conf);
            dest = fs.makeQualified(dest);
            for (String in : inputs) {
                Path input = qualifiedIfExists(conf, in);
                if (input != null && overlaps(dest, input)) {
                    throw new DataException("refusing to write " + path + ": it " + relation(dest, input) + " the input "
                            + in + " (choose another output path)");
                }
            }
            if (!fs.exists(dest) || isEmptyDirectory(fs, dest) || overwrite) {
                return this;
            }
            String foreign = OutputMarker.whyForeign(fs, dest, kind);
            if (foreign != null) {
                throw new DataException("refusing to replace " + path + ": " + foreign
                        + "; choose another output path or give --overwrite");
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check output " + path, e);
        }
    }

    /** The qualified path of an input that exists as a path, else null (e.g. a built-in dataset name). */
    private static Path qualifiedIfExists(Configuration conf, String input) throws IOException {
        Path p;
        try {
            p = new Path(input);
        } catch (IllegalArgumentException e) {
            return null;
        }
        FileSystem fs = p.getFileSystem(conf);
        Path q = fs.makeQualified(p);
        return fs.exists(q) ? q : null;
    }

    private static boolean overlaps(Path a, Path b) {
        return isAncestorOrSelf(a, b) || isAncestorOrSelf(b, a);
    }

    private static String relation(Path dest, Path input) {
        if (dest.equals(input)) {
            return "is";
        }
        return isAncestorOrSelf(dest, input) ? "contains" : "lies inside";
    }

    private static boolean isAncestorOrSelf(Path ancestor, Path p) {
        for (Path c = p; c != null; c = c.getParent()) {
            if (c.equals(ancestor)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmptyDirectory(FileSystem fs, Path p) throws IOException {
        FileStatus st = fs.getFileStatus(p);
        return st.isDirectory() && fs.listStatus(p).length == 0;
    }
}
