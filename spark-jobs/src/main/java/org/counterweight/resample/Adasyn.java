package org.counterweight.resample;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.data.DataException;
import org.counterweight.resample.knn.NeighbourOrder;
import org.counterweight.resample.knn.NeighbourRows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code adasyn} (He, Bai, Garcia &amp; Li, IJCNN 2008; METHODS.md §1), as imbalanced-learn 0.10's
 * {@code ADASYN}. For each targeted class c with G = target − n_c rows to add:
 * <ol>
 *   <li>r_i = (rows of another class among row i's {@code nNeighbors} nearest rows of the whole
 *       data, itself excluded) / nNeighbors, one class against the rest;</li>
 *   <li>g_i = rint(r_i / Σr · G), computed as imbalanced-learn does in float64 (the sum is
 *       {@code np.sum}'s, {@link NumpySum}; {@code rint} rounds halves to even). The class gains
 *       Σg_i rows, which may differ from G by the rounding: imbalanced-learn does not correct it;</li>
 *   <li>row i seeds g_i synthetic rows {@code x + u (x̂ − x)} ({@link Interpolation}), x̂ one of its
 *       {@code nNeighbors} nearest rows of class c, u ∈ [0, 1); draw j of row i takes its
 *       neighbour and u from hashes of (seed, row id, j), so nothing depends on partitioning.</li>
 * </ol>
 * All r_i = 0 (no row of c has another class nearby) is an error, as in imbalanced-learn, and so
 * is Σg_i = 0.
 */
public class Adasyn extends KnnResampler {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Adasyn.class);
    private static final String ROWS = "_g";
    private static final String BEFORE = "_before";

    private final IntParam nNeighbors;

    public Adasyn() {
        this(null);
    }

    public Adasyn(String uid) {
        super("adasyn", SamplerKind.OVER, uid);
        nNeighbors = new IntParam(this, "nNeighbors",
                "nearest neighbours for the density ratio (any class) and the interpolation (same class)",
                ParamValidators.gtEq(1));
        setDefault(nNeighbors, 5);
    }

    @Override
    protected void checkCounts(ClassStats stats, SortedMap<Integer, Long> targets) {
        requireMoreRows(stats, targets.keySet(), getNNeighbors(), "n-neighbors");
    }

    @Override
    protected Dataset<Row> resample(Dataset<Row> data, ClassStats stats, SortedMap<Integer, Long> targets) {
        SortedMap<Integer, Long> adds = Draws.additions(stats, targets);
        int d = dimension(data);
        Dataset<Row> all = idAndFeatures(data);
        long nextId = stats.maxRowId() + 1;
        Dataset<Row> draws = null;
        for (int c : adds.keySet()) {
            Dataset<Row> classRows = idAndFeatures(data.filter(isClass(c)));
            Seeds seeds = seeds(c, classRows, all, stats, adds.get(c), d);
            LOG.info("adasyn: class {} gains {} rows ({} asked; rint of each row's share) from {} seed rows",
                    className(c), seeds.total(), adds.get(c), seeds.count());
            draws = draws == null ? classDraws(c, seeds, classRows, stats.count(c), d, nextId)
                    : draws.union(classDraws(c, seeds, classRows, stats.count(c), d, nextId));
            nextId += seeds.total();
        }
        return data.unionByName(new Interpolation(this).rows(data, draws));
    }

    /**
     * Class c's seed rows: (row id, {@link ClassRanks#RANK}, g_i &gt; 0), with Σg_i and their number.
     */
    private record Seeds(Dataset<Row> rows, long total, long count) {
    }

    private Seeds seeds(int c, Dataset<Row> classRows, Dataset<Row> all, ClassStats stats, long add, int d) {
        int k = getNNeighbors();
        long nc = stats.count(c);
        String id = getRowIdCol();
        Dataset<Row> others = OtherClassNeighbours.count(classRows, all, nc, stats.total(), d,
                search("class " + className(c) + " density ratio", k, NeighbourOrder.NEAREST, true, false));
        // A row's position in imbalanced-learn's X_class is its rank in row-id order.
        Dataset<Row> ranked = ClassRanks.rank(classRows.select(functions.col(id), functions.lit(c).as("_c")), "_c",
                functions.col(id));
        Dataset<Row> ratios = ranked.join(others, id)
                .select(functions.col(id), functions.col(ClassRanks.RANK), functions.col(OtherClassNeighbours.COUNT))
                .persist(StorageLevel.MEMORY_AND_DISK()); // summed, counted, then drawn from
        double sum = NumpySum.of(ratios.select(functions.col(ClassRanks.RANK),
                functions.col(OtherClassNeighbours.COUNT).cast("double").divide((double) k).as("_ratio")), nc);
        if (sum == 0) {
            throw new DataException("adasyn: no row of class " + className(c) + " has a row of another class among its"
                    + " n-neighbors=" + k + " nearest rows, so every density ratio is 0 (imbalanced-learn: 'Not any"
                    + " neigbours belong to the majority class'); ADASYN does not suit this data, use smote");
        }
        long[] perCount = rowsPerCount(k, sum, add);
        long[] histogram = new long[k + 1];
        for (Row r : ratios.groupBy(OtherClassNeighbours.COUNT).count().collectAsList()) {
            histogram[r.getInt(0)] = r.getLong(1);
        }
        long total = 0;
        long count = 0;
        for (int m = 1; m <= k; m++) {
            total += histogram[m] * perCount[m];
            count += perCount[m] > 0 ? histogram[m] : 0;
        }
        if (total == 0) {
            throw new DataException("adasyn: class " + className(c) + ": rounding the density ratios leaves no row to"
                    + " generate (imbalanced-learn: 'No samples will be generated with the provided ratio settings')");
        }
        Column g = functions.lit(0L);
        for (int m = k; m >= 1; m--) {
            g = functions.when(functions.col(OtherClassNeighbours.COUNT).equalTo(m), perCount[m]).otherwise(g);
        }
        Dataset<Row> rows = ratios.select(functions.col(id), functions.col(ClassRanks.RANK), g.as(ROWS))
                .filter(functions.col(ROWS).gt(0));
        return new Seeds(rows, total, count);
    }

    /** (row id, g_i) of every seed row of the classes the strategy makes grow (for tests and diagnostics). */
    Dataset<Row> seedCounts(Dataset<Row> data) {
        ClassStats stats = ClassStats.of(data, getLabelCol(), getRowIdCol());
        SortedMap<Integer, Long> adds = Draws.additions(stats, targets(data));
        Dataset<Row> all = idAndFeatures(data);
        Dataset<Row> out = null;
        for (int c : adds.keySet()) {
            Dataset<Row> rows = seeds(c, idAndFeatures(data.filter(isClass(c))), all, stats, adds.get(c), dimension(data))
                    .rows().select(getRowIdCol(), ROWS);
            out = out == null ? rows : out.union(rows);
        }
        return out;
    }

    /**
     * g for a row with m = 0..k other-class neighbours: {@code np.rint((m / k) / sum * G)} in
     * imbalanced-learn's operation order ({@code ratio_nn /= np.sum(ratio_nn)}, then {@code * n_samples}).
     */
    static long[] rowsPerCount(int k, double sum, long g) {
        long[] out = new long[k + 1];
        for (int m = 1; m <= k; m++) {
            out[m] = (long) Math.rint((((double) m / k) / sum) * g);
        }
        return out;
    }

    /** The draws of class c: g_i per seed row, numbered from {@code firstId} in row-id order. */
    private Dataset<Row> classDraws(int c, Seeds seeds, Dataset<Row> classRows, long nc, int d, long firstId) {
        String id = getRowIdCol();
        long seed = getSeed();
        // A seed's draws are numbered after those of every seed before it in row-id order.
        Dataset<Row> numbered = seeds.rows().withColumn(BEFORE, functions.sum(ROWS).over(Window.partitionBy(functions.lit(c))
                .orderBy(ClassRanks.RANK).rowsBetween(Window.unboundedPreceding(), Window.currentRow()))
                .minus(functions.col(ROWS)));
        Dataset<Row> seedRows = classRows.join(numbered.select(id), id);
        Dataset<Row> nn = search("class " + className(c), getNNeighbors(), NeighbourOrder.NEAREST, true, true)
                .search(seedRows, classRows, seeds.count(), nc, d);
        Dataset<Row> bases = numbered.join(seedRows, id).join(nn, functions.col(id).equalTo(nn.col(NeighbourRows.ID)))
                .select(functions.col(id), functions.col(ROWS), functions.col(BEFORE), functions.col(getFeaturesCol()),
                        nn.col(NeighbourRows.VECTORS));
        int k = getNNeighbors();
        JavaRDD<Row> rows = bases.javaRDD().flatMap(r -> {
            long rowId = r.getLong(0);
            long n = r.getLong(1);
            long before = r.getLong(2);
            List<Row> out = new ArrayList<>((int) n);
            for (long j = 0; j < n; j++) {
                out.add(RowFactory.create(firstId + before + j, c, r.get(3), r.get(4),
                        (int) RowRandom.below(k, RowRandom.hash(seed, RowRandom.ADASYN_NEIGHBOUR, rowId, j, 0)),
                        RowRandom.uniform(RowRandom.hash(seed, RowRandom.ADASYN_GAP, rowId, j, 0))));
            }
            return out.iterator();
        });
        return classRows.sparkSession().createDataFrame(rows, new StructType()
                .add(Draws.NEW_ID, DataTypes.LongType, false)
                .add(Interpolation.CLASS, DataTypes.IntegerType, false)
                .add(Interpolation.BASE, bases.schema().apply(getFeaturesCol()).dataType(), false)
                .add(NeighbourRows.VECTORS, bases.schema().apply(NeighbourRows.VECTORS).dataType(), false)
                .add(Interpolation.PICK, DataTypes.IntegerType, false)
                .add(Interpolation.GAP, DataTypes.DoubleType, false));
    }

    public IntParam nNeighbors() {
        return nNeighbors;
    }

    public int getNNeighbors() {
        return (Integer) $(nNeighbors);
    }

    public Adasyn setNNeighbors(int v) {
        set(nNeighbors, v);
        return this;
    }
}
