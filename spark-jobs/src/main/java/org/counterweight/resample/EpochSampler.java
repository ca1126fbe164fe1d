package org.counterweight.resample;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.Columns;

/**
 * Training-time samplers {@code class-balanced} and {@code sqrt} (METHODS.md §1) and BBN's
 * reversed sampler (METHODS §4): every epoch a fresh sample of the training-set size N, drawn with
 * replacement, in which a row's class is chosen with probability uniform over the classes
 * ({@code class-balanced}), proportional to √n_k ({@code sqrt}) or to w_k = n_max / n_k
 * ({@code reversed}: P_k = w_k / Σ_j w_j, Zhou et al. 2020, §3.2), and the row uniformly within its
 * class. Draw j of epoch e is a function of (seed, e, j) only, so a draw does not depend on
 * partitioning. Rows keep all their columns; a row drawn twice appears twice with its own row id
 * (row ids identify the source row here). {@link #partners} draws one row for every training row
 * instead, keyed by that row's id (BBN pairs each conventional row with a reversed draw).
 */
public final class EpochSampler implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String CLASS = "_class";
    /** Prefix of the partner's columns in {@link #partners}: {@code partner_features}, {@code partner_label}, ... */
    public static final String PARTNER = "partner_";

    /** How class probabilities are set. */
    public enum Mode {
        /** Every class equally likely. */
        CLASS_BALANCED,
        /** Class probability ∝ √n_k. */
        SQRT,
        /** Class probability ∝ n_max / n_k (BBN's reversed sampler). */
        REVERSED;

        /** Parses {@code class-balanced}, {@code sqrt} or {@code reversed}. */
        public static Mode parse(String s) {
            String k = s == null ? "" : s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Mode m : values()) {
                if (m.name().equals(k)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("sampler '" + s + "' is not known; expected class-balanced, sqrt or reversed");
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
        long max = stats.count(stats.majority());
        for (Map.Entry<Integer, Long> e : stats.counts().entrySet()) {
            double w = switch (mode) {
                case CLASS_BALANCED -> 1.0;
                case SQRT -> Math.sqrt(e.getValue());
                case REVERSED -> max / (double) e.getValue();
            };
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
        ClassStats stats = stats(train);
        Picker picker = new Picker(probabilities(stats), stats, seed, epoch, 0);
        JavaRDD<Row> draws = train.sparkSession()
                .range(0, stats.total(), 1, Math.max(1, train.javaRDD().getNumPartitions()))
                .javaRDD().map(j -> {
                    int i = picker.classSlot(j);
                    return RowFactory.create(picker.classes[i], picker.rank(i, j));
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

    /**
     * Every row of {@code train} with a partner drawn for {@code epoch}: the partner of the row
     * with id r is draw (seed, epoch, r) of this sampler — its class by the mode's probabilities,
     * then a row uniformly within the class — so partners are independent of each other and of the
     * rows they are paired with, and of partitioning. The result has {@code train}'s columns and
     * the partner's, prefixed {@link #PARTNER}. Row ids must be unique (they are in a training part).
     */
    public Dataset<Row> partners(Dataset<Row> train, int epoch) {
        ClassStats stats = stats(train);
        Picker picker = new Picker(probabilities(stats), stats, seed, epoch, 1);
        Dataset<Row> picks = train.withColumn(CLASS, functions.udf(
                        (UDF1<Long, Integer>) r -> picker.classes[picker.classSlot(r)], DataTypes.IntegerType)
                        .apply(functions.col(rowIdCol)))
                .withColumn(ClassRanks.RANK, functions.udf(
                        (UDF1<Long, Long>) r -> picker.rank(picker.classSlot(r), r), DataTypes.LongType)
                        .apply(functions.col(rowIdCol)));
        // The partner side under its own names, so that the join of two frames of one lineage is unambiguous.
        Dataset<Row> ranked = ClassRanks.rank(train, labelCol, functions.col(rowIdCol));
        List<Column> partner = new ArrayList<>();
        for (String name : train.columns()) {
            partner.add(functions.col(name).as(PARTNER + name));
        }
        partner.add(functions.col(ClassRanks.RANK).as(PARTNER + ClassRanks.RANK));
        Dataset<Row> partners = ranked.select(partner.toArray(new Column[0]));
        Column match = functions.col(PARTNER + labelCol).equalTo(functions.col(CLASS))
                .and(functions.col(PARTNER + ClassRanks.RANK).equalTo(functions.col(ClassRanks.RANK)));
        List<Column> out = new ArrayList<>();
        for (String name : train.columns()) {
            out.add(functions.col(name));
        }
        for (String name : train.columns()) {
            out.add(functions.col(PARTNER + name));
        }
        return picks.join(partners, match).select(out.toArray(new Column[0]));
    }

    private ClassStats stats(Dataset<Row> train) {
        ClassStats stats = ClassStats.of(train, labelCol, rowIdCol);
        if (stats.classes() == 0) {
            throw new IllegalArgumentException(mode.name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + " sampling of an empty training set");
        }
        return stats;
    }

    /** Draw number {@code key} of one epoch: a class slot, then a rank within that class. */
    private static final class Picker implements Serializable {
        private static final long serialVersionUID = 1L;
        final int[] classes;
        private final double[] cumulative;
        private final long[] sizes;
        private final long seed;
        private final int epoch;
        private final long stream;

        Picker(Map<Integer, Double> p, ClassStats stats, long seed, int epoch, long stream) {
            classes = p.keySet().stream().mapToInt(Integer::intValue).toArray();
            cumulative = new double[classes.length];
            sizes = new long[classes.length];
            double acc = 0;
            for (int i = 0; i < classes.length; i++) {
                acc += p.get(classes[i]);
                cumulative[i] = acc;
                sizes[i] = stats.count(classes[i]);
            }
            this.seed = seed;
            this.epoch = epoch;
            this.stream = stream;
        }

        int classSlot(long key) {
            double u = RowRandom.uniform(RowRandom.hash(seed, RowRandom.EPOCH_CLASS, epoch, key, stream));
            int i = 0;
            while (i < classes.length - 1 && u >= cumulative[i]) {
                i++;
            }
            return i;
        }

        long rank(int slot, long key) {
            return RowRandom.below(sizes[slot], RowRandom.hash(seed, RowRandom.EPOCH_ROW, epoch, key, stream));
        }
    }
}
