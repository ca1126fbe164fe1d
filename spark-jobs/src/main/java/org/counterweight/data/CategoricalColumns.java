package org.counterweight.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Resolves and checks the categorical columns a reader was asked for ({@link ReadOptions#categorical}):
 * every name must be a feature column of the input, and after the scan every column must have at
 * least one value and at most {@link ReadOptions#maxLevels} distinct ones.
 */
final class CategoricalColumns {
    private CategoricalColumns() {
    }

    /**
     * For each feature (in {@code featureNames} order) its place among the categorical features,
     * or -1 for a numeric one; null when no categorical column was asked for. Unknown names, the
     * label column and columns that are not features are errors naming the file and the column.
     */
    static int[] slots(String source, List<String> featureNames, ReadOptions options, List<String> columns) {
        List<String> wanted = options.categorical();
        if (wanted.isEmpty()) {
            return null;
        }
        int[] slots = new int[featureNames.size()];
        Arrays.fill(slots, -1);
        for (int c = 0; c < wanted.size(); c++) {
            String name = wanted.get(c);
            if (wanted.indexOf(name) != c) {
                throw new DataException(source + ": categorical column '" + name + "' is named twice");
            }
            if (name.equals(options.labelCol())) {
                throw new DataException(source + ": categorical column '" + name + "' is the label column");
            }
            int j = featureNames.indexOf(name);
            if (j < 0) {
                String why = columns.contains(name) ? "' is not one of the features (" + CsvFormat.abbreviate(featureNames) + ")"
                        : "' is not in the input (columns: " + CsvFormat.abbreviate(columns) + ")";
                throw new DataException(source + ": categorical column '" + name + why);
            }
            slots[j] = c;
        }
        return slots;
    }

    /** The categorical features' positions among the features, in the order of their values. */
    static int[] positions(int[] slots) {
        int n = (int) Arrays.stream(slots).filter(s -> s >= 0).count();
        int[] positions = new int[n];
        for (int j = 0; j < slots.length; j++) {
            if (slots[j] >= 0) {
                positions[slots[j]] = j;
            }
        }
        return positions;
    }

    /** Fails when a categorical column has no value at all or more than {@code maxLevels} distinct ones. */
    static void checkLevels(String source, List<String> names, List<Set<String>> levels, int maxLevels) {
        List<String> empty = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            int n = c < levels.size() ? levels.get(c).size() : 0;
            if (n > maxLevels) {
                throw new DataException(source + ": categorical column '" + names.get(c) + "' has more than " + maxLevels
                        + " distinct values (max-levels " + maxLevels + ")", "--max-levels", "raise the limit with --max-levels");
            }
            if (n == 0) {
                empty.add(names.get(c));
            }
        }
        if (!empty.isEmpty()) {
            throw new DataException(source + ": categorical column '" + empty.get(0) + "' has only missing values");
        }
    }
}
