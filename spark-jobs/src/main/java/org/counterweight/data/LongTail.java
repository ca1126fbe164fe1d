package org.counterweight.data;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-tailed subset of a (balanced) labeled dataset, as in Cui et al. 2019 ("Class-Balanced
 * Loss Based on Effective Number of Samples"; METHODS §6): class c (class-index order, 0..K−1)
 * keeps n_c = ⌊n_max · (1/ρ)^(c/(K−1))⌋ rows, where n_max is the largest class count and ρ the
 * imbalance ratio. The rows kept are the first n_c of class c by row id (input order), exactly
 * what {@code shared/datasets/images/fashion-mnist/make_longtail.py} selects; a class with fewer
 * rows than n_c keeps all of them (logged as a warning).
 *
 * <p>In Spark: the rank of each row within its class by row id is computed over the narrow
 * (label, row id) projection only, reduced to one row-id cutoff per class, and the cutoffs
 * (K rows) are broadcast back to filter the frame. The feature vectors are never shuffled, and
 * the input's partitioning and row order are kept.
 */
public final class LongTail {
    private static final Logger LOG = LoggerFactory.getLogger(LongTail.class);
    private static final String CLASS = "_longtail_class";
    private static final String CUTOFF = "_longtail_cutoff";

    private LongTail() {
    }

    /**
     * Class sizes of the long-tailed profile: n_c = ⌊nMax · (1/ρ)^(c/(K−1))⌋ for c = 0..K−1.
     * Computed as make_longtail.py does ({@code int(n_max * (1.0 / IF) ** (c / 9.0))}), so
     * ρ = 100, n_max = 6000, K = 10 gives 6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60.
     */
    public static long[] counts(long nMax, int k, double rho) {
        if (nMax < 0) {
            throw new IllegalArgumentException("n_max must be >= 0, got " + nMax);
        }
        validate(k, rho);
        long[] n = new long[k];
        double base = 1.0 / rho;
        for (int c = 0; c < k; c++) {
            // StrictMath: the same n_c on every JVM and platform.
            n[c] = (long) Math.floor(nMax * StrictMath.pow(base, (double) c / (k - 1)));
        }
        return n;
    }

    private static void validate(int k, double rho) {
        if (k < 2) {
            throw new IllegalArgumentException("a long-tailed profile needs at least 2 classes, got " + k);
        }
        if (!(rho >= 1) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("imbalance ratio must be a finite number >= 1, got " + rho);
        }
    }

    /**
     * The long-tailed subset of {@code data} with imbalance ratio {@code imbalanceRatio} (ρ ≥ 1),
     * n_max = the largest class count of {@code data}. Label index and feature names are kept
     * (every class stays in the index even if it keeps no rows).
     */
    public static LabeledFrame of(LabeledFrame data, double imbalanceRatio) {
        Dataset<Row> frame = data.frame();
        checkSchema(frame.schema());
        int k = data.numClasses();
        validate(k, imbalanceRatio);
        long[] have = data.classCounts();
        long[] keep = counts(Arrays.stream(have).max().orElse(0), k, imbalanceRatio);
        for (int c = 0; c < k; c++) {
            if (have[c] < keep[c]) {
                LOG.warn("long tail of {}: class {} has {} rows, fewer than its target {}; keeping all of them",
                        data.source(), data.labels().value(c), have[c], keep[c]);
                keep[c] = have[c];
            }
        }
        LOG.info("long tail of {} with imbalance ratio {}: {}", data.source(), imbalanceRatio, ClassCounts.describe(keep, data.labels()));
        Column[] limits = new Column[k];
        for (int c = 0; c < k; c++) {
            limits[c] = lit(keep[c]);
        }
        Column limit = element_at(array(limits), col(Columns.LABEL).cast(DataTypes.IntegerType).plus(1));
        Dataset<Row> cutoffs = frame.select(Columns.LABEL, Columns.ROW_ID)
                .withColumn("_rank", row_number().over(Window.partitionBy(Columns.LABEL).orderBy(Columns.ROW_ID)))
                .filter(col("_rank").leq(limit))
                .groupBy(col(Columns.LABEL).as(CLASS))
                .agg(max(Columns.ROW_ID).as(CUTOFF));
        Dataset<Row> kept = frame.join(broadcast(cutoffs), col(Columns.LABEL).equalTo(col(CLASS)))
                .filter(col(Columns.ROW_ID).leq(col(CUTOFF)))
                .drop(CLASS, CUTOFF);
        return data.withFrame(kept);
    }

    private static void checkSchema(StructType schema) {
        for (String c : new String[] {Columns.LABEL, Columns.ROW_ID}) {
            if (!Arrays.asList(schema.fieldNames()).contains(c)) {
                throw new DataException("long tail: input has no '" + c + "' column (columns: " + String.join(", ", schema.fieldNames()) + ")");
            }
        }
    }
}
