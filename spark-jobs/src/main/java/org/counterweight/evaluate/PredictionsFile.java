package org.counterweight.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.counterweight.data.Columns;
import org.counterweight.data.DataException;
import org.counterweight.data.LabelIndex;

/**
 * Reads a predictions file whose {@code label} and {@code prediction} columns hold ORIGINAL label
 * values (numbers or strings) and turns it into a predictions frame with class indexes.
 *
 * <p>Which class is {@code prob_k}: K is the number of {@code prob_k} columns and class k is the
 * k-th original value in sorted order ({@link LabelIndex}). The values are those seen in
 * {@code label} and {@code prediction}; when fewer than K values occur the missing class cannot be
 * named, unless every value is a whole number in 0..K-1 (then value v is class v).
 */
public final class PredictionsFile {

    /** The indexed predictions and the label index naming the classes. */
    public record Indexed(Dataset<Row> predictions, LabelIndex labels) {
    }

    private PredictionsFile() {
    }

    /** Reads {@code .csv} (header row) or Parquet (any other path). */
    public static Indexed read(SparkSession spark, String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
                throw new DataException("--predictions " + path + ": no such file or directory");
            }
        } catch (java.io.IOException e) {
            throw new DataException("--predictions " + path + ": cannot be read (" + e.getMessage() + ")", e);
        }
        Dataset<Row> raw = path.toLowerCase(Locale.ROOT).endsWith(".csv") || path.toLowerCase(Locale.ROOT).endsWith(".csv.gz")
                ? spark.read().option("header", "true").option("mode", "FAILFAST").csv(path)
                : spark.read().parquet(path);
        return index(raw, path);
    }

    /** Indexes a frame of original values; {@code source} names it in errors. */
    public static Indexed index(Dataset<Row> raw, String source) {
        List<String> names = List.of(raw.schema().fieldNames());
        for (String required : List.of(Columns.LABEL, Columns.PREDICTION, Columns.prob(0), Columns.prob(1))) {
            if (!names.contains(required)) {
                throw new DataException(source + ": no column '" + required + "' (columns: " + String.join(", ", names)
                        + "); predictions need label, prediction, prob_0..prob_{K-1}");
            }
        }
        int k = 2;
        while (names.contains(Columns.prob(k))) {
            k++;
        }
        Column label = col(Columns.LABEL).cast(DataTypes.StringType);
        Column prediction = col(Columns.PREDICTION).cast(DataTypes.StringType);
        List<String> values = new ArrayList<>();
        for (Row r : raw.select(label.as("v")).union(raw.select(prediction.as("v"))).distinct().limit(k + 1)
                .collectAsList()) {
            if (r.isNullAt(0)) {
                throw new DataException(source + ": empty label or prediction value");
            }
            values.add(r.getString(0).strip());
        }
        LabelIndex labels = labelIndex(values, k, source);
        List<Column> mapping = new ArrayList<>();
        for (String v : values) {
            mapping.add(lit(v));
            mapping.add(lit((double) labels.indexOf(canonical(v, labels, k))));
        }
        Column lookup = map(mapping.toArray(new Column[0]));
        List<Column> out = new ArrayList<>();
        out.add(element_at(lookup, org.apache.spark.sql.functions.trim(label)).as(Columns.LABEL));
        out.add(element_at(lookup, org.apache.spark.sql.functions.trim(prediction)).as(Columns.PREDICTION));
        for (int c = 0; c < k; c++) {
            out.add(col(Columns.prob(c)).cast(DataTypes.DoubleType).as(Columns.prob(c)));
        }
        return new Indexed(raw.select(out.toArray(new Column[0])), labels);
    }

    private static LabelIndex labelIndex(List<String> values, int k, String source) {
        if (values.size() > k) {
            throw new DataException(source + ": label/prediction values name more than " + k
                    + " classes but there are only " + k + " probability columns (prob_0..prob_" + (k - 1) + ")");
        }
        if (values.stream().allMatch(v -> classNumber(v, k) >= 0)) {
            return LabelIndex.ofClassCount(k);
        }
        if (values.size() < k) {
            throw new DataException(source + ": only " + values.size() + " distinct label/prediction values "
                    + values + " for " + k + " probability columns; cannot tell which class prob_k belongs to");
        }
        return LabelIndex.of(values);
    }

    /** The value as named in {@code labels} (for whole-number labels, "2.0" is class "2"). */
    private static String canonical(String v, LabelIndex labels, int k) {
        int n = classNumber(v, k);
        return n >= 0 && labels.equals(LabelIndex.ofClassCount(k)) ? Integer.toString(n) : v;
    }

    /** v as a whole number in 0..k-1, or -1. */
    private static int classNumber(String v, int k) {
        try {
            BigDecimal d = new BigDecimal(v.strip());
            if (d.signum() >= 0 && d.stripTrailingZeros().scale() <= 0 && d.compareTo(BigDecimal.valueOf(k)) < 0) {
                return d.intValueExact();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
        return -1;
    }
}
