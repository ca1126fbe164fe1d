package org.counterweight.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.counterweight.settings.CommonSettings;

/**
 * Synthetic imbalanced data (METHODS §6): one Gaussian cluster per class with unit variance,
 * centres at distance {@code separation} from the origin in random directions, and a geometric
 * class profile n_k ∝ ρ^(−k/(K−1)) so that class 0 is the largest and class K−1 the smallest,
 * with largest / smallest = ρ (up to rounding).
 *
 * <p>Rows are generated on the executors from {@code spark.range}: row i's class comes from a
 * fixed permutation of positions (classes are interleaved, not in blocks) and its features from a
 * random stream seeded by (seed, i). The driver holds only the K class centres, so 10M rows need
 * no driver memory, and the output is identical for a seed whatever the partitioning.
 */
public final class SyntheticGenerator {
    private long rows = DataSettings.ROWS.defaultValue();
    private int features = DataSettings.NUM_FEATURES.defaultValue();
    private int classes = DataSettings.CLASSES.defaultValue();
    private double imbalanceRatio = DataSettings.IMBALANCE_RATIO.defaultValue();
    private double separation = DataSettings.SEPARATION.defaultValue();
    private long seed = CommonSettings.SEED.defaultValue();
    private int partitions;

    /** {@link DataSettings#ROWS}. */
    public SyntheticGenerator rows(long n) {
        rows = DataSettings.ROWS.validate(n);
        return this;
    }

    /** {@link DataSettings#NUM_FEATURES}. */
    public SyntheticGenerator features(int d) {
        features = DataSettings.NUM_FEATURES.validate(d);
        return this;
    }

    /** {@link DataSettings#CLASSES}. */
    public SyntheticGenerator classes(int k) {
        classes = DataSettings.CLASSES.validate(k);
        return this;
    }

    /** {@link DataSettings#IMBALANCE_RATIO}. */
    public SyntheticGenerator imbalanceRatio(double r) {
        imbalanceRatio = DataSettings.IMBALANCE_RATIO.validate(r);
        return this;
    }

    /** {@link DataSettings#SEPARATION}. */
    public SyntheticGenerator separation(double s) {
        separation = DataSettings.SEPARATION.validate(s);
        return this;
    }

    /** {@link CommonSettings#SEED}. */
    public SyntheticGenerator seed(long s) {
        seed = CommonSettings.SEED.validate(s);
        return this;
    }

    /** Number of partitions to generate in (0: Spark's default parallelism). */
    public SyntheticGenerator partitions(int p) {
        if (p < 0) {
            throw new IllegalArgumentException("partitions must be >= 0, got " + p);
        }
        partitions = p;
        return this;
    }

    /** Exact rows per class: the geometric profile, rounded by largest remainder. */
    public long[] classCounts() {
        double[] w = new double[classes];
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            w[k] = Math.pow(imbalanceRatio, -(double) k / (classes - 1));
            sum += w[k];
        }
        long[] n = new long[classes];
        long assigned = 0;
        double[] rem = new double[classes];
        for (int k = 0; k < classes; k++) {
            double exact = rows * w[k] / sum;
            n[k] = (long) Math.floor(exact);
            rem[k] = exact - n[k];
            assigned += n[k];
        }
        for (long left = rows - assigned; left > 0; left--) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (rem[k] > rem[best]) {
                    best = k;
                }
            }
            n[best]++;
            rem[best] = -1;
        }
        for (int k = 0; k < classes; k++) {
            if (n[k] == 0) {
                throw new IllegalArgumentException("--rows " + rows + " is too few for " + classes
                        + " classes at imbalance ratio " + imbalanceRatio + ": class " + k + " would be empty");
            }
        }
        return n;
    }

    /** Generates the data set. */
    public LabeledFrame generate(SparkSession spark) {
        long[] counts = classCounts();
        long[] cumulative = new long[classes];
        long c = 0;
        for (int k = 0; k < classes; k++) {
            c += counts[k];
            cumulative[k] = c;
        }
        double[][] centres = centres();
        long multiplier = coprimeMultiplier(rows, seed);
        long offset = Math.floorMod(mix(seed ^ 0x5DEECE66DL), rows);
        final long n = rows;
        final int d = features;
        final long s = seed;
        int slices = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
        JavaRDD<Row> data = spark.range(0, rows, 1, slices).javaRDD().map(id -> {
            long i = id;
            long position = Math.floorMod(multiplier * i + offset, n);
            int k = classOf(position, cumulative);
            SplittableRandom rng = new SplittableRandom(mix(s * 0x9E3779B97F4A7C15L + i));
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = centres[k][j] + rng.nextGaussian();
            }
            return RowFactory.create(Vectors.dense(x), (double) k, i);
        });
        LabelIndex labels = LabelIndex.ofClassCount(classes);
        Dataset<Row> frame = spark.createDataFrame(data, DataReader.schema(labels));
        List<String> names = new ArrayList<>();
        for (int j = 0; j < features; j++) {
            names.add("f" + j);
        }
        return new LabeledFrame(frame, labels, names, "generated(rows=" + rows + ",features=" + features + ",classes="
                + classes + ",imbalance-ratio=" + imbalanceRatio + ",separation=" + separation + ",seed=" + seed + ")");
    }

    private double[][] centres() {
        SplittableRandom rng = new SplittableRandom(mix(seed + 0x632BE59BD9B4E019L));
        double[][] out = new double[classes][features];
        for (int k = 0; k < classes; k++) {
            double norm = 0;
            for (int j = 0; j < features; j++) {
                out[k][j] = rng.nextGaussian();
                norm += out[k][j] * out[k][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < features; j++) {
                out[k][j] = norm == 0 ? 0 : separation * out[k][j] / norm;
            }
        }
        return out;
    }

    private static int classOf(long position, long[] cumulative) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (position < cumulative[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** A multiplier coprime with n (so i -> a·i + b mod n is a permutation); a·i fits in a long. */
    private static long coprimeMultiplier(long n, long seed) {
        long a = 1 + Math.floorMod(mix(seed), Math.max(1, Math.min(n, 1L << 31) - 1));
        while (gcd(a, n) != 1) {
            a++;
        }
        return a;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** SplitMix64 finaliser: decorrelates consecutive seeds. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
