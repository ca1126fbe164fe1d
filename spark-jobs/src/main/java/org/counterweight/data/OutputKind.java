package org.counterweight.data;

import java.util.Locale;

/**
 * What a command writes. An existing output is replaced only by an output of the same kind
 * (recognised by {@link OutputMarker}); anything else at the path is the user's and is refused.
 */
public enum OutputKind {
    /** One dataset: {@code generate}, {@code resample}. */
    DATASET,
    /** A directory of train/validation/test parts or folds: {@code split}. */
    SPLIT,
    /** A model file: {@code train}. */
    MODEL,
    /** A predictions table: {@code predict}. */
    PREDICTIONS,
    /** A metrics CSV: {@code metrics}. */
    METRICS,
    /** A report directory: {@code report}. */
    REPORT,
    /** A results warehouse: {@code experiment}. */
    RESULTS_STORE;

    /** The name stored in markers and shown in messages, e.g. {@code results-store}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind whose {@link #id()} is {@code id}, or null. */
    static OutputKind ofId(String id) {
        for (OutputKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        return null;
    }
}
