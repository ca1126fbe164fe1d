package org.counterweight.resample;

import java.util.SortedMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.counterweight.resample.knn.NeighbourOrder;
import org.counterweight.resample.knn.NeighbourRows;

/**
 * {@code tomek-links} (Tomek 1976; docs/resampling.md), as imbalanced-learn 0.10's {@code TomekLinks}:
 * rows a and b of different classes form a link when each is the other's nearest neighbour among
 * all rows, any class (itself excluded). Every linked row of a targeted class is removed; the
 * default {@code auto} targets every class but the minority, {@code all} removes both ends of a
 * link. One nearest-neighbour search over all rows with the {@code knn} search
 * ({@link KnnResampler}); distance ties go to the smaller row id.
 */
public class TomekLinks extends CleaningSampler {
    private static final long serialVersionUID = 1L;
    private static final String NEAREST = "_nearest";

    public TomekLinks() {
        this(null);
    }

    public TomekLinks(String uid) {
        super("tomek-links", uid);
    }

    @Override
    protected Dataset<Row> flagged(Dataset<Row> data, ClassStats stats, SortedMap<Integer, Long> targets) {
        Dataset<Row> all = idAndFeatures(data);
        Dataset<Row> nearest = search("nearest neighbours", 1, NeighbourOrder.NEAREST, true, false)
                .search(all, all, stats.total(), stats.total(), dimension(data))
                .select(functions.col(NeighbourRows.ID),
                        functions.element_at(functions.col(NeighbourRows.NEIGHBOUR_IDS), 1).as(NEAREST))
                .join(classes(data), NeighbourRows.ID);
        Dataset<Row> a = nearest.as("a");
        Dataset<Row> b = nearest.as("b");
        Column link = functions.col("a." + NEAREST).equalTo(functions.col("b." + NeighbourRows.ID))
                .and(functions.col("b." + NEAREST).equalTo(functions.col("a." + NeighbourRows.ID)))
                .and(functions.col("a." + CLASS).notEqual(functions.col("b." + CLASS)));
        return a.join(b, link)
                .filter(functions.col("a." + CLASS).isin(targets.keySet().toArray()))
                .select(functions.col("a." + NeighbourRows.ID).as(NeighbourRows.ID));
    }
}
