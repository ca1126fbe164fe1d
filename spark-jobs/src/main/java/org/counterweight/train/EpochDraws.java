package org.counterweight.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.counterweight.data.Columns;

/**
 * The training-time samplers of METHODS §1: {@code none} (natural sampling), {@code class-balanced}
 * (each class equally likely) and {@code sqrt} (class probability ∝ √n_k). Every epoch draws a
 * fresh sample of the training-set size N with replacement: the class totals are one multinomial
 * draw of N over the class probabilities, then each class's rows are drawn uniformly with
 * replacement. Randomness comes from (seed, epoch) and each row's rank by {@code row_id} within
 * its class, so the draw does not depend on partitioning.
 *
 * <p>Stand-in for the {@code resample} module's epoch samplers: when that lands, {@link #forName}
 * is the one place to switch.
 */
public final class EpochDraws {
    /** Sampler names accepted by {@link #forName}. */
    public static final List<String> NAMES = List.of("none", "class-balanced", "sqrt");

    private EpochDraws() {
    }

    /** The draw for a sampler name; an {@link IllegalArgumentException} lists the known names. */
    public static EpochDraw forName(String name, long[] classCounts) {
        String n = name == null ? "none" : name.strip().toLowerCase(Locale.ROOT);
        switch (n) {
            case "none":
                return NATURAL;
            case "class-balanced":
                return new ClassWeighted(classCounts, 0.0);
            case "sqrt":
                return new ClassWeighted(classCounts, 0.5);
            default:
                throw new IllegalArgumentException("unknown sampler '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
    }

    /** Natural sampling: every epoch sees the training rows once. */
    public static final EpochDraw NATURAL = new EpochDraw() {
        private static final long serialVersionUID = 1L;

        @Override
        public Dataset<Row> draw(Dataset<Row> train, long seed, int epoch) {
            return train;
        }

        @Override
        public boolean isStatic() {
            return true;
        }
    };

    /** Class probability ∝ n_k^power: power 0 is class-balanced, 0.5 is square-root sampling. */
    static final class ClassWeighted implements EpochDraw {
        private static final long serialVersionUID = 1L;
        private final long[] counts;
        private final double power;

        ClassWeighted(long[] counts, double power) {
            for (int k = 0; k < counts.length; k++) {
                if (counts[k] <= 0) {
                    throw new IllegalArgumentException("sampler: class " + k + " has no training rows");
                }
            }
            this.counts = counts.clone();
            this.power = power;
        }

        /** How many copies of each within-class rank to take, per class, for this epoch. */
        int[][] copies(long seed, int epoch) {
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L);
            long n = 0;
            double[] p = new double[counts.length];
            double z = 0;
            for (int k = 0; k < counts.length; k++) {
                n += counts[k];
                p[k] = Math.pow(counts[k], power);
                z += p[k];
            }
            int[][] copies = new int[counts.length][];
            for (int k = 0; k < counts.length; k++) {
                copies[k] = new int[Math.toIntExact(counts[k])];
            }
            for (long i = 0; i < n; i++) {
                double u = rng.nextDouble() * z;
                int k = 0;
                while (k < p.length - 1 && u >= p[k]) {
                    u -= p[k];
                    k++;
                }
                copies[k][rng.nextInt(copies[k].length)]++;
            }
            return copies;
        }

        @Override
        public Dataset<Row> draw(Dataset<Row> train, long seed, int epoch) {
            Broadcast<int[][]> copies = JavaSparkContext.fromSparkContext(train.sparkSession().sparkContext())
                    .broadcast(copies(seed, epoch));
            Dataset<Row> ranked = train.withColumn("_rank",
                    row_number().over(Window.partitionBy(col(Columns.LABEL)).orderBy(col(Columns.ROW_ID))));
            int rankIdx = ranked.schema().fieldIndex("_rank");
            int labelIdx = ranked.schema().fieldIndex(Columns.LABEL);
            Dataset<Row> expanded = train.sparkSession().createDataFrame(
                    ranked.javaRDD().flatMap(r -> {
                        int c = copies.value()[(int) r.getDouble(labelIdx)][r.getInt(rankIdx) - 1];
                        List<Row> out = new ArrayList<>(c);
                        for (int i = 0; i < c; i++) {
                            out.add(r);
                        }
                        return out.iterator();
                    }), ranked.schema());
            return expanded.drop("_rank");
        }

        @Override
        public boolean isStatic() {
            return false;
        }
    }
}
