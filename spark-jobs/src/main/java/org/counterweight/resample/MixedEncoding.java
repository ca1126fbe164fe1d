package org.counterweight.resample;

import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * SMOTE-NC's distance as a Euclidean one (Chawla et al., JAIR 2002, §6.1): a row becomes its
 * continuous entries followed by, for each categorical entry with L levels, L slots holding
 * {@code s = median_std / √2} at the row's category and 0 elsewhere. Two rows that differ in a
 * categorical entry then differ by s in two slots, so the mismatch adds {@code 2 s² = median_std²}
 * to the squared distance, as in the paper (imbalanced-learn ≥ 0.12 encodes the same way; 0.10
 * used {@code median_std / 2}, adding only {@code median_std² / 2}). With {@code median_std = 0}
 * categorical entries add nothing and no slot is kept.
 */
final class MixedEncoding implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] continuous;
    private final int[] categorical;
    /** First slot of each categorical entry's block. */
    private final int[] offsets;
    private final int dim;
    private final double medianStd;
    private final double slot;

    /**
     * @param levels    per categorical entry, the category indices in use are 0..levels−1
     * @param medianStd the median of the continuous entries' standard deviations
     */
    MixedEncoding(int[] continuous, int[] categorical, int[] levels, double medianStd) {
        this.continuous = continuous.clone();
        this.categorical = categorical.clone();
        this.medianStd = medianStd;
        this.slot = medianStd / Math.sqrt(2);
        offsets = new int[categorical.length];
        int at = continuous.length;
        for (int j = 0; j < categorical.length; j++) {
            offsets[j] = at;
            at += medianStd == 0 ? 0 : levels[j];
        }
        dim = at;
    }

    /** The median standard deviation the encoding was built with. */
    double medianStd() {
        return medianStd;
    }

    /** Length of an encoded row. */
    int dim() {
        return dim;
    }

    /** The encoded row of features {@code x}. */
    double[] encode(double[] x) {
        double[] out = new double[dim];
        for (int t = 0; t < continuous.length; t++) {
            out[t] = x[continuous[t]];
        }
        if (slot != 0) {
            for (int j = 0; j < categorical.length; j++) {
                out[offsets[j] + (int) x[categorical[j]]] = slot;
            }
        }
        return out;
    }

    /** (id, features) rows encoded, in the same shape. */
    Dataset<Row> encode(Dataset<Row> rows) {
        JavaRDD<Row> encoded = rows.javaRDD().map(r -> RowFactory.create(r.getLong(0),
                Vectors.dense(encode(((Vector) r.get(1)).toArray()))));
        return rows.sparkSession().createDataFrame(encoded, new StructType()
                .add(rows.columns()[0], DataTypes.LongType, false)
                .add(rows.columns()[1], SQLDataTypes.VectorType(), false));
    }
}
