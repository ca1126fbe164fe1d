package org.counterweight.evaluate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.Columns;

/**
 * Exact one-vs-rest AUC and average precision of the requested classes, computed in Spark without
 * bringing rows to the driver.
 *
 * <p>Both metrics need, for each distinct score t of {@code prob_k} (scanned from the highest),
 * the number of positives {@code tps(t)} and negatives {@code fps(t)} scoring at least t:
 * <pre>
 *   AUC = Σ_t pos(t) · (N − fps(t) + neg(t)/2) / (P·N)     (Mann–Whitney U, ties count 1/2)
 *   AP  = Σ_t pos(t)/P · tps(t) / (tps(t) + fps(t))        (scikit-learn's step-function AP)
 * </pre>
 * Those running counts need a global order. Instead of sorting everything into one partition,
 * the scores are cut into buckets at approximate quantiles (so buckets are balanced); the
 * per-bucket totals (K × buckets numbers) give each bucket's offset, and a window inside each
 * (class, bucket) adds the local running count. Any cut points give the exact answer; quantiles
 * only keep the work even. The bucket totals also give the ROC and precision–recall curves at the
 * cut points, which the report draws.
 *
 * <p>Jobs: {@code approxQuantile} over a small sample, one aggregation to K × buckets totals, and one
 * shuffle of the (row, class) pairs by (class, bucket) whose windows end in K sums.
 */
final class RankingAggregator {
    private static final String K = "k";
    private static final String SCORE = "score";
    private static final String BUCKET = "bucket";
    private static final String POS = "pos";
    private static final String TP_ABOVE = "tp_above";
    private static final String FP_ABOVE = "fp_above";
    private static final String NEGATIVES = "negatives";
    private static final String BUCKET_POS = "bucket_pos";
    private static final String BUCKET_NEG = "bucket_neg";
    /** Sampled rows per bucket for the cut points; cut points only balance work, any are exact. */
    private static final int SAMPLE_PER_BUCKET = 1000;
    private static final long SAMPLE_SEED = 42;

    private final int numClasses;
    private final int[] ranked;
    private final int buckets;
    private final String labelCol;

    /**
     * @param numClasses K
     * @param ranked     the classes whose rankings are computed (ascending); the others get NaN
     *                   AUC/AP and no curve points
     * @param buckets    number of score buckets
     * @param labelCol   the class-index label column
     */
    RankingAggregator(int numClasses, int[] ranked, int buckets, String labelCol) {
        this.numClasses = numClasses;
        this.ranked = ranked.clone();
        this.buckets = buckets;
        this.labelCol = labelCol;
    }

