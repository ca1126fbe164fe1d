package org.counterweight.evaluate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.data.Columns;

/**
 * Benchmark entry point (not a test): times {@link MetricsEvaluator} on a generated predictions
 * frame held in memory in {@code local[2]}. {@code tools/bench/metrics_bench.py} runs it and
 * scikit-learn on the same rows in the same run and records the ratio in BENCHMARKS.md.
 *
 * <p>Rows are a pure function of the row id (splitmix64 → uniforms), computed here with Spark
 * expressions and in the Python script with numpy in the same floating-point operation order, so
 * both sides see bit-identical data without moving it between processes:
 * <pre>
 *   u(id, s) = (splitmix64(16·id + s) >>> 11) · 2^-53
 *   label    = binary: u(id,0) &lt; 0.1 ? 1 : 0;   K classes: floor(K · u(id,0)²)
 *   s_k      = u(id, k+1) + (label == k ? 0.7 : 0);  prob_k = s_k / (((s_0 + s_1) + s_2) + …)
 *   prediction = first argmax of prob
 * </pre>
 * Usage: {@code MetricsBenchmark <rows> <classes> <repetitions>}; prints one {@code RESULT} line
 * per metric and one {@code TIME} line per repetition.
 */
public final class MetricsBenchmark {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long MIX1 = 0xBF58476D1CE4E5B9L;
    private static final long MIX2 = 0x94D049BB133111EBL;

    private MetricsBenchmark() {
    }

    static Column splitmix64(Column x) {
        Column z = x.plus(lit(GOLDEN));
        z = z.bitwiseXOR(shiftrightunsigned(z, 30)).multiply(lit(MIX1));
        z = z.bitwiseXOR(shiftrightunsigned(z, 27)).multiply(lit(MIX2));
        return z.bitwiseXOR(shiftrightunsigned(z, 31));
    }

    static Column uniform(Column id, int stream) {
        return shiftrightunsigned(splitmix64(id.multiply(16L).plus(stream)), 11).cast(DataTypes.DoubleType)
                .multiply(lit(1.0 / 9007199254740992.0));
    }

    /** The generated predictions frame (label, prediction, prob_0..prob_{K-1}). */
    static Dataset<Row> predictions(SparkSession spark, long rows, int k) {
        Column id = col("id");
        Column u0 = uniform(id, 0);
        Column label = k == 2 ? when(u0.lt(0.1), 1.0).otherwise(0.0)
                : floor(lit((double) k).multiply(u0.multiply(u0))).cast(DataTypes.DoubleType);
        Dataset<Row> df = spark.range(rows).withColumn(Columns.LABEL, label);
        Column total = null;
        for (int c = 0; c < k; c++) {
            df = df.withColumn("s_" + c, uniform(id, c + 1).plus(when(col(Columns.LABEL).equalTo(c), 0.7).otherwise(0.0)));
            total = total == null ? col("s_0") : total.plus(col("s_" + c));
        }
        df = df.withColumn("total", total);
        Column[] probs = new Column[k];
        for (int c = 0; c < k; c++) {
            df = df.withColumn(Columns.prob(c), col("s_" + c).divide(col("total")));
            probs[c] = col(Columns.prob(c));
        }
        df = df.withColumn(Columns.PREDICTION,
                array_position(array(probs), array_max(array(probs))).minus(1).cast(DataTypes.DoubleType));
        Column[] keep = new Column[k + 2];
        keep[0] = col(Columns.LABEL);
        keep[1] = col(Columns.PREDICTION);
        System.arraycopy(probs, 0, keep, 2, k);
        return df.select(keep);
    }

    public static void main(String[] args) {
        long rows = Long.parseLong(args[0]);
        int k = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("metrics-bench")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8").getOrCreate();
        Dataset<Row> p = predictions(spark, rows, k).persist(StorageLevel.MEMORY_ONLY());
        System.out.println("ROWS " + p.count());
        Evaluation e = null;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            e = new MetricsEvaluator().evaluate(p);
            System.out.printf(Locale.ROOT, "TIME %.3f%n", (System.nanoTime() - t0) / 1e9);
        }
        for (MetricTable.Overall m : MetricTable.OVERALL) {
            System.out.printf(Locale.ROOT, "RESULT %s %.17g%n", m.name(), m.apply(e));
        }
        System.out.println("SUPPORT " + Arrays.toString(java.util.stream.IntStream.range(0, k)
                .mapToLong(e.confusion()::support).toArray()));
        spark.stop();
    }
}
