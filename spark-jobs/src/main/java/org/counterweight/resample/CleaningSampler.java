package org.counterweight.resample;

import java.util.SortedMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.counterweight.resample.knn.NeighbourRows;

/**
 * Base of the cleaning samplers (imbalanced-learn's {@code clean-sampling}; docs/resampling.md): the
 * sampling strategy only names the classes to clean ({@link SamplerKind#CLEAN}), and every row
 * of those classes that the subclass's neighbourhood rule flags is removed. Kept rows come out
 * unchanged, extra columns included; nothing is added.
 */
public abstract class CleaningSampler extends KnnResampler {
    private static final long serialVersionUID = 1L;
    /** Class index column of {@link #classes}. */
    protected static final String CLASS = "_class";

    protected CleaningSampler(String name, String uid) {
        super(name, SamplerKind.CLEAN, uid);
    }

    /** Every targeted class is cleaned: a cleaner's targets are not counts to reach. */
    @Override
    protected SortedMap<Integer, Long> changing(ClassStats stats, SortedMap<Integer, Long> targets) {
        return targets;
    }

    @Override
    protected Dataset<Row> resample(Dataset<Row> data, ClassStats stats, SortedMap<Integer, Long> targets) {
        Dataset<Row> removed = flagged(data, stats, targets);
        return data.join(removed, data.col(getRowIdCol()).equalTo(removed.col(NeighbourRows.ID)), "left_anti");
    }

    /**
     * The rows to remove, as one column {@link NeighbourRows#ID} of row ids.
     *
     * @param targets the classes to clean (values are their current counts)
     */
    protected abstract Dataset<Row> flagged(Dataset<Row> data, ClassStats stats, SortedMap<Integer, Long> targets);

    /** (row id as {@link NeighbourRows#ID}, class index as {@link #CLASS}) of {@code rows}. */
    protected Dataset<Row> classes(Dataset<Row> rows) {
        return rows.select(functions.col(getRowIdCol()).as(NeighbourRows.ID),
                functions.col(getLabelCol()).cast("int").as(CLASS));
    }
}
