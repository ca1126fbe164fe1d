package org.counterweight.data;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A validated dataset in Counterweight's frame contract (see {@link Columns}) together with
 * what its rows alone cannot say: the label index (original class names) and the feature
 * names, which writers and reports need, and the form of its features: raw (categorical values
 * and missing values still to prepare), prepared with category indices, or plain numbers.
 *
 * @param frame        rows with {@code features}, {@code label} (class index; absent in data to score
 *                     read without labels, see {@link ReadOptions#withOptionalLabel}), {@code row_id}
 * @param labels       class index to original label value
 * @param featureNames one name per feature, in vector order
 * @param source       where the data came from (file path or built-in name), for messages
 * @param raw          categorical or missing values still to prepare, or null (plain numbers)
 * @param categorical  where a prepared frame holds category indices, or null
 */
public record LabeledFrame(Dataset<Row> frame, LabelIndex labels, List<String> featureNames, String source,
                           RawFeatures raw, CategoricalFeatures categorical) {
    /** Where errors about a frame outside the contract point its user. */
    public static final String HOW_TO_CONVERT = "LabeledFrame.of(frame, featuresCol, labelCol) turns a Spark ML frame"
            + " into one: it indexes raw label values and assigns row ids";

    public LabeledFrame {
        featureNames = List.copyOf(featureNames);
        if (raw != null && categorical != null) {
            throw new IllegalArgumentException("a frame is either raw or prepared, not both");
        }
    }

    /** A frame of plain numeric features. */
    public LabeledFrame(Dataset<Row> frame, LabelIndex labels, List<String> featureNames, String source) {
        this(frame, labels, featureNames, source, null, null);
    }

    /**
     * A user's Spark frame in Counterweight's contract, validated in one pass as the CLI reads a
     * Parquet file (DataReader): the entry point of the Java API for data that did not come from
     * a Counterweight reader.
     *
     * <ul>
     *   <li>{@code featuresCol}: a Spark ML vector column (dense or sparse, e.g. the output of
     *       {@code VectorAssembler} or {@code StandardScaler}); feature names are the ones the column
     *       carries (Spark ML attributes, as {@code VectorAssembler} sets them) or {@code f0, f1, ...}.</li>
     *   <li>{@code labelCol}: raw label values of any simple type (string, integer, double, boolean, ...).
     *       Values are compared as text ({@code CAST(label AS STRING)}: an integer 1 is {@code "1"}, a
     *       double 1.0 is {@code "1.0"}, a boolean is {@code "true"}) and classes are indexed by
     *       {@link LabelIndex} in the CLI's sorted order: numerically when every value is a number,
     *       else lexicographically. Outputs name classes by these values
     *       ({@code Predictor.withOriginalLabels}, {@code MetricTable.rows}).</li>
     *   <li>{@code row_id}: kept when the frame has one (a unique, non-null long; one job checks).
     *       Otherwise row i of the frame gets id i: its position in the frame's row order, counted
     *       with {@code RDD.zipWithIndex} (dense 0..n-1, the same whatever the partitioning, as long
     *       as the rows come in the same order). That order is fixed for frames read from files,
     *       built from a local list, or mapped row by row (Spark ML feature stages); after a
     *       shuffle ({@code repartition}, a join, an aggregation) Spark does not fix it, so sort
     *       such a frame first or give it your own {@code row_id}. {@code monotonically_increasing_id}
     *       is not used: its ids encode the partition number, so they change with the partitioning
     *       and are not dense, and resampling draws are derived from (seed, row id).</li>
     * </ul>
     * The result has {@code features} (dense vector), {@code label} (class index as a double) and
     * {@code row_id}; other columns are not carried (keep one with
     * {@link ReadOptions#withIdCol}, or join on {@code row_id}). Its lineage is recomputed by each
     * Spark job: persist it when the input is expensive. Bad input (missing column, null or
     * non-finite value, vectors of different sizes, a single class) fails with a
     * {@link DataException} naming the row and column.
     */
    public static LabeledFrame of(Dataset<Row> frame, String featuresCol, String labelCol) {
        return of(frame, featuresCol, ReadOptions.defaults().withLabelCol(labelCol));
    }

    /**
     * {@link #of(Dataset, String, String)} with read options: {@code options.labelCol()} names the
     * label column; {@link ReadOptions#withLabels} indexes with a given label index (a test part
     * with the training part's classes, data to score); {@link ReadOptions#withFeatures} picks
     * features by name from the vector, or names numeric columns; {@link ReadOptions#withIdCol}
     * carries a key column along. With {@code featuresCol} null the features are numeric columns:
     * {@code options.features()}, or every column but the label, {@code row_id} and id columns.
     */
    public static LabeledFrame of(Dataset<Row> frame, String featuresCol, ReadOptions options) {
        return DataReader.fromFrame(frame, featuresCol, options);
    }

    /** Number of features. */
    public int numFeatures() {
        return featureNames.size();
    }

    /** Number of classes K. */
    public int numClasses() {
        return labels.size();
    }

    /** The same labels, feature names and feature form over other rows (e.g. a split or a resample). */
    public LabeledFrame withFrame(Dataset<Row> rows) {
        return new LabeledFrame(rows, labels, featureNames, source, raw, categorical);
    }

    /** Whether the features still need the preparation (categorical or missing values). */
    public boolean needsPreparation() {
        return raw != null;
    }

    /** Rows per class index (runs a Spark job). */
    public long[] classCounts() {
        return ClassCounts.of(frame, Columns.LABEL, numClasses());
    }
}
