package org.counterweight.data;

import java.io.Serializable;
import java.util.List;

/**
 * How to read a labeled dataset: which column holds the label, which columns are features and
 * which of them are categorical, the texts that mean a missing value, and (for data scored by an
 * existing model) the label index to use instead of deriving one, whether the label column may be
 * absent and which column to carry along as the rows' id.
 *
 * @param labelCol      label column name (default {@code label})
 * @param features      feature column names, or null for "all other columns"
 * @param labels        a fixed label index (e.g. a model's); null to index the values found
 * @param minClasses    fewer distinct classes than this is an error (2 for training data)
 * @param labelOptional input without the label column is read as unlabeled rows (needs {@code labels})
 * @param idCol         a column kept as text in a frame column of the same name, or null
 * @param categorical   feature columns read as categories (strings or integer codes); empty for none
 * @param missingValues texts of a CSV field that mean a missing value ({@link DataSettings#MISSING_VALUES})
 * @param maxLevels     most distinct values a categorical column may have ({@link DataSettings#MAX_LEVELS})
 */
public record ReadOptions(String labelCol, List<String> features, LabelIndex labels, int minClasses,
                          boolean labelOptional, String idCol, List<String> categorical, List<String> missingValues,
                          int maxLevels) implements Serializable {

    public ReadOptions {
        categorical = categorical == null ? List.of() : List.copyOf(categorical);
        missingValues = List.copyOf(missingValues);
    }

    /**
     * Label column {@link DataSettings#LABEL_COL}'s default, all other columns numeric features,
     * the default missing-value texts and level limit, at least two classes.
     */
    public static ReadOptions defaults() {
        return new ReadOptions(DataSettings.LABEL_COL.defaultValue(), null, null, 2, false, null, List.of(),
                DataSettings.missingTokens(DataSettings.MISSING_VALUES.defaultValue()), DataSettings.MAX_LEVELS.defaultValue());
    }

    /** The label column; null keeps {@link DataSettings#LABEL_COL}'s default. */
    public ReadOptions withLabelCol(String col) {
        return new ReadOptions(col == null ? DataSettings.LABEL_COL.defaultValue() : DataSettings.LABEL_COL.validate(col),
                features, labels, minClasses, labelOptional, idCol, categorical, missingValues, maxLevels);
    }

    public ReadOptions withFeatures(List<String> cols) {
        return new ReadOptions(labelCol, cols == null || cols.isEmpty() ? null : List.copyOf(cols), labels, minClasses,
                labelOptional, idCol, categorical, missingValues, maxLevels);
    }

    /** Index labels with {@code index} (unknown values become errors); any class count is then allowed. */
    public ReadOptions withLabels(LabelIndex index) {
        return new ReadOptions(labelCol, features, index, index == null ? minClasses : 1, labelOptional, idCol, categorical,
                missingValues, maxLevels);
    }

    /**
     * Accept input without the label column (data to score): the frame then has no
     * {@code label} column. Needs {@link #withLabels} so the frame still names the classes.
     */
    public ReadOptions withOptionalLabel() {
        return new ReadOptions(labelCol, features, labels, minClasses, true, idCol, categorical, missingValues, maxLevels);
    }

    /**
     * Keep column {@code col} (as text, never a feature) in a frame column of the same name, so
     * results can be joined back to the input; null for none. Formats without named columns
     * (LibSVM, IDX) refuse it.
     */
    public ReadOptions withIdCol(String col) {
        if (col != null && List.of(Columns.FEATURES, Columns.LABEL, Columns.ROW_ID).contains(col)) {
            throw new IllegalArgumentException("the id column cannot be named '" + col + "': "
                    + Columns.FEATURES + ", " + Columns.LABEL + " and " + Columns.ROW_ID + " are the frame's own columns");
        }
        return new ReadOptions(labelCol, features, labels, minClasses, labelOptional, col, categorical, missingValues, maxLevels);
    }

    /**
     * Read feature columns {@code cols} as categories (text or integer codes; null or empty for
     * none). Each must be a feature column of the input; formats without named columns refuse them.
     */
    public ReadOptions withCategorical(List<String> cols) {
        return new ReadOptions(labelCol, features, labels, minClasses, labelOptional, idCol, cols, missingValues, maxLevels);
    }

    /** The missing-value texts of a {@link DataSettings#MISSING_VALUES} value; null keeps the default. */
    public ReadOptions withMissingValues(String spec) {
        List<String> tokens = spec == null ? missingValues : DataSettings.missingTokens(DataSettings.MISSING_VALUES.validate(spec));
        return new ReadOptions(labelCol, features, labels, minClasses, labelOptional, idCol, categorical, tokens, maxLevels);
    }

    /** The level limit of categorical columns; null keeps the default. */
    public ReadOptions withMaxLevels(Integer max) {
        int m = max == null ? maxLevels : DataSettings.MAX_LEVELS.validate(max);
        return new ReadOptions(labelCol, features, labels, minClasses, labelOptional, idCol, categorical, missingValues, m);
    }

    /** Whether {@code text} (a CSV field, stripped) means a missing value. */
    boolean isMissing(String text) {
        return missingValues.contains(text);
    }
}
