package org.counterweight.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;

/**
 * Writes a {@link LabeledFrame} atomically (see {@link AtomicOutput}). A path ending in
 * {@code .csv} gets one CSV file with a header: the feature columns, then {@code label} with the
 * original label values (extra columns are not written). Any other path gets a Parquet
 * directory keeping every column, with {@code label} as original values; the label and feature
 * names travel in column metadata so reading it back restores the same class indexes.
 */
public final class DataWriter {
    /** Column-metadata key for the feature names on the {@code features} column. */
    static final String FEATURES_METADATA = "counterweight_features";

    private DataWriter() {
    }

    /** Writes {@code lf} to {@code out}: CSV when its path ends in {@code .csv}, else Parquet. */
    public static void write(LabeledFrame lf, Output out) {
        AtomicOutput.write(conf(lf.frame()), out, tmp -> writeTo(lf, tmp, isCsv(out.path())));
    }

    /**
     * Writes any table to {@code out}: one CSV file with a header when its path ends in
     * {@code .csv}, else a Parquet directory (used for predictions frames).
     */
    public static void writeTable(Dataset<Row> table, Output out) {
        AtomicOutput.write(conf(table), out, tmp -> writeTableTo(table, tmp, isCsv(out.path())));
    }

    /**
     * Writes {@code lf} at {@code path}, which must not exist yet: a part of an output that
     * {@link AtomicOutput} is writing (e.g. {@code train.csv} inside a split's temporary directory).
     */
    public static void writeTo(LabeledFrame lf, Path path, boolean csv) throws IOException {
        writeTableTo(csv ? csvTable(lf) : parquetTable(lf), path, csv);
    }

    private static void writeTableTo(Dataset<Row> table, Path path, boolean csv) throws IOException {
        if (!csv) {
            table.write().parquet(path.toString());
            return;
        }
        FileSystem fs = path.getFileSystem(conf(table));
        Path dir = new Path(path.getParent(), "." + path.getName() + ".parts");
        try {
            table.coalesce(1).write().option("header", "true").option("escape", "\"").csv(dir.toString());
            if (!fs.rename(AtomicOutput.singlePart(fs, dir), path)) {
                throw new IOException("could not move CSV part file to " + path);
            }
        } finally {
            fs.delete(dir, true);
        }
    }

    /** Whether {@code path} names a CSV output (else Parquet). */
    public static boolean isCsv(String path) {
        return path.toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    private static Configuration conf(Dataset<Row> frame) {
        return frame.sparkSession().sparkContext().hadoopConfiguration();
    }

    /** Features as named columns, then the original label values. */
    static Dataset<Row> csvTable(LabeledFrame lf) {
        List<Column> cols = new ArrayList<>();
        Column arr = functions.vector_to_array(col(Columns.FEATURES), "float64");
        for (int j = 0; j < lf.numFeatures(); j++) {
            cols.add(arr.getItem(j).as(lf.featureNames().get(j)));
        }
        cols.add(originalLabel(lf).as(Columns.LABEL));
        return lf.frame().select(cols.toArray(new Column[0]));
    }

    /** Every column, {@code label} as original values, names in metadata. */
    static Dataset<Row> parquetTable(LabeledFrame lf) {
        Metadata labelMeta = new MetadataBuilder()
                .putStringArray(ParquetFormat.LABELS_METADATA, lf.labels().values().toArray(new String[0])).build();
        Metadata featureMeta = new MetadataBuilder()
                .putStringArray(FEATURES_METADATA, lf.featureNames().toArray(new String[0])).build();
        return lf.frame()
                .withColumn(Columns.LABEL, originalLabel(lf), labelMeta)
                .withColumn(Columns.FEATURES, col(Columns.FEATURES), featureMeta);
    }

    /** The original label value of the class index in {@code label}. */
    static Column originalLabel(LabeledFrame lf) {
        Column[] values = lf.labels().values().stream().map(v -> lit(v)).toArray(Column[]::new);
        return element_at(org.apache.spark.sql.functions.array(values), col(Columns.LABEL).cast("int").plus(1));
    }
}
