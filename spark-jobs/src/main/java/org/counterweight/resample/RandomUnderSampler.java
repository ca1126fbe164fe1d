package org.counterweight.resample;

import java.util.Map;
import java.util.SortedMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code random-under} (METHODS.md §1): each targeted class keeps a uniform random subset of
 * its target size, without replacement. Every row gets a key hashed from (seed, row id); a class
 * keeps its rows with the smallest keys (ties by row id), which is a uniform subset and does not
 * depend on partitioning.
 */
public class RandomUnderSampler extends Resampler {
    private static final long serialVersionUID = 1L;
    private static final String KEY = "_key";

    public RandomUnderSampler() {
        this(null);
    }

    public RandomUnderSampler(String uid) {
        super("random-under", SamplerKind.UNDER, uid);
    }

    /** Keeps or drops whole rows: defined on any columns, categorical ones included. */
    @Override
    protected boolean acceptsCategorical() {
        return true;
    }

    @Override
    protected Dataset<Row> resample(Dataset<Row> data, ClassStats stats, SortedMap<Integer, Long> targets) {
        Column targeted = functions.col(getLabelCol()).isin(targets.keySet().toArray());
        long seed = getSeed();
        UserDefinedFunction key = functions.udf(
                (UDF1<Long, Long>) id -> RowRandom.hash(seed, RowRandom.UNDER_KEY, id, 0, 0), DataTypes.LongType);
        // Rank narrow rows (id, class, key); the kept ids then select the full rows.
        Dataset<Row> ranked = ClassRanks.rank(data.filter(targeted)
                        .select(functions.col(getRowIdCol()), functions.col(getLabelCol()),
                                key.apply(functions.col(getRowIdCol())).as(KEY)),
                getLabelCol(), functions.col(KEY), functions.col(getRowIdCol()));
        Column keep = functions.lit(false);
        for (Map.Entry<Integer, Long> e : targets.entrySet()) {
            keep = keep.or(isClass(e.getKey()).and(functions.col(ClassRanks.RANK).lt(e.getValue())));
        }
        Dataset<Row> ids = ranked.filter(keep).select(functions.col(getRowIdCol()).as(KEY));
        Dataset<Row> competing = data.filter(targeted);
        Dataset<Row> kept = competing.join(ids, competing.col(getRowIdCol()).equalTo(ids.col(KEY)), "left_semi");
        return data.filter(functions.not(targeted)).unionByName(kept);
    }
}
