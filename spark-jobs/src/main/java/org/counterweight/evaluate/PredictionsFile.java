package org.counterweight.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
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
 * <p>Probability columns are {@code prob_<label value>}, one per class, as {@code predict} writes
 * them (e.g. {@code prob_cat}, or {@code prob_1 .. prob_7} for labels 1..7); the classes are
 * those values, indexed in sorted order ({@link LabelIndex}), and every label and prediction must
 * be one of them (numbers compare by value, so {@code 2.0} is class {@code 2}).
 *
 * <p>Files written before probability columns were named by value have {@code prob_0 ..
 * prob_{K-1}} by class index, class k being the k-th label value in sorted order; they are read as
 * such when some label or prediction value is not a column suffix, which needs all K values to
 * occur. A file whose values are all among 0..K-1 is read by value, as earlier versions read it.
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
        List<String> suffixes = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith(Columns.PROB_PREFIX)) {
                suffixes.add(n.substring(Columns.PROB_PREFIX.length()));
            }
        }
        if (!names.contains(Columns.LABEL) || !names.contains(Columns.PREDICTION) || suffixes.size() < 2) {
            throw new DataException(source + ": columns " + String.join(", ", names) + "; predictions need label, prediction "
                    + "and a prob_<label value> column for each of at least two classes");
        }
        int k = suffixes.size();
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
        LabelIndex labels;
        Map<String, String> classOf = new HashMap<>();
        List<String> probColumns = new ArrayList<>();
        if (values.stream().allMatch(v -> suffixOf(v, suffixes) != null)) {
            labels = LabelIndex.of(suffixes);
            values.forEach(v -> classOf.put(v, suffixOf(v, suffixes)));
            labels.values().forEach(v -> probColumns.add(Columns.probFor(v)));
        } else if (LabelIndex.of(suffixes).equals(LabelIndex.ofClassCount(k))) {
            labels = byIndex(values, k, source);
            values.forEach(v -> classOf.put(v, v));
            for (int c = 0; c < k; c++) {
                probColumns.add(Columns.prob(c));
            }
        } else {
            List<String> unmatched = values.stream().filter(v -> suffixOf(v, suffixes) == null).collect(Collectors.toList());
            throw new DataException(source + ": label/prediction values " + unmatched + " have no probability column (prob_"
                    + String.join(", prob_", suffixes) + ")");
        }
        List<Column> mapping = new ArrayList<>();
        classOf.forEach((v, c) -> {
            mapping.add(lit(v));
            mapping.add(lit((double) labels.indexOf(c)));
        });
        Column lookup = map(mapping.toArray(new Column[0]));
        List<Column> out = new ArrayList<>();
        out.add(element_at(lookup, org.apache.spark.sql.functions.trim(label)).as(Columns.LABEL));
        out.add(element_at(lookup, org.apache.spark.sql.functions.trim(prediction)).as(Columns.PREDICTION));
        for (int c = 0; c < k; c++) {
            out.add(raw.col(Columns.quoted(probColumns.get(c))).cast(DataTypes.DoubleType).as(Columns.prob(c)));
        }
        return new Indexed(raw.select(out.toArray(new Column[0])), labels);
    }

    /** Class-index columns (an older file): class k is the k-th of the K values, so all must occur. */
    private static LabelIndex byIndex(List<String> values, int k, String source) {
        if (values.size() > k) {
            throw new DataException(source + ": label/prediction values name more than " + k
                    + " classes but there are only " + k + " probability columns (prob_0..prob_" + (k - 1) + ")");
        }
        if (values.size() < k) {
            throw new DataException(source + ": only " + values.size() + " distinct label/prediction values "
                    + values + " for " + k + " probability columns prob_0..prob_" + (k - 1) + "; cannot tell which class each belongs to");
        }
        return LabelIndex.of(values);
    }

    /** The column suffix naming value {@code v}: v itself, else the one equal to it as a number, else null. */
    private static String suffixOf(String v, List<String> suffixes) {
        if (suffixes.contains(v)) {
            return v;
        }
        BigDecimal n = number(v);
        if (n == null) {
            return null;
        }
        List<String> equal = suffixes.stream().filter(s -> number(s) != null && number(s).compareTo(n) == 0).collect(Collectors.toList());
        return equal.size() == 1 ? equal.get(0) : null;
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
