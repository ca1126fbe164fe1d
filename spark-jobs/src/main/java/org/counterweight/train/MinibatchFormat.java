package org.counterweight.train;

import org.apache.spark.sql.Row;

/**
 * The shape of a training run's minibatches: how many feature rows a minibatch of {@code b}
 * rows has (DL4J's Spark workers re-batch by feature rows, so the trainer tells them this number)
 * and how its labels are laid out. Features are standardised.
 */
public enum MinibatchFormat {
    /** Features [b, d] and one-hot labels [b, K]. */
    PLAIN(1),
    /**
     * BBN's pairs ({@link BilateralDraw}): each row with its reversed-sampler partner. Features
     * [2b, d]: the b conventional rows over their b partners; labels [b, 2K]: one-hot y | one-hot
     * partner y ({@link RowTable#minibatch}).
     */
    BILATERAL(2);

    /** Examples each row carries (a BBN pair: two); the label width is K times this. */
    private final int examplesPerRow;

    MinibatchFormat(int examplesPerRow) {
        this.examplesPerRow = examplesPerRow;
    }

    /** Feature rows of a minibatch of {@code rows} rows. */
    int featureRows(int rows) {
        return examplesPerRow * rows;
    }

    /**
     * The class index in {@code field} of a training row (features, label, row id); an error
     * names the row when the label is not one.
     */
    static int classIndex(Row r, int field, int numClasses) {
        double label = r.getDouble(field);
        int k = (int) label;
        if (k != label || k < 0 || k >= numClasses) {
            throw new IllegalArgumentException("row_id " + r.getLong(2) + ": label " + label + " is not a class index in 0.."
                    + (numClasses - 1));
        }
        return k;
    }
}
