package org.counterweight.resample;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.counterweight.data.DataException;
import org.counterweight.resample.knn.ApproxKnnSearch;
import org.counterweight.resample.knn.KnnMode;
import org.counterweight.resample.knn.KnnPolicy;
import org.counterweight.resample.knn.KnnSearch;
import org.counterweight.resample.knn.NeighbourOrder;
import org.counterweight.resample.knn.NeighbourSearch;

/**
 * A resampler built on neighbour search: adds the search's params, shared by every k-NN method.
 * {@code knn} chooses exact ({@link KnnSearch}), approximate ({@link ApproxKnnSearch}, accuracy
 * set by {@code knnCandidates}) or {@code auto} (exact up to {@code knnExactMaxPairs} distance
 * pairs); {@code broadcastBudgetBytes} decides whether the reference side is broadcast or
 * partitioned; {@code blockRows} bounds the memory of an exact search's task.
 */
public abstract class KnnResampler extends Resampler {
    private static final long serialVersionUID = 1L;

    /**
     * {@code knnCandidates} default: recall@5 0.98 on an 18-dimensional Gaussian class of 17,600
     * rows (SMOTE's minority at 300k SUSY-shaped rows), 0.90 at 58,800, with the tree's 128-row
     * leaves (TreeRecallProbe, docs/resampling.md).
     */
    public static final int DEFAULT_CANDIDATES = 6144;
    /** {@code knnExactMaxPairs} default: about 11 s of CPU for the exact search at 1.14 ns per pair (BENCHMARKS.md). */
    public static final long DEFAULT_EXACT_MAX_PAIRS = 10_000_000_000L;

    private final LongParam broadcastBudgetBytes;
    private final IntParam blockRows;
    private final Param<String> knn;
    private final IntParam knnCandidates;
    private final LongParam knnExactMaxPairs;

    protected KnnResampler(String name, SamplerKind kind, String uid) {
        super(name, kind, uid);
        broadcastBudgetBytes = new LongParam(this, "broadcastBudgetBytes",
                "largest reference side (8 bytes x rows x features) broadcast to every task; larger ones are"
                        + " searched block pair by block pair (approx: cell by cell)", ParamValidators.gtEq(0));
        blockRows = new IntParam(this, "blockRows",
                "rows per distance block (a task holds about 8 x blockRows^2 bytes of distances)",
                ParamValidators.gtEq(1));
        knn = new Param<>(this, "knn", "neighbour search: exact, approx (k-means tree, about n log n) or auto"
                + " (exact up to knnExactMaxPairs query x reference pairs or under " + KnnMode.MIN_REFS_PER_CANDIDATE
                + " x knnCandidates references,"
                + " approx otherwise)", validator(v -> {
                    KnnMode.parse(v);
                    return true;
                }));
        knnCandidates = new IntParam(this, "knnCandidates", "approx: reference rows compared exactly per query"
                + " (the accuracy knob: more is more exact and slower)", ParamValidators.inRange(1, 1 << 24));
        knnExactMaxPairs = new LongParam(this, "knnExactMaxPairs",
                "auto: largest number of query x reference distance pairs searched exactly", ParamValidators.gtEq(0));
        setDefault(broadcastBudgetBytes, 256L << 20);
        setDefault(blockRows, 1024);
        setDefault(knn, KnnMode.AUTO.id());
        setDefault(knnCandidates, DEFAULT_CANDIDATES);
        setDefault(knnExactMaxPairs, DEFAULT_EXACT_MAX_PAIRS);
    }

    /**
     * The search this stage's {@code knn} params choose, with its resources.
     *
     * @param what the search in log lines, e.g. {@code smote class 1}
     */
    protected NeighbourSearch search(String what, int k, NeighbourOrder order, boolean excludeSelf,
                                     boolean keepVectors) {
        return new KnnPolicy(methodName() + " " + what, getKnn(), getKnnExactMaxPairs(), getKnnCandidates(),
                new KnnSearch(k, order, excludeSelf, keepVectors, getBroadcastBudgetBytes(), getBlockRows()),
                new ApproxKnnSearch(k, order, excludeSelf, keepVectors, getBroadcastBudgetBytes(), getKnnCandidates(),
                        getSeed()));
    }

    /**
     * Fails unless every class in {@code classes} has more than {@code k} rows (k neighbours
     * besides itself); the message names the option and the largest usable value.
     *
     * @param option the option's command-line name, e.g. {@code k-neighbors}
     */
    protected void requireMoreRows(ClassStats stats, Iterable<Integer> classes, int k, String option) {
        for (int c : classes) {
            long n = stats.count(c);
            if (n <= k) {
                throw new DataException(methodName() + ": class " + className(c) + " has " + n + " row(s), but " + option
                        + "=" + k + " needs at least " + (k + 1) + (n > 1 ? "; use --" + option + " " + (n - 1) + " or less"
                        : "; a class with one row cannot be interpolated (use random-over)"));
            }
        }
    }

    /** (row id, features) of {@code rows}, the input shape {@link KnnSearch} expects. */
    protected Dataset<Row> idAndFeatures(Dataset<Row> rows) {
        return rows.select(functions.col(getRowIdCol()), functions.col(getFeaturesCol()));
    }

    /** Vector length of the data (reads one row). */
    protected int dimension(Dataset<Row> data) {
        Row first = data.select(getFeaturesCol()).first();
        return ((org.apache.spark.ml.linalg.Vector) first.get(0)).size();
    }

    public LongParam broadcastBudgetBytes() {
        return broadcastBudgetBytes;
    }

    public IntParam blockRows() {
        return blockRows;
    }

    public Param<String> knn() {
        return knn;
    }

    public IntParam knnCandidates() {
        return knnCandidates;
    }

    public LongParam knnExactMaxPairs() {
        return knnExactMaxPairs;
    }

    public KnnMode getKnn() {
        return KnnMode.parse($(knn));
    }

    public int getKnnCandidates() {
        return (Integer) $(knnCandidates);
    }

    public long getKnnExactMaxPairs() {
        return (Long) $(knnExactMaxPairs);
    }

    public KnnResampler setKnn(KnnMode v) {
        set(knn, v.id());
        return this;
    }

    public KnnResampler setKnnCandidates(int v) {
        set(knnCandidates, v);
        return this;
    }

    public KnnResampler setKnnExactMaxPairs(long v) {
        set(knnExactMaxPairs, v);
        return this;
    }

    public long getBroadcastBudgetBytes() {
        return (Long) $(broadcastBudgetBytes);
    }

    public int getBlockRows() {
        return (Integer) $(blockRows);
    }

    public KnnResampler setBroadcastBudgetBytes(long v) {
        set(broadcastBudgetBytes, v);
        return this;
    }

    public KnnResampler setBlockRows(int v) {
        set(blockRows, v);
        return this;
    }
}