    /**
     * Rankings of every class (index = class); {@code predictions} has been validated (no null/NaN
     * scores) and {@code support[k]} rows are of class k.
     */
    List<ClassRanking> rank(Dataset<Row> predictions, long[] support) {
        long rows = Arrays.stream(support).sum();
        int count = ranked.length;
        String[] probCols = new String[count];
        String[] bucketCols = new String[count];
        for (int j = 0; j < count; j++) {
            probCols[j] = Columns.prob(ranked[j]);
            bucketCols[j] = "_bucket_" + ranked[j];
        }
        double[][] splits = new double[numClasses][];
        double[][] rankedSplits = splits(predictions, probCols, rows);
        for (int j = 0; j < count; j++) {
            splits[ranked[j]] = rankedSplits[j];
        }
        // Bucketizer needs two or more columns in multi-column mode; one column uses the single-column params.
        Dataset<Row> bucketed = count > 1
                ? new Bucketizer().setInputCols(probCols).setOutputCols(bucketCols).setSplitsArray(rankedSplits)
                        .transform(predictions)
                : new Bucketizer().setInputCol(probCols[0]).setOutputCol(bucketCols[0]).setSplits(rankedSplits[0])
                        .transform(predictions);

        // Long format: one row per (input row, ranked class k) with the score, bucket and whether the row is of class k.
        Column[] perClass = new Column[count];
        for (int j = 0; j < count; j++) {
            int k = ranked[j];
            perClass[j] = struct(lit(k).as(K), col(probCols[j]).cast(DataTypes.DoubleType).as(SCORE),
                    col(bucketCols[j]).cast(DataTypes.IntegerType).as(BUCKET),
                    when(col(labelCol).equalTo(k), 1L).otherwise(0L).as(POS));
        }
        Dataset<Row> exploded = bucketed.select(explode(array(perClass)).as("e")).select("e.*");

        long[][][] totals = bucketTotals(exploded); // [k][bucket] -> {pos, neg}
        Dataset<Row> offsets = offsets(exploded, totals);

        // Counts of rows scoring >= t inside a (class, bucket) = bucket total − rows scoring <= t
        // + rows tied at t. Both windows need only the ascending sort after one shuffle by
        // (class, bucket); frames are running (UNBOUNDED PRECEDING..CURRENT ROW) or whole-group, so
        // each is linear (an UNBOUNDED FOLLOWING frame would be quadratic in Spark).
        WindowSpec upTo = Window.partitionBy(K, BUCKET).orderBy(col(SCORE))
                .rangeBetween(Window.unboundedPreceding(), Window.currentRow());
        WindowSpec tied = Window.partitionBy(K, BUCKET, SCORE);
        Column neg = lit(1L).minus(col(POS));
        Dataset<Row> positives = exploded
                .withColumn("pos_le", sum(POS).over(upTo))
                .withColumn("neg_le", sum(neg).over(upTo))
                .withColumn("pos_tied", sum(POS).over(tied))
                .withColumn("neg_tied", sum(neg).over(tied))
                .filter(col(POS).equalTo(1L))
                .join(broadcast(offsets), new String[] {K, BUCKET})
                .withColumn("tps", col(TP_ABOVE).plus(col(BUCKET_POS)).minus(col("pos_le")).plus(col("pos_tied")))
                .withColumn("fps", col(FP_ABOVE).plus(col(BUCKET_NEG)).minus(col("neg_le")).plus(col("neg_tied")));
        // Per positive row: AUC adds the negatives below it plus half the tied ones; AP adds the
        // precision at its threshold (each positive is one step of recall 1/P).
        List<Row> sums = positives.groupBy(K).agg(
                sum(col(NEGATIVES).minus(col("fps")).plus(col("neg_tied").multiply(0.5))).as("auc_sum"),
                sum(col("tps").divide(col("tps").plus(col("fps")))).as("ap_sum"))
                .collectAsList();

        double[] aucSum = new double[numClasses];
        double[] apSum = new double[numClasses];
        for (Row r : sums) {
            int k = r.getInt(0);
            aucSum[k] = r.getDouble(1);
            apSum[k] = r.getDouble(2);
        }
        List<ClassRanking> out = new ArrayList<>();
        for (int k = 0; k < numClasses; k++) {
            if (totals[k] == null) {
                out.add(new ClassRanking(support[k], rows - support[k], Double.NaN, Double.NaN, List.of(), List.of()));
                continue;
            }
            long p = 0;
            long n = 0;
            for (long[] t : totals[k]) {
                p += t[0];
                n += t[1];
            }
            double auc = p > 0 && n > 0 ? aucSum[k] / ((double) p * n) : Double.NaN;
            double ap = p > 0 ? apSum[k] / p : Double.NaN;
            out.add(new ClassRanking(p, n, auc, ap, rocCurve(totals[k], splits[k], p, n),
                    prCurve(totals[k], splits[k], p)));
        }
        return out;
    }

