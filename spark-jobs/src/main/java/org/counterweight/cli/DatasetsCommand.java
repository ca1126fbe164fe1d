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

/** {@code datasets}: the built-in datasets and those in a data directory, with class counts. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "List the built-in datasets and every dataset file under --data-dir with rows and class counts.")
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
        for (String name : BuiltinDatasets.names()) {
            entries.add(DatasetCatalog.describe(spark, name + " (built-in)", name));
        }
        Path dir = dataDir != null ? dataDir : DatasetCatalog.defaultDataDir();
        if (dir != null) {
            System.out.println("data directory: " + dir.toAbsolutePath().normalize());
            for (Path f : DatasetCatalog.files(dir)) {
                entries.add(DatasetCatalog.describe(spark, DatasetCatalog.nameOf(dir, f), f.toString()));
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
        return 0;
    }
}
