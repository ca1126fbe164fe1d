package org.counterweight.train;

import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.counterweight.data.Columns;
import org.counterweight.resample.EpochSampler;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How the rows of one minibatch become the {@link DataSet} of a minibatch file
 * ({@link MinibatchExporter}): which columns an epoch's rows carry, the arrays they make, and
 * how many feature rows a minibatch of {@code b} rows has (DL4J's Spark workers re-batch files by
 * feature rows, so the trainer tells them this number). Features are standardised.
 */
public enum MinibatchFormat {
    /** Features [b, d] and one-hot labels [b, K]. */
    PLAIN(List.of(Columns.FEATURES, Columns.LABEL, Columns.ROW_ID), 1),
    /**
     * BBN's pairs ({@link BilateralDraw}): each row with its reversed-sampler partner. Features
     * [2b, d]: the b conventional rows over their b partners; labels [b, 2K]: one-hot y | one-hot
     * partner y — what {@code BilateralBranchLayer} and {@code BilateralLoss} (losses module) take.
     */
    BILATERAL(List.of(Columns.FEATURES, Columns.LABEL, Columns.ROW_ID,
            EpochSampler.PARTNER + Columns.FEATURES, EpochSampler.PARTNER + Columns.LABEL), 2);

    private final List<String> columns;
    /** Examples each row carries (a BBN pair: two); the label width is K times this. */
    private final int examplesPerRow;

    MinibatchFormat(List<String> columns, int examplesPerRow) {
        this.columns = columns;
        this.examplesPerRow = examplesPerRow;
    }

    /** The columns of an epoch's rows this format reads, in order; features, label and row id first. */
    List<String> columns() {
        return columns;
    }

    /** Feature rows of a minibatch of {@code rows} rows. */
    int featureRows(int rows) {
        return examplesPerRow * rows;
    }

    /** The minibatch of {@code members} (rows with {@link #columns()}, in order). */
    DataSet dataSet(List<Row> members, Standardizer scaler, int numClasses) {
        int b = members.size();
        int d = scaler.size();
        float[] x = new float[featureRows(b) * d];
        float[] y = new float[b * numClasses * examplesPerRow];
        for (int i = 0; i < b; i++) {
            Row r = members.get(i);
            scaler.apply(((Vector) r.get(0)).toArray(), x, i * d);
            y[i * numClasses * examplesPerRow + classIndex(r, 1, numClasses)] = 1f;
            if (this == BILATERAL) {
                scaler.apply(((Vector) r.get(3)).toArray(), x, (b + i) * d);
                y[(2 * i + 1) * numClasses + classIndex(r, 4, numClasses)] = 1f;
            }
        }
        return new DataSet(Nd4j.create(x, new long[] {featureRows(b), d}),
                Nd4j.create(y, new long[] {b, (long) numClasses * examplesPerRow}));
    }

    /**
     * The class index in {@code field} of a minibatch row (1: the row's label, 4: a BBN partner's);
     * an error names the row when the label is not one.
     */
    static int classIndex(Row r, int field, int numClasses) {
        double label = r.getDouble(field);
        int k = (int) label;
        if (k != label || k < 0 || k >= numClasses) {
            String row = (field == 1 ? "" : "the partner of ") + "row_id " + r.getLong(2);
            throw new IllegalArgumentException(row + ": label " + label + " is not a class index in 0.." + (numClasses - 1));
        }
        return k;
    }
}
