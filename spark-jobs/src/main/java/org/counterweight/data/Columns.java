package org.counterweight.data;

/**
 * Column names of Counterweight's data contract. A labeled frame has {@link #FEATURES} (a dense
 * {@code org.apache.spark.ml.linalg.Vector}), {@link #LABEL} (the class index as a double,
 * 0..K-1, classes indexed in sorted order of their original values; see {@link LabelIndex}) and
 * {@link #ROW_ID} (a long, unique and stable: the row's position in the input), plus any extra
 * columns, which stages pass through untouched. A Spark ML frame (any vector column, raw labels,
 * no row ids) enters the contract with {@link LabeledFrame#of}.
 */
public final class Columns {
    /** Dense feature vector. */
    public static final String FEATURES = "features";
    /** Class index as a double. */
    public static final String LABEL = "label";
    /** Stable row key: position in the input. Randomness is derived from (seed, row id). */
    public static final String ROW_ID = "row_id";
    /** Predicted class index as a double (predictions frames). */
    public static final String PREDICTION = "prediction";
    /**
     * Prefix of the per-class probability columns: {@code prob_0 .. prob_{K-1}} by class index in
     * predictions frames, {@code prob_<label value>} in predictions files.
     */
    public static final String PROB_PREFIX = "prob_";
    /**
     * Raw values of the categorical features (array of strings, null where missing), in the order of
     * {@link RawFeatures#categorical}: only in frames read with categorical columns, before the
     * preparation turns them into category indices inside {@link #FEATURES}.
     */
    public static final String CATEGORIES = "categories";
    /** Boolean marking rows a resampler generated (SMOTE). */
    public static final String SYNTHETIC = "synthetic";

    private Columns() {
    }

    /** {@code prob_k}: class index k's probability in a predictions frame. */
    public static String prob(int k) {
        return PROB_PREFIX + k;
    }

    /** {@code prob_<value>}: the probability of the class with original label value {@code value} in a predictions file. */
    public static String probFor(String value) {
        return PROB_PREFIX + value;
    }

    /** {@code name} quoted for Spark's column-name parser (e.g. {@code Dataset.col}), so dots and backticks stay literal. */
    public static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