    /**
     * Bucket cut points per class: distinct approximate quantiles of a sample (about
     * {@value #SAMPLE_PER_BUCKET} rows per bucket), open at both ends.
     */
    private double[][] splits(Dataset<Row> predictions, String[] probCols, long rows) {
        double[] probabilities = new double[buckets - 1];
        for (int i = 1; i < buckets; i++) {
            probabilities[i - 1] = (double) i / buckets;
        }
        double fraction = Math.min(1.0, (double) SAMPLE_PER_BUCKET * buckets / rows);
        Dataset<Row> sample = fraction < 1 ? predictions.sample(false, fraction, SAMPLE_SEED) : predictions;
        double[][] quantiles = sample.stat().approxQuantile(probCols, probabilities, 0.5 / buckets);
        double[][] splits = new double[probCols.length][];
        for (int k = 0; k < probCols.length; k++) {
            double[] inner = Arrays.stream(quantiles[k]).distinct().sorted().toArray();
            double[] s = new double[inner.length + 2];
            s[0] = Double.NEGATIVE_INFINITY;
            System.arraycopy(inner, 0, s, 1, inner.length);
            s[s.length - 1] = Double.POSITIVE_INFINITY;
            splits[k] = s;
        }
        return splits;
    }

    private long[][][] bucketTotals(Dataset<Row> exploded) {
        long[][][] totals = new long[numClasses][][];
        for (int k : ranked) {
            totals[k] = new long[buckets + 1][2];
        }
        for (Row r : exploded.groupBy(K, BUCKET).agg(sum(POS), sum(lit(1L).minus(col(POS)))).collectAsList()) {
            long[] t = totals[r.getInt(0)][r.getInt(1)];
            t[0] = r.getLong(2);
            t[1] = r.getLong(3);
        }
        return totals;
    }

    /** Per (class, bucket): positives and negatives in higher buckets and in the bucket, and the class's N. */
    private Dataset<Row> offsets(Dataset<Row> exploded, long[][][] totals) {
        List<Row> rows = new ArrayList<>();
        for (int k : ranked) {
            long n = Arrays.stream(totals[k]).mapToLong(t -> t[1]).sum();
            long tpAbove = 0;
            long fpAbove = 0;
            for (int b = totals[k].length - 1; b >= 0; b--) {
                rows.add(RowFactory.create(k, b, tpAbove, fpAbove, totals[k][b][0], totals[k][b][1], n));
                tpAbove += totals[k][b][0];
                fpAbove += totals[k][b][1];
            }
        }
        StructType schema = new StructType()
                .add(K, DataTypes.IntegerType, false).add(BUCKET, DataTypes.IntegerType, false)
                .add(TP_ABOVE, DataTypes.LongType, false).add(FP_ABOVE, DataTypes.LongType, false)
                .add(BUCKET_POS, DataTypes.LongType, false).add(BUCKET_NEG, DataTypes.LongType, false)
                .add(NEGATIVES, DataTypes.LongType, false);
        return exploded.sparkSession().createDataFrame(rows, schema);
    }

    /** ROC points at each bucket's lower cut point, from the top bucket down to (1, 1). */
    private static List<CurvePoint> rocCurve(long[][] totals, double[] splits, long p, long n) {
        List<CurvePoint> points = new ArrayList<>();
        points.add(new CurvePoint(Double.POSITIVE_INFINITY, 0, 0));
        long tps = 0;
        long fps = 0;
        for (int b = splits.length - 2; b >= 0; b--) {
            tps += totals[b][0];
            fps += totals[b][1];
            points.add(new CurvePoint(splits[b], MetricTable.ratio(fps, n), MetricTable.ratio(tps, p)));
        }
        return points;
    }

    /** Precision–recall points at the same thresholds, plus scikit-learn's (recall 0, precision 1). */
    private static List<CurvePoint> prCurve(long[][] totals, double[] splits, long p) {
        List<CurvePoint> points = new ArrayList<>();
        points.add(new CurvePoint(Double.POSITIVE_INFINITY, 0, 1));
        long tps = 0;
        long fps = 0;
        for (int b = splits.length - 2; b >= 0; b--) {
            tps += totals[b][0];
            fps += totals[b][1];
            if (tps + fps > 0) {
                points.add(new CurvePoint(splits[b], MetricTable.ratio(tps, p), MetricTable.ratio(tps, tps + fps)));
            }
        }
        return points;
    }
}
