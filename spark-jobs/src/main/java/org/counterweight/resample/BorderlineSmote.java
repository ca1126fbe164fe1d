package org.counterweight.resample;

import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.data.DataException;
import org.counterweight.resample.knn.NeighbourOrder;
import org.counterweight.resample.knn.NeighbourRows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code borderline-smote} (Han, Wang &amp; Mao, ICIC 2005; METHODS.md §1), imbalanced-learn 0.10's
 * {@code BorderlineSMOTE}. A row of a targeted class c is in danger when m/2 ≤ m' &lt; m, m' being
 * the rows of another class among its m = {@code mNeighbors} nearest rows of the whole data
 * (itself excluded): a border row, neither safe (m' &lt; m/2) nor noise (m' = m). Only danger rows
 * seed synthetic rows, drawn as SMOTE draws them ({@link Interpolation#uniformDraws}: base
 * uniform among the danger rows, one of its {@code kNeighbors} neighbours, u ∈ [0, 1)):
 * <ul>
 *   <li>kind 1: neighbours within class c, gap u;</li>
 *   <li>kind 2: neighbours among all rows; gap u towards a row of class c and u/2 towards a row of
 *       another class, so the synthetic row stays nearer its own class. This is the paper's
 *       borderline-SMOTE2 and imbalanced-learn's since 0.11 (PRs #1023, #1027): 0.10's kind 2 indexed
 *       the other classes' rows by the positions of the danger row's same-class neighbours (issue
 *       #846), i.e. interpolated towards unrelated rows, and split the rows between the two halves
 *       by a Beta(10, 10) draw that often added one row fewer than the target.</li>
 * </ul>
 * A class with no danger row gains no rows (logged), as in imbalanced-learn.
 */
public class BorderlineSmote extends KnnResampler {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BorderlineSmote.class);

    private final IntParam kind;
    private final IntParam kNeighbors;
    private final IntParam mNeighbors;

    public BorderlineSmote() {
        this(null);
    }

    public BorderlineSmote(String uid) {
        super("borderline-smote", SamplerKind.OVER, uid);
        kind = new IntParam(this, "kind", "borderline-SMOTE 1 (same-class neighbours) or 2 (neighbours of any class)",
                ParamValidators.inRange(1, 2));
        kNeighbors = new IntParam(this, "kNeighbors", "nearest neighbours to interpolate towards",
                ParamValidators.gtEq(1));
        mNeighbors = new IntParam(this, "mNeighbors", "nearest neighbours (any class) deciding whether a row is in danger",
                ParamValidators.gtEq(1));
        setDefault(kind, 1);
        setDefault(kNeighbors, 5);
        setDefault(mNeighbors, 10);
    }

    @Override
    protected void checkCounts(ClassStats stats, SortedMap<Integer, Long> targets) {
        requireMoreRows(stats, targets.keySet(), getKNeighbors(), "k-neighbors");
        if (stats.total() <= getMNeighbors()) {
            throw new DataException("borderline-smote: m-neighbors=" + getMNeighbors() + " needs at least "
                    + (getMNeighbors() + 1) + " rows, the data has " + stats.total() + "; use --m-neighbors "
                    + (stats.total() - 1) + " or less");
        }
    }

    @Override
    protected Dataset<Row> resample(Dataset<Row> data, ClassStats stats, SortedMap<Integer, Long> targets) {
        SortedMap<Integer, Long> adds = Draws.additions(stats, targets);
        int m = getMNeighbors();
        int k = getKNeighbors();
        int d = dimension(data);
        String id = getRowIdCol();
        Dataset<Row> all = idAndFeatures(data);
        Dataset<Row> bases = null;
        SortedMap<Integer, Long> dangerCounts = new TreeMap<>();
        SortedMap<Integer, Long> growing = new TreeMap<>();
        for (int c : adds.keySet()) {
            Dataset<Row> classRows = idAndFeatures(data.filter(isClass(c)));
            Dataset<Row> danger = dangerRows(c, classRows, all, stats, d)
                    .persist(StorageLevel.MEMORY_AND_DISK()); // counted, then searched and drawn from
            long n = danger.count();
            if (n == 0) {
                LOG.warn("borderline-smote: class {} has no row in danger (m-neighbors={}); it gains no rows",
                        className(c), m);
                continue;
            }
            LOG.info("borderline-smote: class {}: {} of {} rows in danger seed {} rows", className(c), n,
                    stats.count(c), adds.get(c));
            dangerCounts.put(c, n);
            growing.put(c, adds.get(c));
            Dataset<Row> refs = getKind() == 1 ? classRows : all;
            long refCount = getKind() == 1 ? stats.count(c) : stats.total();
            Dataset<Row> classBases = Interpolation.bases(c, danger, refs, n, refCount, d,
                    search("class " + className(c), k, NeighbourOrder.NEAREST, true, true));
            bases = bases == null ? classBases : bases.union(classBases);
        }
        if (bases == null) {
            return data;
        }
        if (getKind() == 2) {
            // Persisted: read twice (the neighbours' labels, then the draws); recomputing would search again.
            bases = withSteps(bases.persist(StorageLevel.MEMORY_AND_DISK()), data);
        }
        Dataset<Row> draws = Interpolation.uniformDraws(bases, dangerCounts, growing, k, getSeed(), stats.maxRowId() + 1);
        return data.unionByName(new Interpolation(this).rows(data, draws));
    }

    /** The ids of the rows in danger in each class the strategy makes grow (for tests and diagnostics). */
    Dataset<Row> dangerIds(Dataset<Row> data) {
        SortedMap<Integer, Long> targets = targets(data);
        ClassStats stats = ClassStats.of(data, getLabelCol(), getRowIdCol());
        Dataset<Row> all = idAndFeatures(data);
        Dataset<Row> out = null;
        for (int c : Draws.additions(stats, targets).keySet()) {
            Dataset<Row> ids = dangerRows(c, idAndFeatures(data.filter(isClass(c))), all, stats, dimension(data))
                    .select(getRowIdCol());
            out = out == null ? ids : out.union(ids);
        }
        return out;
    }

    /** (row id, features) of class c's rows in danger: m/2 ≤ other-class neighbours &lt; m. */
    private Dataset<Row> dangerRows(int c, Dataset<Row> classRows, Dataset<Row> all, ClassStats stats, int d) {
        int m = getMNeighbors();
        Dataset<Row> others = OtherClassNeighbours.count(classRows, all, stats.count(c), stats.total(), d,
                search("class " + className(c) + " danger", m, NeighbourOrder.NEAREST, true, false));
        // imbalanced-learn compares the count with (m + 1 - 1) / 2 as a float: m/2 exactly.
        Column count = functions.col(OtherClassNeighbours.COUNT);
        Dataset<Row> ids = others.filter(count.multiply(2).geq(m).and(count.lt(m)));
        return classRows.join(ids.select(getRowIdCol()), getRowIdCol());
    }

    /** Kind 2: each base's step factors, 1 towards a neighbour of its own class and 0.5 otherwise. */
    private Dataset<Row> withSteps(Dataset<Row> bases, Dataset<Row> data) {
        Dataset<Row> nb = bases.select(functions.col(Interpolation.CLASS), functions.col(ClassRanks.RANK),
                functions.posexplode(functions.col(NeighbourRows.NEIGHBOUR_IDS)).as(new String[] {"_pos", "_nid"}));
        Dataset<Row> labels = data.select(functions.col(getRowIdCol()).as("_nid"), functions.col(getLabelCol()).as("_label"));
        Dataset<Row> steps = nb.join(labels, "_nid")
                .groupBy(Interpolation.CLASS, ClassRanks.RANK)
                .agg(functions.transform(functions.array_sort(functions.collect_list(functions.struct(
                                functions.col("_pos"), functions.when(functions.col("_label").equalTo(
                                        functions.col(Interpolation.CLASS)), 1.0).otherwise(0.5).as("_step")))),
                        s -> s.getField("_step")).as(Interpolation.STEP));
        return bases.join(steps, bases.col(Interpolation.CLASS).equalTo(steps.col(Interpolation.CLASS))
                        .and(bases.col(ClassRanks.RANK).equalTo(steps.col(ClassRanks.RANK))))
                .drop(steps.col(Interpolation.CLASS)).drop(steps.col(ClassRanks.RANK));
    }

    /** The {@code kind} param (the accessor {@code kind()} is the sampler kind, over or under). */
    public IntParam kindParam() {
        return kind;
    }

    public IntParam kNeighbors() {
        return kNeighbors;
    }

    public IntParam mNeighbors() {
        return mNeighbors;
    }

    public int getKind() {
        return (Integer) $(kind);
    }

    public int getKNeighbors() {
        return (Integer) $(kNeighbors);
    }

    public int getMNeighbors() {
        return (Integer) $(mNeighbors);
    }

    public BorderlineSmote setKind(int v) {
        set(kind, v);
        return this;
    }

    public BorderlineSmote setKNeighbors(int v) {
        set(kNeighbors, v);
        return this;
    }

    public BorderlineSmote setMNeighbors(int v) {
        set(mNeighbors, v);
        return this;
    }
}
