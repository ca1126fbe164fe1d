package org.counterweight.resample;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.resample.knn.NeighbourOrder;
import org.counterweight.resample.knn.NeighbourSearch;

/**
 * {@code smote} (Chawla et al., JAIR 2002; METHODS.md §1). For each targeted class c, every row's
 * {@code kNeighbors} nearest rows of class c (exact Euclidean distance, itself excluded) are
 * found with the {@code knn} search ({@link KnnResampler}). Synthetic row j of class c takes the base row of rank
 * {@code below(n_c, hash(seed, c, j))} (uniform with replacement, rank in row-id order), one
 * of its k neighbours uniformly, and {@code u ∈ [0, 1)}; it is {@code x + u (x̂ − x)}
 * ({@link Interpolation}). Exactly {@code target − n_c} rows are added per class; originals are kept.
 */
public class Smote extends KnnResampler {
    private static final long serialVersionUID = 1L;

    private final IntParam kNeighbors;

    public Smote() {
        this(null);
    }

    public Smote(String uid) {
        this("smote", uid);
    }

    /** A SMOTE stage named {@code name} in messages (combined methods build on it). */
    protected Smote(String name, String uid) {
        super(name, SamplerKind.OVER, uid);
        kNeighbors = new IntParam(this, "kNeighbors", "nearest same-class neighbours to interpolate towards",
                ParamValidators.gtEq(1));
        setDefault(kNeighbors, 5);
    }

    @Override
    protected void checkCounts(ClassStats stats, SortedMap<Integer, Long> targets) {
        requireMoreRows(stats, targets.keySet(), getKNeighbors(), "k-neighbors");
    }

    @Override
    protected Dataset<Row> resample(Dataset<Row> data, ClassStats stats, SortedMap<Integer, Long> targets) {
        SortedMap<Integer, Long> adds = Draws.additions(stats, targets);
        int k = getKNeighbors();
        int d = dimension(data);
        Map<Integer, NeighbourSearch> searches = classSearches(data, adds.keySet(), k, d);
        Dataset<Row> bases = null;
        SortedMap<Integer, Long> baseCounts = new TreeMap<>();
        for (int c : adds.keySet()) {
            baseCounts.put(c, stats.count(c));
            Dataset<Row> rows = idAndFeatures(data.filter(isClass(c)));
            Dataset<Row> classBases = Interpolation.bases(c, rows, rows, stats.count(c), stats.count(c), d,
                    searches.get(c));
            bases = bases == null ? classBases : bases.union(classBases);
        }
        Dataset<Row> draws = Interpolation.uniformDraws(bases, baseCounts, adds, k, getSeed(), stats.maxRowId() + 1);
        return data.unionByName(interpolation(data).rows(data, draws));
    }

    /**
     * Each class's search for its rows' {@code k} nearest rows of the class, itself excluded,
     * keeping the neighbours' feature vectors: Euclidean on the features (SMOTE-NC: its own distance).
     *
     * @param data the whole input; {@code d} its vector length
     */
    Map<Integer, NeighbourSearch> classSearches(Dataset<Row> data, Set<Integer> classes, int k, int d) {
        Map<Integer, NeighbourSearch> out = new TreeMap<>();
        for (int c : classes) {
            out.put(c, search("class " + className(c), k, NeighbourOrder.NEAREST, true, true));
        }
        return out;
    }

    /** How draws become synthetic rows: {@code x + u (x̂ − x)} on every feature (SMOTE-NC: a vote on the categorical ones). */
    Interpolation interpolation(Dataset<Row> data) {
        return new Interpolation(this);
    }

    public IntParam kNeighbors() {
        return kNeighbors;
    }

    public int getKNeighbors() {
        return (Integer) $(kNeighbors);
    }

    public Smote setKNeighbors(int v) {
        set(kNeighbors, v);
        return this;
    }
}
