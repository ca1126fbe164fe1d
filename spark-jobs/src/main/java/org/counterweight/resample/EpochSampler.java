package org.counterweight.resample;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.Columns;

/**
 * Training-time samplers {@code class-balanced} and {@code sqrt} (METHODS.md §1): every epoch a
 * fresh sample of the training-set size N, drawn with replacement, in which a row's class is
 * chosen with probability uniform over the classes ({@code class-balanced}) or proportional to
 * √n_k ({@code sqrt}), and the row uniformly within its class. Draw j of epoch e is a function
 * of (seed, e, j) only, so a draw does not depend on partitioning. Rows keep all their columns;
 * a row drawn twice appears twice with its own row id (row ids identify the source row here).
 */
public final class EpochSampler implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String CLASS = "_class";

    /** How class probabilities are set. */
    public enum Mode {
        /** Every class equally likely. */
        CLASS_BALANCED,
        /** Class probability ∝ √n_k. */
        SQRT;

        /** Parses {@code class-balanced} or {@code sqrt}. */
        public static Mode parse(String s) {
            String k = s == null ? "" : s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Mode m : values()) {
                if (m.name().equals(k)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("sampler '" + s + "' is not known; expected class-balanced or sqrt");
        }
    }

    private final Mode mode;
    private final long seed;
    private final String labelCol;
    private final String rowIdCol;

    /** A sampler over the contract's {@code label} and {@code row_id} columns. */
    public EpochSampler(Mode mode, long seed) {
        this(mode, seed, Columns.LABEL, Columns.ROW_ID);
    }

    public EpochSampler(Mode mode, long seed, String labelCol, String rowIdCol) {
        this.mode = mode;
        this.seed = seed;
        this.labelCol = labelCol;
        this.rowIdCol = rowIdCol;
    }

    /** Class probabilities for the given counts (classes in index order). */
    public Map<Integer, Double> probabilities(ClassStats stats) {
        Map<Integer, Double> p = new TreeMap<>();
        double total = 0;
        for (Map.Entry<Integer, Long> e : stats.counts().entrySet()) {
            double w = mode == Mode.CLASS_BALANCED ? 1.0 : Math.sqrt(e.getValue());
            p.put(e.getKey(), w);
            total += w;
        }
        for (Map.Entry<Integer, Double> e : p.entrySet()) {
            e.setValue(e.getValue() / total);
        }
        return p;
    }

    /** The sample for {@code epoch}: N rows of {@code train} drawn as described above. */
    public Dataset<Row> draw(Dataset<Row> train, int epoch) {
        ClassStats stats = ClassStats.of(train, labelCol, rowIdCol);
        if (stats.classes() == 0) {
            throw new IllegalArgumentException("class-balanced sampling of an empty training set");
        }
        Map<Integer, Double> p = probabilities(stats);
        int[] classes = p.keySet().stream().mapToInt(Integer::intValue).toArray();
        double[] cumulative = new double[classes.length];
        long[] sizes = new long[classes.length];
        double acc = 0;
        for (int i = 0; i < classes.length; i++) {
            acc += p.get(classes[i]);
            cumulative[i] = acc;
            sizes[i] = stats.count(classes[i]);
        }
        long n = stats.total();
        long s = seed;
        JavaRDD<Row> draws = train.sparkSession()
                .range(0, n, 1, Math.max(1, train.javaRDD().getNumPartitions()))
                .javaRDD().map(j -> {
                    double u = RowRandom.uniform(RowRandom.hash(s, RowRandom.EPOCH_CLASS, epoch, j, 0));
                    int i = 0;
                    while (i < classes.length - 1 && u >= cumulative[i]) {
                        i++;
                    }
                    long rank = RowRandom.below(sizes[i], RowRandom.hash(s, RowRandom.EPOCH_ROW, epoch, j, 0));
                    return RowFactory.create(classes[i], rank);
                });
        Dataset<Row> drawn = train.sparkSession().createDataFrame(draws, new StructType()
                .add(CLASS, DataTypes.IntegerType, false)
                .add(ClassRanks.RANK, DataTypes.LongType, false));
        Dataset<Row> ranked = ClassRanks.rank(train, labelCol, functions.col(rowIdCol));
        Column match = ranked.col(labelCol).equalTo(drawn.col(CLASS))
                .and(ranked.col(ClassRanks.RANK).equalTo(drawn.col(ClassRanks.RANK)));
        return drawn.join(ranked, match)
                .select(Arrays.stream(train.columns()).map(ranked::col).toArray(Column[]::new));
    }
}
