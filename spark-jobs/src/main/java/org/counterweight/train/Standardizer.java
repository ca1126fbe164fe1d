package org.counterweight.train;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.counterweight.data.Columns;

/**
 * Per-feature standardisation x' = (x − mean) / std, fitted on the training part only (never on
 * validation or test rows) and stored in the model file so prediction applies exactly the same
 * transform. std is the sample standard deviation; a constant feature gets std 1 (it becomes 0).
 *
 * <p>The one standardisation of the project: the trainer fits it on the rows it trains on, unless
 * it is given one ({@link TrainingConfig#standardizer}); an experiment fits it on each training
 * part before resampling and {@link #transform}s the parts itself (distance-based resamplers need
 * standardised features).
 */
public final class Standardizer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] mean;
    private final double[] std;

    /** A standardizer with the given statistics (lengths must match). */
    public Standardizer(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " entries but std has " + std.length);
        }
        this.mean = mean.clone();
        this.std = std.clone();
        for (int i = 0; i < this.std.length; i++) {
            if (!(this.std[i] > 0) || !Double.isFinite(this.std[i])) {
                this.std[i] = 1.0;
            }
        }
    }

    /** Fits mean and standard deviation of the {@code features} column with one Spark job. */
    public static Standardizer fit(Dataset<Row> train) {
        Row r = train.select(Summarizer.metrics("mean", "std").summary(train.col(Columns.FEATURES)).as("s"))
                .select("s.mean", "s.std").first();
        return new Standardizer(((Vector) r.get(0)).toArray(), ((Vector) r.get(1)).toArray());
    }

    /**
     * {@link #fit(Dataset)} that leaves the category indices of {@code categorical} (null for
     * none) as they are: mean 0 and std 1 at their positions.
     */
    public static Standardizer fit(Dataset<Row> train, org.counterweight.data.CategoricalFeatures categorical) {
        Standardizer s = fit(train);
        if (categorical == null) {
            return s;
        }
        double[] mean = s.mean();
        double[] std = s.std();
        for (int p : categorical.positions()) {
            mean[p] = 0;
            std[p] = 1;
        }
        return new Standardizer(mean, std);
    }

    /** The transform that leaves {@code features} features as they are (for data already standardised). */
    public static Standardizer identity(int features) {
        double[] ones = new double[features];
        Arrays.fill(ones, 1.0);
        return new Standardizer(new double[features], ones);
    }

    /** {@code frame} with its {@code features} column standardised (in double precision); other columns as they are. */
    public Dataset<Row> transform(Dataset<Row> frame) {
        double[] m = mean;
        double[] s = std;
        UDF1<Vector, Vector> scale = v -> {
            double[] x = v.toArray();
            if (x.length != m.length) {
                throw new IllegalArgumentException("a row has " + x.length + " features but the standardizer has " + m.length);
            }
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                out[i] = (x[i] - m[i]) / s[i];
            }
            return Vectors.dense(out);
        };
        // the column's attributes (feature names, categorical positions: data/CategoricalFeatures)
        // describe the scaled vector as well
        return frame.withColumn(Columns.FEATURES, functions.udf(scale, SQLDataTypes.VectorType())
                .apply(frame.col(Columns.FEATURES)), frame.schema().apply(Columns.FEATURES).metadata());
    }

    /** Number of features. */
    public int size() {
        return mean.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    /** Writes the standardised {@code x} into {@code out} at {@code offset}. */
    public void apply(double[] x, float[] out, int offset) {
        if (x.length != mean.length) {
            throw new IllegalArgumentException("a row has " + x.length + " features but the model expects " + mean.length);
        }
        for (int i = 0; i < x.length; i++) {
            out[offset + i] = (float) ((x[i] - mean[i]) / std[i]);
        }
    }
}
