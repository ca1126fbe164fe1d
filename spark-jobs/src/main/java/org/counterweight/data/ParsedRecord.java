package org.counterweight.data;

import java.io.Serializable;

/**
 * One input row after format parsing and before validation and label indexing: its stable row
 * id, raw label value (null for unlabeled input), id column text (see {@link ReadOptions#idCol})
 * and features (dense, or sparse with {@link #indices}; NaN where a value is missing, 0 in the place
 * of a categorical feature), the raw values of categorical features ({@link #categories}, null where missing),
 * or the error that made it unreadable. Readers of every format produce these so validation
 * happens in one place.
 */
final class ParsedRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    final long rowId;
    final String label;
    /** The id column's value, or null without an id column. */
    final String id;
    final double[] values;
    /** Zero-based feature indexes for sparse rows (LibSVM); null for dense rows. */
    final int[] indices;
    /** Values of the categorical features in their order (null entries are missing); null without them. */
    final String[] categories;
    /** Why the row is invalid (names line and column), or null. */
    final String error;

    private ParsedRecord(long rowId, String label, String id, double[] values, int[] indices, String[] categories,
                         String error) {
        this.rowId = rowId;
        this.label = label;
        this.id = id;
        this.values = values;
        this.indices = indices;
        this.categories = categories;
        this.error = error;
    }

    static ParsedRecord dense(long rowId, String label, double[] values) {
        return dense(rowId, label, null, values, null);
    }

    static ParsedRecord dense(long rowId, String label, String id, double[] values, String[] categories) {
        return new ParsedRecord(rowId, label, id, values, null, categories, null);
    }

    static ParsedRecord sparse(long rowId, String label, int[] indices, double[] values) {
        return new ParsedRecord(rowId, label, null, values, indices, null, null);
    }

    static ParsedRecord invalid(long rowId, String error) {
        return new ParsedRecord(rowId, null, null, null, null, null, error);
    }

    /**
     * The category a raw value names: integer codes in one form whatever the file wrote
     * ({@code 7}, {@code 7.0} and {@code 07} are {@code "7"}), so CSV and Parquet inputs agree;
     * other text as it is.
     */
    static String category(String text) {
        if (!text.isEmpty() && (Character.isDigit(text.charAt(text.length() - 1)) || text.endsWith("."))) {
            try {
                double v = Double.parseDouble(text);
                if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                    return Long.toString((long) v);
                }
            } catch (NumberFormatException e) {
                // not a number: the text itself is the category
            }
        }
        return text;
    }

    /** Number of missing values: NaN features and null categories. */
    int missing() {
        int n = 0;
        if (values != null) {
            for (double v : values) {
                n += Double.isNaN(v) ? 1 : 0;
            }
        }
        if (categories != null) {
            for (String c : categories) {
                n += c == null ? 1 : 0;
            }
        }
        return n;
    }

    /** Number of features this row implies (dense length, or highest sparse index + 1). */
    int width() {
        if (indices == null) {
            return values == null ? 0 : values.length;
        }
        return indices.length == 0 ? 0 : indices[indices.length - 1] + 1;
    }
}
