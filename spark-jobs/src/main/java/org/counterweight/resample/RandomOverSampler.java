package org.counterweight.resample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
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
 * {@code random-over} (METHODS.md §1): each targeted class gains {@code target − n_c} bootstrap
 * copies of its own rows, drawn uniformly with replacement. Copy {@code j} of class {@code c}
 * copies the row of rank {@code below(n_c, hash(seed, c, j))} in the class's row-id order, so the
 * draw is independent of partitioning. Copies keep every column, get fresh row ids and are
 * marked {@link Columns#SYNTHETIC}.
 */
public class RandomOverSampler extends Resampler {
    private static final long serialVersionUID = 1L;

    public RandomOverSampler() {
        this(null);
    }

    public RandomOverSampler(String uid) {
        super("random-over", SamplerKind.OVER, uid);
    }

    /** Copies whole rows: defined on any columns, categorical ones included. */
    @Override
    protected boolean acceptsCategorical() {
        return true;
    }

    @Override
    protected Dataset<Row> resample(Dataset<Row> data, ClassStats stats, SortedMap<Integer, Long> targets) {
        SortedMap<Integer, Long> adds = Draws.additions(stats, targets);
        Map<Integer, Long> growing = new TreeMap<>();
        adds.keySet().forEach(c -> growing.put(c, stats.count(c)));
        Dataset<Row> ranked = ClassRanks.rank(
                data.filter(functions.col(getLabelCol()).isin(growing.keySet().toArray())),
                getLabelCol(), functions.col(getRowIdCol()));

        long seed = getSeed();
        Draws draws = new Draws(adds, stats.maxRowId() + 1);
        JavaRDD<Row> drawRows = draws.rows(data.sparkSession(), (c, j) -> RowFactory.create(
                c, RowRandom.below(growing.get(c), RowRandom.hash(seed, RowRandom.OVER_DRAW, c, j, 0))));
        Dataset<Row> drawn = data.sparkSession().createDataFrame(drawRows, new StructType()
                .add(Draws.NEW_ID, DataTypes.LongType, false)
                .add("_class", DataTypes.IntegerType, false)
                .add(ClassRanks.RANK, DataTypes.LongType, false));

        Dataset<Row> joined = drawn.join(ranked, ranked.col(ClassRanks.RANK).equalTo(drawn.col(ClassRanks.RANK))
                .and(ranked.col(getLabelCol()).equalTo(drawn.col("_class"))));
        List<Column> cols = new ArrayList<>();
        for (String f : data.columns()) {
            if (f.equals(getRowIdCol())) {
                cols.add(drawn.col(Draws.NEW_ID).as(f));
            } else if (f.equals(Columns.SYNTHETIC)) {
                cols.add(functions.lit(true).as(f));
            } else {
                cols.add(ranked.col(f));
            }
        }
        return data.unionByName(joined.select(cols.toArray(new Column[0])));
    }
}
