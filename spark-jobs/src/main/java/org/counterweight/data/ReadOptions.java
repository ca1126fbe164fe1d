package org.counterweight.data;

import java.io.Serializable;
import java.util.List;

/**
 * How to read a labeled dataset: which column holds the label, which columns are features,
 * and (for data scored by an existing model) the label index to use instead of deriving one.
 *
 * @param labelCol      label column name (default {@code label})
 * @param features      feature column names, or null for "all other columns"
 * @param labels        a fixed label index (e.g. a model's); null to index the values found
 * @param minClasses    fewer distinct classes than this is an error (2 for training data)
 */
public record ReadOptions(String labelCol, List<String> features, LabelIndex labels, int minClasses)
        implements Serializable {

    /** Label column {@code label}, all other columns features, at least two classes. */
    public static ReadOptions defaults() {
        return new ReadOptions(Columns.LABEL, null, null, 2);
    }

    public ReadOptions withLabelCol(String col) {
        return new ReadOptions(col == null ? Columns.LABEL : col, features, labels, minClasses);
    }

    public ReadOptions withFeatures(List<String> cols) {
        return new ReadOptions(labelCol, cols == null || cols.isEmpty() ? null : List.copyOf(cols), labels, minClasses);
    }

    /** Index labels with {@code index} (unknown values become errors); any class count is then allowed. */
    public ReadOptions withLabels(LabelIndex index) {
        return new ReadOptions(labelCol, features, index, index == null ? minClasses : 1);
    }
}
