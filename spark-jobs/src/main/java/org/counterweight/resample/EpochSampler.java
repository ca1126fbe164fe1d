package org.counterweight.resample;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Training-time samplers {@code class-balanced} and {@code sqrt} (METHODS.md §1) and BBN's
 * reversed sampler (METHODS §4), over a training set numbered 0..N-1 (a run's row table, in
 * {@code row_id} order): every epoch a fresh sample of size N, drawn with replacement, in which a
 * row's class is chosen with probability uniform over the classes ({@code class-balanced}),
 * proportional to √n_k ({@code sqrt}) or to w_k = n_max / n_k ({@code reversed}:
 * P_k = w_k / Σ_j w_j, Zhou et al. 2020, §3.2), and the row uniformly within its class.
 *
 * <p>Draw j of epoch e is a pure function of (seed, e, j) and the class sizes ({@link RowRandom}),
 * so every JVM that holds the rows' labels computes the same draw without a Spark job: the trainer
 * deals each epoch's draw from the row table it wrote once. {@link #partners} draws one row for
 * every training row instead, keyed by that row's number (BBN pairs each conventional row with a
 * reversed draw).
 */
public final class EpochSampler implements Serializable {
    private static final long serialVersionUID = 1L;

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

    public EpochSampler(Mode mode, long seed) {
        this.mode = mode;
        this.seed = seed;
    }

    /** Class probabilities for the given counts (classes in index order; classes without rows are left out). */
    public Map<Integer, Double> probabilities(ClassStats stats) {
        Map<Integer, Double> p = new TreeMap<>();
        double total = 0;
        long max = stats.count(stats.majority());
        for (Map.Entry<Integer, Long> e : stats.counts().entrySet()) {
            if (e.getValue() == 0) {
                continue;
            }
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

    /**
     * The sample for {@code epoch}: N row numbers, draw j in position j, for the rows whose class
     * indexes are {@code labels} (row i has class {@code labels[i]}).
     */
    public int[] draw(int[] labels, int epoch) {
        return picks(labels, epoch, 0);
    }

    /**
     * The partner of every row for {@code epoch}: entry i is the row drawn for row i — its class by
     * the mode's probabilities, then a row uniformly within the class — so partners are
     * independent of each other and of the rows they are paired with.
     */
    public int[] partners(int[] labels, int epoch) {
        return picks(labels, epoch, 1);
    }

    /** Draws number 0..N-1 of the epoch's random {@code stream}. */
    private int[] picks(int[] labels, int epoch, long stream) {
        Picker picker = new Picker(labels, epoch, stream);
        int[] out = new int[labels.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = picker.pick(j);
        }
        return out;
    }

    /** Draw number {@code key} of one epoch: a class slot, then a rank within that class, then its row. */
    private final class Picker {
        private final int[] classes;
        private final double[] cumulative;
        private final int[][] members;
        private final int epoch;
        private final long stream;

        Picker(int[] labels, int epoch, long stream) {
            if (labels.length == 0) {
                throw new IllegalArgumentException(mode.name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + " sampling of an empty training set");
            }
            int k = 0;
            for (int y : labels) {
                if (y < 0) {
                    throw new IllegalArgumentException("class index " + y + " is negative");
                }
                k = Math.max(k, y + 1);
            }
            int[] sizes = new int[k];
            for (int y : labels) {
                sizes[y]++;
            }
            int[][] byClass = new int[k][];
            for (int c = 0; c < k; c++) {
                byClass[c] = new int[sizes[c]];
            }
            int[] filled = new int[k];
            for (int i = 0; i < labels.length; i++) {
                byClass[labels[i]][filled[labels[i]]++] = i;
            }
            Map<Integer, Long> counts = new TreeMap<>();
            for (int c = 0; c < k; c++) {
                if (sizes[c] > 0) {
                    counts.put(c, (long) sizes[c]);
                }
            }
            Map<Integer, Double> p = probabilities(ClassStats.of(counts));
            classes = p.keySet().stream().mapToInt(Integer::intValue).toArray();
            cumulative = new double[classes.length];
            members = new int[classes.length][];
            double acc = 0;
            for (int i = 0; i < classes.length; i++) {
                acc += p.get(classes[i]);
                cumulative[i] = acc;
                members[i] = byClass[classes[i]];
            }
            this.epoch = epoch;
            this.stream = stream;
        }

        int pick(long key) {
            double u = RowRandom.uniform(RowRandom.hash(seed, RowRandom.EPOCH_CLASS, epoch, key, stream));
            int i = 0;
            while (i < classes.length - 1 && u >= cumulative[i]) {
                i++;
            }
            int rank = (int) RowRandom.below(members[i].length, RowRandom.hash(seed, RowRandom.EPOCH_ROW, epoch, key, stream));
            return members[i][rank];
        }
    }
}
