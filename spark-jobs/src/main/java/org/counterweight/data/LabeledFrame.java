package org.counterweight.data;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A validated dataset in Counterweight's frame contract (see {@link Columns}) together with
 * what its rows alone cannot say: the label index (original class names) and the feature
 * names, which writers and reports need.
 *
 * @param frame        rows with {@code features}, {@code label} (class index; absent in data to score
 *                     read without labels, see {@link ReadOptions#withOptionalLabel}), {@code row_id}
 * @param labels       class index to original label value
 * @param featureNames one name per feature, in vector order
 * @param source       where the data came from (file path or built-in name), for messages
 */
public record LabeledFrame(Dataset<Row> frame, LabelIndex labels, List<String> featureNames, String source) {

    public LabeledFrame {
        featureNames = List.copyOf(featureNames);
    }

    /** Number of features. */
    public int numFeatures() {
        return featureNames.size();
    }

    /** Number of classes K. */
    public int numClasses() {
        return labels.size();
    }

    /** The same labels and feature names over other rows (e.g. a split or a resample). */
    public LabeledFrame withFrame(Dataset<Row> rows) {
        return new LabeledFrame(rows, labels, featureNames, source);
    }

    /** Rows per class index (runs a Spark job). */
    public long[] classCounts() {
        return ClassCounts.of(frame, Columns.LABEL, numClasses());
    }
}
