package org.counterweight.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.BuiltinDatasets;
import org.counterweight.data.ClassCounts;
import org.counterweight.data.DatasetCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code datasets}: the built-in datasets and those in a data directory, with class counts. A file
 * that cannot be read does not stop the listing: it is listed below the table with its error.
 */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = {"List the built-in datasets and every dataset file under --data-dir with rows and class counts.",
            "Files that cannot be read are listed below the table, one line each with the error; the exit code is then 2."})
public final class DatasetsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory to scan (default: $COUNTERWEIGHT_DATA_DIR, else ../shared/datasets when present).")
    Path dataDir;

    @Override
    public Integer call() {
        SparkSession spark = common.spark("datasets");
        List<DatasetCatalog.Entry> entries = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String name : BuiltinDatasets.names()) {
            describe(spark, name + " (built-in)", name, entries, unreadable);
        }
        Path dir = dataDir != null ? dataDir : DatasetCatalog.defaultDataDir();
        if (dir != null) {
            System.out.println("data directory: " + dir.toAbsolutePath().normalize());
            for (Path f : DatasetCatalog.files(dir)) {
                describe(spark, DatasetCatalog.nameOf(dir, f), f.toString(), entries, unreadable);
            }
        } else {
            System.out.println("no data directory (give --data-dir); built-ins only");
        }
        System.out.printf(Locale.ROOT, "%-45s %9s %8s %7s %9s  %s%n", "dataset", "rows", "features", "classes", "IR", "class counts");
        for (DatasetCatalog.Entry e : entries) {
            String counts = ClassCounts.describe(e.counts(), e.labels());
            if (counts.length() > 70) {
                counts = counts.substring(0, 67) + "...";
            }
            System.out.printf(Locale.ROOT, "%-45s %9d %8d %7d %9.2f  %s%n", e.name(), e.rows(), e.features(),
                    e.labels().size(), e.imbalanceRatio(), counts);
        }
        if (unreadable.isEmpty()) {
            return 0;
        }
        System.out.println();
        System.out.println("could not read " + unreadable.size() + " dataset(s):");
        unreadable.forEach(line -> System.out.println("  " + line));
        return 2;
    }

    /** Adds the entry of one dataset, or its error to {@code unreadable}. */
    private static void describe(SparkSession spark, String name, String path, List<DatasetCatalog.Entry> entries,
            List<String> unreadable) {
        try {
            entries.add(DatasetCatalog.describe(spark, name, path));
        } catch (Exception e) {
            // Any failure (bad data, a corrupt file failing a Spark job) concerns this file only.
            unreadable.add(name + ": " + ErrorReporter.describe(e));
        }
    }
}
