package org.counterweight.data;

import java.io.Serializable;

/**
 * One input row after format parsing and before validation and label indexing: its stable row
 * id, raw label value (null for unlabeled input), id column text (see {@link ReadOptions#idCol})
 * and features (dense, or sparse with {@link #indices}), or the error that made it unreadable. Readers of every format produce these so validation happens in one place.
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
    /** Why the row is invalid (names line and column), or null. */
    final String error;

    private ParsedRecord(long rowId, String label, String id, double[] values, int[] indices, String error) {
        this.rowId = rowId;
        this.label = label;
        this.id = id;
        this.values = values;
        this.indices = indices;
        this.error = error;
    }

    static ParsedRecord dense(long rowId, String label, double[] values) {
        return dense(rowId, label, null, values);
    }

    static ParsedRecord dense(long rowId, String label, String id, double[] values) {
        return new ParsedRecord(rowId, label, id, values, null, null);
    }

    static ParsedRecord sparse(long rowId, String label, int[] indices, double[] values) {
        return new ParsedRecord(rowId, label, null, values, indices, null);
    }

    static ParsedRecord invalid(long rowId, String error) {
        return new ParsedRecord(rowId, null, null, null, null, error);
    }

    /** Number of features this row implies (dense length, or highest sparse index + 1). */
    int width() {
        if (indices == null) {
            return values == null ? 0 : values.length;
        }
        return indices.length == 0 ? 0 : indices[indices.length - 1] + 1;
    }
}
