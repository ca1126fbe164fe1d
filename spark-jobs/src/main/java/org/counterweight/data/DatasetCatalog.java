package org.counterweight.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The datasets a user can name: the built-ins and every tabular file under a data directory
 * ({@code --data-dir}; by default {@code $COUNTERWEIGHT_DATA_DIR}, else {@code ../shared/datasets}
 * next to the working directory or the installation, when present).
 */
public final class DatasetCatalog {
    /** One listed dataset with its class counts. */
    public record Entry(String name, String path, long rows, int features, LabelIndex labels, long[] counts) {
        /** Largest / smallest class. */
        public double imbalanceRatio() {
            long max = 0;
            long min = Long.MAX_VALUE;
            for (long c : counts) {
                max = Math.max(max, c);
                min = Math.min(min, c);
            }
            return min == 0 ? Double.POSITIVE_INFINITY : (double) max / min;
        }
    }

    private DatasetCatalog() {
    }

    /** The default data directory, or null when none exists. */
    public static Path defaultDataDir() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("COUNTERWEIGHT_DATA_DIR");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        candidates.add(Path.of("..", "shared", "datasets"));
        String home = System.getProperty("counterweight.home");
        if (home != null) {
            candidates.add(Path.of(home, "..", "shared", "datasets"));
        }
        return candidates.stream().filter(Files::isDirectory).map(p -> p.toAbsolutePath().normalize()).findFirst().orElse(null);
    }

    /** Tabular data files under {@code dir} (recursively), sorted by path. */
    public static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataException("data directory not found: " + dir);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> isTabular(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isTabular(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        String base = n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n;
        return base.endsWith(".csv") || base.endsWith(".libsvm") || base.endsWith(".svm") || n.endsWith(".parquet");
    }

    /** Reads one dataset (built-in name or path) and describes it. */
    public static Entry describe(SparkSession spark, String name, String pathOrName) {
        LabeledFrame lf = DataReader.read(spark, pathOrName);
        long[] counts = lf.classCounts();
        long rows = 0;
        for (long c : counts) {
            rows += c;
        }
        return new Entry(name, pathOrName, rows, lf.numFeatures(), lf.labels(), counts);
    }

    /** The dataset name a file is listed under: its path below the data directory without extensions. */
    public static String nameOf(Path dir, Path file) {
        String rel = dir.relativize(file).toString().replace('\\', '/');
        return rel.replaceFirst("\\.gz$", "").replaceFirst("\\.(csv|libsvm|svm|parquet)$", "");
    }
}
