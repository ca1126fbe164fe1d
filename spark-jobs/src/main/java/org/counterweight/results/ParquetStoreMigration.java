package org.counterweight.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.AtomicOutput;
import org.counterweight.data.DataException;
import org.counterweight.data.Output;
import org.counterweight.data.OutputKind;
import org.counterweight.data.OutputMarker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code store migrate}: copies a results store of the Parquet layout (layout 1, written by
 * Counterweight before Delta Lake) into a new Delta store (layout 2). The old store is only read;
 * the new one is written through {@link AtomicOutput} (complete or absent) and never replaces an
 * existing store. Every run keeps its row and status, every committed cell its rows and cell id.
 *
 * <p>Layout 1: {@code runs/run_date=D/run_id=R/runs.parquet} and
 * {@code cells/run_date=D/run_id=R/cell=C/{metrics,timings,curves,params}.parquet}, with
 * {@code params.parquet} absent in stores older than the params table.
 */
public final class ParquetStoreMigration {
    private static final Logger LOG = LoggerFactory.getLogger(ParquetStoreMigration.class);

    /** What a migration copied. */
    public record Migrated(long runs, long cells, long rows) {
    }

    private static final StructType PARTITIONS = new StructType()
            .add("run_date", DataTypes.DateType, false)
            .add("run_id", DataTypes.StringType, false);
    private static final StructType CELL_KEY = new StructType()
            .add("dataset", DataTypes.StringType, false)
            .add("method", DataTypes.StringType, false)
            .add("seed", DataTypes.LongType, false)
            .add("fold", DataTypes.IntegerType, false);

    /** The cell_rows columns every layout-1 cell file has under the same name. */
    private static final Set<String> KEY = Set.of("run_id", "cell", "run_date", "dataset", "method", "seed", "fold");

    /** One layout-1 cell file: its name, its columns, and how they map onto cell_rows. */
    private record OldTable(String file, String kind, StructType columns, Map<String, String> toCellRows) {
    }

