package org.counterweight.resample;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.Columns;
import org.counterweight.data.DataException;
import org.counterweight.resample.knn.NeighbourRows;
import org.counterweight.resample.knn.NeighbourSearch;

/**
 * SMOTE's interpolation (Chawla et al., JAIR 2002; METHODS.md §1), shared by {@code smote},
 * {@code borderline-smote} and {@code adasyn}: a synthetic row is {@code x + gap · (x̂ − x)} for a
 * base row x and one of its neighbours x̂. Synthetic rows carry the class label, a fresh row id,
 * {@link Columns#SYNTHETIC} = true and null in any extra column (they have no source row).
 *
 * <p>Two ways to choose the base rows: {@link #uniformDraws} (SMOTE, Borderline-SMOTE: each draw
 * picks a base uniformly) and explicit draws built by the caller (ADASYN: a count per base row).
 */
final class Interpolation implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Columns of the draws {@link #rows} reads, in this order after the new id. */
    static final String CLASS = "_class";
    static final String BASE = "_base";
    static final String PICK = "_pick";
    static final String GAP = "_gap";
    /** Optional base column: per neighbour, the factor its gap is scaled by (Borderline-SMOTE-2). */
    static final String STEP = "_step";

    private final String featuresCol;
    private final String labelCol;
    private final String idCol;
    /** SMOTE-NC: sets the categorical entries by a vote of the neighbours; null for SMOTE. */
    private final CategoryVote vote;

    Interpolation(Resampler r) {
        this(r, null);
    }

    /** SMOTE-NC's interpolation: {@code vote} sets the categorical entries after the continuous ones are interpolated. */
    Interpolation(Resampler r, CategoryVote vote) {
        featuresCol = r.getFeaturesCol();
        labelCol = r.getLabelCol();
        idCol = r.getRowIdCol();
        this.vote = vote;
    }

    /**
     * The bases of class {@code c} for {@link #uniformDraws}: {@code baseRows} (row id, features)
     * ranked by row id, each with its neighbours' vectors among {@code refs} (self excluded).
     *
     * @param search a {@code keepVectors} search of the k neighbours
     */
    static Dataset<Row> bases(int c, Dataset<Row> baseRows, Dataset<Row> refs, long baseCount, long refCount, int dim,
                              NeighbourSearch search) {
        String id = baseRows.columns()[0];
        Dataset<Row> ranked = ClassRanks.rank(baseRows.withColumn(CLASS, functions.lit(c)), CLASS, functions.col(id));
        Dataset<Row> nn = search.search(baseRows, refs, baseCount, refCount, dim);
        return ranked.join(nn, ranked.col(id).equalTo(nn.col(NeighbourRows.ID)))
                .select(ranked.col(CLASS), ranked.col(ClassRanks.RANK), ranked.col(baseRows.columns()[1]).as(BASE),
                        nn.col(NeighbourRows.NEIGHBOUR_IDS), nn.col(NeighbourRows.VECTORS));
    }

    /**
     * SMOTE's draws: draw j of class c takes the base of rank {@code below(n_c, h(seed, c, j))}
     * among the class's {@code baseCounts.get(c)} bases (uniform with replacement), neighbour
     * {@code below(k, ·)} and {@code u ∈ [0, 1)} (scaled by the base's {@link #STEP} entry when
     * present), each from its own hash, so nothing depends on partitioning.
     *
     * @param bases      as {@link #bases} returns them, optionally with {@link #STEP}: ranks 0..n-1 per class
     * @param additions  rows to add per class
     * @param firstNewId the first new row id
     * @return the draws {@link #rows} turns into synthetic rows
     */
    static Dataset<Row> uniformDraws(Dataset<Row> bases, SortedMap<Integer, Long> baseCounts,
                                     SortedMap<Integer, Long> additions, int k, long seed, long firstNewId) {
        Draws draws = new Draws(additions, firstNewId);
        SortedMap<Integer, Long> counts = new TreeMap<>(baseCounts);
        JavaRDD<Row> drawRows = draws.rows(bases.sparkSession(), (c, j) -> RowFactory.create(c,
                RowRandom.below(counts.get(c), RowRandom.hash(seed, RowRandom.SMOTE_BASE, c, j, 0)),
                (int) RowRandom.below(k, RowRandom.hash(seed, RowRandom.SMOTE_NEIGHBOUR, c, j, 0)),
                RowRandom.uniform(RowRandom.hash(seed, RowRandom.SMOTE_GAP, c, j, 0))));
        Dataset<Row> drawn = bases.sparkSession().createDataFrame(drawRows, new StructType()
                .add(Draws.NEW_ID, DataTypes.LongType, false)
                .add(CLASS, DataTypes.IntegerType, false)
                .add(ClassRanks.RANK, DataTypes.LongType, false)
                .add(PICK, DataTypes.IntegerType, false)
                .add(GAP, DataTypes.DoubleType, false));
        Dataset<Row> joined = drawn.join(bases, drawn.col(CLASS).equalTo(bases.col(CLASS))
                .and(drawn.col(ClassRanks.RANK).equalTo(bases.col(ClassRanks.RANK))));
        boolean scaled = List.of(bases.columns()).contains(STEP);
        return joined.select(drawn.col(Draws.NEW_ID), drawn.col(CLASS), bases.col(BASE), bases.col(NeighbourRows.VECTORS),
                drawn.col(PICK), scaled ? drawn.col(GAP).multiply(bases.col(STEP).apply(drawn.col(PICK))).as(GAP)
                        : drawn.col(GAP));
    }

    /**
     * The synthetic rows of {@code draws} ({@link Draws#NEW_ID}, {@link #CLASS}, {@link #BASE}
     * vector, {@link NeighbourRows#VECTORS} concatenated, {@link #PICK}, {@link #GAP}) in the schema
     * of {@code data}, extra columns made nullable.
     */
    Dataset<Row> rows(Dataset<Row> data, Dataset<Row> draws) {
        StructType out = syntheticSchema(data.schema());
        String[] names = out.fieldNames();
        String featuresCol = this.featuresCol;
        String labelCol = this.labelCol;
        String idCol = this.idCol;
        CategoryVote vote = this.vote;
        DataType labelType = out.apply(labelCol).dataType();
        JavaRDD<Row> synthetic = draws.javaRDD().map(r -> {
            double[] x = ((Vector) r.get(2)).toArray();
            double[] nbrs = ((Vector) r.get(3)).toArray();
            int pick = r.getInt(4);
            double gap = r.getDouble(5);
            double[] v = new double[x.length];
            for (int t = 0, o = pick * x.length; t < x.length; t++) {
                v[t] = x[t] + gap * (nbrs[o + t] - x[t]);
            }
            if (vote != null) {
                vote.apply(v, nbrs, r.getInt(1), r.getLong(0));
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
        return data.sparkSession().createDataFrame(synthetic, out);
    }

    /** The output schema for synthetic rows: extra columns become nullable (they are null). */
    private StructType syntheticSchema(StructType in) {
        List<StructField> fields = new ArrayList<>();
        for (StructField f : in.fields()) {
            boolean own = f.name().equals(featuresCol) || f.name().equals(labelCol)
                    || f.name().equals(idCol) || f.name().equals(Columns.SYNTHETIC);
            fields.add(own ? f : new StructField(f.name(), f.dataType(), true, f.metadata()));
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    /** The class index in the label column's own numeric type. */
    private static Object labelValue(int c, DataType type) {
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
        throw new DataException("label column type " + type.simpleString() + " is not supported by over-samplers");
    }
}
