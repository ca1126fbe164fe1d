package org.counterweight.resample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.Columns;
import org.counterweight.data.DataException;
import org.counterweight.resample.knn.NeighbourRows;
import org.counterweight.resample.knn.NeighbourSearch;
import org.counterweight.resample.knn.NeighbourOrder;

/**
 * {@code smote} (Chawla et al., JAIR 2002; METHODS.md §1). For each targeted class c, every row's
 * {@code kNeighbors} nearest rows of class c (exact Euclidean distance, itself excluded) are
 * found with the {@code knn} search ({@link KnnResampler}). Synthetic row j of class c takes the base row of rank
 * {@code below(n_c, hash(seed, c, j))} (uniform with replacement, rank in row-id order), one
 * of its k neighbours uniformly, and {@code u ∈ [0, 1)}; it is {@code x + u (x̂ − x)}. Exactly
 * {@code target − n_c} rows are added per class; originals are kept. Synthetic rows carry the
 * class label, a fresh row id, {@link Columns#SYNTHETIC} = true and null in any extra column
 * (they have no source row to copy it from).
 */
public class Smote extends KnnResampler {
    private static final long serialVersionUID = 1L;
    private static final String CLASS = "_class";
    private static final String PICK = "_pick";
    private static final String GAP = "_gap";

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
        int k = getKNeighbors();
        for (int c : targets.keySet()) {
            long n = stats.count(c);
            if (n <= k) {
                throw new DataException("smote: class " + className(c) + " has " + n + " row(s), but k-neighbors=" + k
                        + " needs at least " + (k + 1) + (n > 1 ? "; use --k-neighbors " + (n - 1) + " or less"
                        : "; a class with one row cannot be interpolated (use random-over)"));
            }
        }
    }

    @Override
    protected Dataset<Row> resample(Dataset<Row> data, ClassStats stats, SortedMap<Integer, Long> targets) {
        SortedMap<Integer, Long> adds = Draws.additions(stats, targets);
        int k = getKNeighbors();
        int d = dimension(data);
                Dataset<Row> bases = null;
        Map<Integer, Long> growing = new TreeMap<>();
        for (int c : adds.keySet()) {
            growing.put(c, stats.count(c));
            Dataset<Row> rows = idAndFeatures(data.filter(isClass(c)));
            Dataset<Row> ranked = ClassRanks.rank(rows.withColumn(CLASS, functions.lit(c)), CLASS,
                    functions.col(getRowIdCol()));
            Dataset<Row> nn = search("class " + className(c), k, NeighbourOrder.NEAREST, true, true)
                    .search(rows, rows, stats.count(c), stats.count(c), d);
            Dataset<Row> withNeighbours = ranked.join(nn, ranked.col(getRowIdCol()).equalTo(nn.col(NeighbourRows.ID)))
                    .select(ranked.col(CLASS), ranked.col(ClassRanks.RANK), ranked.col(getFeaturesCol()),
                            nn.col(NeighbourRows.VECTORS));
            bases = bases == null ? withNeighbours : bases.union(withNeighbours);
        }

        long seed = getSeed();
        Draws draws = new Draws(adds, stats.maxRowId() + 1);
        JavaRDD<Row> drawRows = draws.rows(data.sparkSession(), (c, j) -> RowFactory.create(c,
                RowRandom.below(growing.get(c), RowRandom.hash(seed, RowRandom.SMOTE_BASE, c, j, 0)),
                (int) RowRandom.below(k, RowRandom.hash(seed, RowRandom.SMOTE_NEIGHBOUR, c, j, 0)),
                RowRandom.uniform(RowRandom.hash(seed, RowRandom.SMOTE_GAP, c, j, 0))));
        Dataset<Row> drawn = data.sparkSession().createDataFrame(drawRows, new StructType()
                .add(Draws.NEW_ID, DataTypes.LongType, false)
                .add(CLASS, DataTypes.IntegerType, false)
                .add(ClassRanks.RANK, DataTypes.LongType, false)
                .add(PICK, DataTypes.IntegerType, false)
                .add(GAP, DataTypes.DoubleType, false));
        Dataset<Row> joined = drawn.join(bases, drawn.col(CLASS).equalTo(bases.col(CLASS))
                        .and(drawn.col(ClassRanks.RANK).equalTo(bases.col(ClassRanks.RANK))))
                .select(drawn.col(Draws.NEW_ID), drawn.col(CLASS), bases.col(getFeaturesCol()),
                        bases.col(NeighbourRows.VECTORS), drawn.col(PICK), drawn.col(GAP));

        StructType out = syntheticSchema(data.schema());
        String[] names = out.fieldNames();
        String featuresCol = getFeaturesCol();
        String labelCol = getLabelCol();
        String idCol = getRowIdCol();
        org.apache.spark.sql.types.DataType labelType = out.apply(labelCol).dataType();
        JavaRDD<Row> synthetic = joined.javaRDD().map(r -> {
            double[] x = ((Vector) r.get(2)).toArray();
            double[] nbrs = ((Vector) r.get(3)).toArray();
            int pick = r.getInt(4);
            double gap = r.getDouble(5);
            double[] v = new double[x.length];
            for (int t = 0, o = pick * x.length; t < x.length; t++) {
                v[t] = x[t] + gap * (nbrs[o + t] - x[t]);
            }
            Object[] values = new Object[names.length];
            for (int f = 0; f < names.length; f++) {
                if (names[f].equals(featuresCol)) {
                    values[f] = Vectors.dense(v);
                } else if (names[f].equals(labelCol)) {
                    values[f] = labelValue(r.getInt(1), labelType);
                } else if (names[f].equals(idCol)) {
                    values[f] = r.getLong(0);
                } else if (names[f].equals(Columns.SYNTHETIC)) {
                    values[f] = true;
                }
            }
            return RowFactory.create(values);
        });
        return data.unionByName(data.sparkSession().createDataFrame(synthetic, out));
    }

    /** The output schema for synthetic rows: extra columns become nullable (they are null). */
    private StructType syntheticSchema(StructType in) {
        List<StructField> fields = new ArrayList<>();
        for (StructField f : in.fields()) {
            boolean own = f.name().equals(getFeaturesCol()) || f.name().equals(getLabelCol())
                    || f.name().equals(getRowIdCol()) || f.name().equals(Columns.SYNTHETIC);
            fields.add(own ? f : new StructField(f.name(), f.dataType(), true, f.metadata()));
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    /** The class index in the label column's own numeric type. */
    private static Object labelValue(int c, org.apache.spark.sql.types.DataType type) {
        if (type.equals(DataTypes.DoubleType)) {
            return (double) c;
        } else if (type.equals(DataTypes.FloatType)) {
            return (float) c;
        } else if (type.equals(DataTypes.LongType)) {
            return (long) c;
        } else if (type.equals(DataTypes.ShortType)) {
            return (short) c;
        } else if (type.equals(DataTypes.ByteType)) {
            return (byte) c;
        } else if (type.equals(DataTypes.IntegerType)) {
            return c;
        }
        throw new DataException("label column type " + type.simpleString() + " is not supported by smote");
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