    private static final List<OldTable> CELL_FILES = List.of(
            new OldTable("metrics.parquet", StoreTables.METRIC, new StructType()
                    .add("metric", DataTypes.StringType).add("class", DataTypes.StringType).add("value", DataTypes.DoubleType),
                    Map.of("name", "metric", "class", "class", "value", "value")),
            new OldTable("timings.parquet", StoreTables.TIMING, new StructType()
                    .add("stage", DataTypes.StringType).add("seconds", DataTypes.DoubleType),
                    Map.of("name", "stage", "value", "seconds")),
            new OldTable("curves.parquet", StoreTables.CURVE, new StructType()
                    .add("curve", DataTypes.StringType).add("class", DataTypes.StringType)
                    .add("point", DataTypes.IntegerType).add("threshold", DataTypes.DoubleType)
                    .add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType),
                    Map.of("name", "curve", "class", "class", "point", "point", "threshold", "threshold", "x", "x", "y", "y")),
            new OldTable("params.parquet", StoreTables.PARAM, new StructType()
                    .add("param", DataTypes.StringType).add("value", DataTypes.StringType),
                    Map.of("name", "param", "text", "value")));

    private ParquetStoreMigration() {
    }

    /**
     * Copies the Parquet-layout store at {@code from} into a new Delta store at {@code to} (a path
     * that does not exist or an empty directory). Bad input — {@code from} not a Parquet-layout
     * store, {@code to} not free — fails with a {@link DataException} before anything is written.
     */
    public static Migrated migrate(SparkSession spark, String from, String to) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path source = checkSource(conf, from);
        Output out = Output.of(to, OutputKind.RESULTS_STORE).readingFrom(from).check(conf);
        checkTargetFree(conf, to);
        Migrated[] done = new Migrated[1];
        AtomicOutput.write(conf, out, tmp -> done[0] = copy(spark, source, tmp));
        try {
            Path dest = new Path(to);
            // A store grows: any content counts as ours, as for stores that experiment creates.
            OutputMarker.markDirectory(dest.getFileSystem(conf), dest, OutputKind.RESULTS_STORE, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark results store " + to, e);
        }
        LOG.info("migrated {} runs and {} cells ({} rows) from {} to {}", done[0].runs(), done[0].cells(), done[0].rows(),
                from, to);
        return done[0];
    }

    private static Path checkSource(Configuration conf, String from) {
        try {
            Path p = new Path(from);
            FileSystem fs = p.getFileSystem(conf);
            Path root = fs.makeQualified(p);
            if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
                throw new DataException("no results store at '" + from + "' to migrate");
            }
            if (OutputMarker.isMarkedDirectory(fs, root)) {
                String foreign = OutputMarker.whyForeign(fs, root, OutputKind.RESULTS_STORE);
                if (foreign != null) {
                    throw new DataException("'" + from + "' is not a results store: " + foreign);
                }
            }
            if (fs.exists(new Path(root, StoreLayout.FILE)) || !StoreLayout.isParquetLayout(fs, root)) {
                throw new DataException("'" + from + "' is not a results store of the Parquet layout (layout 1): "
                        + "nothing to migrate");
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read results store '" + from + "'", e);
        }
    }

    /** A migration writes a new store; unlike other outputs it never replaces an earlier one. */
    private static void checkTargetFree(Configuration conf, String to) {
        try {
            Path p = new Path(to);
            FileSystem fs = p.getFileSystem(conf);
            if (fs.exists(p) && (!fs.getFileStatus(p).isDirectory() || fs.listStatus(p).length > 0)) {
                throw new DataException("refusing to write '" + to + "': store migrate writes a new store; "
                        + "give --warehouse a path that does not exist or an empty directory");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check '" + to + "'", e);
        }
    }

    private static Migrated copy(SparkSession spark, Path source, Path tmp) {
        ResultsStore.open(spark, tmp.toString()); // creates the empty Delta tables and the layout file
        Dataset<Row> runs = read(spark, new Path(source, "runs"), "runs.parquet", append(StoreTables.RUN_COLUMNS, PARTITIONS))
                .dropDuplicates("run_id") // a copy left under a second date by an interrupted rewrite
                .selectExpr(StoreTables.RUNS_SCHEMA.fieldNames());
        Dataset<Row> cellRows = null;
        Dataset<Row> metrics = null;
        for (OldTable t : CELL_FILES) {
            Dataset<Row> old = read(spark, new Path(source, "cells"), t.file(),
                    append(append(CELL_KEY, t.columns()), append(PARTITIONS, new StructType().add("cell", DataTypes.StringType))));
            if (t.kind().equals(StoreTables.METRIC)) {
                metrics = old;
            }
            Dataset<Row> rows = toCellRows(old, t.kind(), t.toCellRows());
            cellRows = cellRows == null ? rows : cellRows.unionByName(rows);
        }
        // Layout 1 committed a cell with its metrics file: those cells get their cell row.
        cellRows = cellRows.unionByName(toCellRows(metrics.select("run_id", "cell", "run_date", "dataset", "method", "seed",
                "fold").distinct(), StoreTables.CELL, Map.of()));
        String target = tmp.toString();
        runs.write().format("delta").mode("append").save(new Path(tmp, StoreTables.RUNS).toString());
        cellRows.write().format("delta").mode("append").partitionBy(StoreTables.CELL_PARTITIONS.toArray(new String[0]))
                .save(new Path(tmp, StoreTables.CELL_ROWS).toString());
        ResultsStore written = ResultsStore.openExisting(spark, target);
        long cells = written.cellRows().where(functions.col("kind").equalTo(StoreTables.CELL)).count();
        return new Migrated(written.runs().count(), cells, written.cellRows().count() - cells);
    }

    /** {@code old}'s rows as cell_rows: {@code toCellRows} maps cell_rows columns to old ones, the rest are null. */
    private static Dataset<Row> toCellRows(Dataset<Row> old, String kind, Map<String, String> toCellRows) {
        Column[] cols = new Column[StoreTables.CELL_ROWS_SCHEMA.size()];
        int i = 0;
        for (StructField f : StoreTables.CELL_ROWS_SCHEMA.fields()) {
            Column c;
            if (f.name().equals("kind")) {
                c = functions.lit(kind);
            } else if (toCellRows.containsKey(f.name())) {
                c = functions.col(toCellRows.get(f.name()));
            } else if (KEY.contains(f.name())) {
                c = functions.col(f.name());
            } else {
                c = functions.lit(null);
            }
            cols[i++] = c.cast(f.dataType()).as(f.name());
        }
        return old.select(cols);
    }

    /** Reads every {@code file} under {@code base}, the partition columns taken from the paths. */
    private static Dataset<Row> read(SparkSession spark, Path base, String file, StructType schema) {
        return spark.read().schema(schema).option("basePath", base.toString()).option("pathGlobFilter", file)
                .parquet(base.toString());
    }

    private static StructType append(StructType a, StructType b) {
        StructType s = a;
        for (StructField f : b.fields()) {
            s = s.add(f);
        }
        return s;
    }
}
