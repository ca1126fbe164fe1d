package org.counterweight.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.Columns;
import org.counterweight.data.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes an {@link Evaluation} (confusion matrix and one-vs-rest rankings) from a predictions
 * frame ({@code label}, {@code prediction} as class indexes, {@code prob_0..prob_{K-1}}) with Spark
 * aggregations only: the driver receives the K×K confusion counts and, per (class, score bucket),
 * a few totals and sums, never the rows.
 *
 * <p>Parameters (setters return {@code this} and validate):
 * <ul>
 *   <li>{@code numClasses} K (default: the number of {@code prob_k} columns). Classes that never
 *       occur in the labels or predictions still count, as with scikit-learn's {@code labels=}.</li>
 *   <li>{@code scoreBuckets} (default 64): how many score ranges the exact AUC/AP computation is
 *       split into; also the resolution of the ROC/PR curves kept for the report.</li>
 *   <li>{@code minorityClass} (default: the smallest class of the evaluated labels, see
 *       {@link Evaluation#minorityOf}); set it to use e.g. the training set's minority.</li>
 * </ul>
 * The schema is checked before any job runs; bad values (a label outside 0..K-1, a missing or NaN
 * probability) fail with a {@link DataException} naming the column.
 */
public final class MetricsEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEvaluator.class);

    private int numClasses = -1;
    private int scoreBuckets = 64;
    private int minorityClass = -1;

    /** Sets K (≥ 2); the frame must have {@code prob_0..prob_{K-1}}. */
    public MetricsEvaluator setNumClasses(int k) {
        if (k < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + k);
        }
        this.numClasses = k;
        return this;
    }

    /** Sets the number of score buckets (2..100000). */
    public MetricsEvaluator setScoreBuckets(int buckets) {
        if (buckets < 2 || buckets > 100_000) {
            throw new IllegalArgumentException("scoreBuckets must be in 2..100000, got " + buckets);
        }
        this.scoreBuckets = buckets;
        return this;
    }

    /** Fixes the minority class (≥ 0; checked against K at evaluation). */
    public MetricsEvaluator setMinorityClass(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("minorityClass must be >= 0, got " + k);
        }
        this.minorityClass = k;
        return this;
    }

    /**
     * K for this frame: the set value, else the number of consecutive {@code prob_k} columns.
     * Checks that label, prediction and every probability column exist and are numeric.
     */
    public int validateSchema(StructType schema) {
        requireNumeric(schema, Columns.LABEL);
        requireNumeric(schema, Columns.PREDICTION);
        int k = numClasses;
        if (k < 0) {
            k = 0;
            while (hasField(schema, Columns.prob(k))) {
                k++;
            }
            if (k < 2) {
                throw new DataException("predictions need probability columns prob_0..prob_{K-1} with K >= 2, found "
                        + k + " (columns: " + String.join(", ", schema.fieldNames()) + ")");
            }
        }
        for (int c = 0; c < k; c++) {
            requireNumeric(schema, Columns.prob(c));
        }
        if (minorityClass >= k) {
            throw new IllegalArgumentException("minorityClass " + minorityClass + " is not in 0.." + (k - 1));
        }
        return k;
    }

    /**
     * Evaluates {@code predictions} in four passes: the confusion matrix (which validates every
     * row), a sample for the score cut points, one shuffle of the scores by (class, bucket) and a
     * pass over the sorted buckets (see {@link RankingAggregator}; it uses
     * {@code spark.sql.shuffle.partitions} partitions, at most one per bucket).
     */
    public Evaluation evaluate(Dataset<Row> predictions) {
        int k = validateSchema(predictions.schema());
        List<String> needed = new ArrayList<>(List.of(Columns.LABEL, Columns.PREDICTION));
        for (int c = 0; c < k; c++) {
            needed.add(Columns.prob(c));
        }
        Dataset<Row> frame = predictions.select(needed.stream().map(org.apache.spark.sql.functions::col)
                .toArray(Column[]::new));
        ConfusionMatrix confusion = confusion(frame, k);
        int minority = minorityClass >= 0 ? minorityClass : Evaluation.minorityOf(confusion);
        // A binary task's metrics use only class 1's ROC and the minority class's AP (MetricTable).
        int[] ranked = k == 2 ? java.util.stream.IntStream.of(1, minority).distinct().sorted().toArray()
                : java.util.stream.IntStream.range(0, k).toArray();
        long[] support = new long[k];
        for (int c = 0; c < k; c++) {
            support[c] = confusion.support(c);
        }
        List<ClassRanking> rankings = new RankingAggregator(k, ranked, scoreBuckets, Columns.LABEL)
                .rank(frame, support);
        LOG.debug("evaluated {} rows, {} classes, minority class {}", confusion.total(), k, minority);
        return new Evaluation(confusion, rankings, minority);
    }

    /**
     * The confusion matrix, validating every row in the same pass: labels and predictions that
     * are not whole numbers in 0..K-1 collapse to index -1, and bad probabilities are counted.
     */
    private static ConfusionMatrix confusion(Dataset<Row> frame, int k) {
        Column badProb = lit(false);
        for (int c = 0; c < k; c++) {
            Column p = col(Columns.prob(c));
            badProb = badProb.or(p.isNull()).or(p.isNaN());
        }
        List<Row> cells = frame
                .groupBy(classIndex(Columns.LABEL, k).as("t"), classIndex(Columns.PREDICTION, k).as("p"))
                .agg(count(lit(1)).as("n"), sum(when(badProb, 1L).otherwise(0L)).as("bad"))
                .collectAsList();
        if (cells.isEmpty()) {
            throw new DataException("predictions frame is empty: nothing to evaluate");
        }
        long[][] counts = new long[k][k];
        long badLabels = 0;
        long badPredictions = 0;
        long badProbs = 0;
        for (Row r : cells) {
            int t = r.getInt(0);
            int p = r.getInt(1);
            long n = r.getLong(2);
            badProbs += r.getLong(3);
            if (t < 0) {
                badLabels += n;
            }
            if (p < 0) {
                badPredictions += n;
            }
            if (t >= 0 && p >= 0) {
                counts[t][p] = n;
            }
        }
        requireNone(badLabels, "column '" + Columns.LABEL + "'", "a class index 0.." + (k - 1));
        requireNone(badPredictions, "column '" + Columns.PREDICTION + "'", "a class index 0.." + (k - 1));
        requireNone(badProbs, "columns prob_0..prob_" + (k - 1), "a number (null or NaN found)");
        return new ConfusionMatrix(counts);
    }

    private static Column classIndex(String name, int k) {
        Column v = col(name).cast(DataTypes.DoubleType);
        Column valid = v.isNotNull().and(v.geq(0)).and(v.lt(k)).and(v.equalTo(org.apache.spark.sql.functions.floor(v)));
        return when(valid, v.cast(DataTypes.IntegerType)).otherwise(-1);
    }

    private static void requireNone(long bad, String where, String expected) {
        if (bad > 0) {
            throw new DataException(where + ": " + bad + " row(s) are not " + expected);
        }
    }

    private static boolean hasField(StructType schema, String name) {
        for (String f : schema.fieldNames()) {
            if (f.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static void requireNumeric(StructType schema, String name) {
        if (!hasField(schema, name)) {
            throw new DataException("predictions have no column '" + name + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        StructField f = schema.apply(name);
        DataType t = f.dataType();
        if (!(t instanceof NumericType)) {
            throw new DataException("predictions column '" + name + "' must be numeric (class indexes), is " + t.simpleString()
                    + "; predictions with original label values become indexes with PredictionsFile.index");
        }
    }
}
