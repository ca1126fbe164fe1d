package org.counterweight.split;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.data.Columns;
import org.counterweight.data.LabeledFrame;

/**
 * Stratified train/validation/test splits and stratified k folds.
 *
 * <p>Within each class the rows are put in a random order given by
 * {@code xxhash64(seed, row_id)} (ties by row id), so the split depends only on the seed and the
 * stable row keys — not on the number of partitions or executors. The first
 * {@code round(testFraction · n_k)} rows of class k go to test, the next
 * {@code round(validationFraction · n_k)} to validation, the rest to training. For folds, the
 * i-th row of class k goes to fold {@code (i + offset_k) mod K}, where the per-class offset
 * (the rows of the previous classes) also balances the total fold sizes; per class, folds differ
 * by at most one row.
 */
public final class StratifiedSplitter {
    private static final String RANK = "_cw_rank";
    private static final String PART = "_cw_part";

    private final long seed;

    public StratifiedSplitter(long seed) {
        this.seed = seed;
    }

    /** A holdout split; {@code validationFraction} may be 0. */
    public Holdout holdout(LabeledFrame data, double testFraction, double validationFraction) {
        validateHoldout(testFraction, validationFraction);
        long[] counts = data.classCounts();
        Column[] testN = new Column[counts.length];
        Column[] valN = new Column[counts.length];
        for (int k = 0; k < counts.length; k++) {
            long t = Math.round(testFraction * counts[k]);
            long v = Math.round(validationFraction * counts[k]);
            testN[k] = lit(t);
            valN[k] = lit(t + v);
        }
        Column cls = col(Columns.LABEL).cast("int").plus(1);
        Column part = when(col(RANK).leq(element_at(array(testN), cls)), lit(2))
                .when(col(RANK).leq(element_at(array(valN), cls)), lit(1))
                .otherwise(lit(0));
        Dataset<Row> assigned = ranked(data).withColumn(PART, part).drop(RANK).persist(StorageLevel.MEMORY_AND_DISK());
        return new Holdout(data.withFrame(only(assigned, 0)), validationFraction > 0 ? data.withFrame(only(assigned, 1)) : null,
                data.withFrame(only(assigned, 2)));
    }

    /** Checks holdout fractions before any data is read. */
    public static void validateHoldout(double testFraction, double validationFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in (0, 1), got " + testFraction);
        }
        if (!(validationFraction >= 0 && validationFraction < 1) || testFraction + validationFraction >= 1) {
            throw new IllegalArgumentException("--validation-fraction must be in [0, 1) with test + validation < 1, got "
                    + validationFraction);
        }
    }

    /** Checks a fold count before any data is read. */
    public static void validateFolds(int k) {
        if (k < 2) {
            throw new IllegalArgumentException("--folds must be at least 2, got " + k);
        }
    }

    /** Stratified k folds; fold i's test part is fold i, its training part all other folds. */
    public List<Fold> kfold(LabeledFrame data, int k) {
        validateFolds(k);
        long[] counts = data.classCounts();
        Column[] offsets = new Column[counts.length];
        long cumulative = 0;
        for (int c = 0; c < counts.length; c++) {
            offsets[c] = lit(cumulative % k);
            cumulative += counts[c];
        }
        Column fold = col(RANK).minus(1).plus(element_at(array(offsets), col(Columns.LABEL).cast("int").plus(1))).mod(k);
        Dataset<Row> assigned = ranked(data).withColumn(PART, fold.cast("int")).drop(RANK).persist(StorageLevel.MEMORY_AND_DISK());
        List<Fold> folds = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            folds.add(new Fold(i, data.withFrame(assigned.filter(col(PART).notEqual(i)).drop(PART)), data.withFrame(only(assigned, i))));
        }
        return folds;
    }

    private Dataset<Row> ranked(LabeledFrame data) {
        Column key = xxhash64(lit(seed), col(Columns.ROW_ID));
        return data.frame().withColumn(RANK, row_number().over(
                Window.partitionBy(col(Columns.LABEL)).orderBy(key, col(Columns.ROW_ID))));
    }

    private static Dataset<Row> only(Dataset<Row> assigned, int part) {
        return assigned.filter(col(PART).equalTo(part)).drop(PART);
    }

    /** Training, validation (null when not requested) and test parts. */
    public record Holdout(LabeledFrame train, LabeledFrame validation, LabeledFrame test) {
    }

    /** One fold: its 0-based index, the training part (other folds) and the test part. */
    public record Fold(int index, LabeledFrame train, LabeledFrame test) {
    }
}
