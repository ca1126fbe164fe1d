package org.counterweight.resample;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.counterweight.resample.knn.NeighbourRows;
import org.counterweight.resample.knn.NeighbourSearch;

/**
 * How many of a row's m nearest rows of the whole data (itself excluded) belong to another class:
 * ADASYN's density ratio and Borderline-SMOTE's danger test, one class against the rest as in
 * imbalanced-learn 0.10 ({@code y[nns] != class_sample}).
 */
final class OtherClassNeighbours {
    /** The count column of {@link #count}. */
    static final String COUNT = "_others";

    private OtherClassNeighbours() {
    }

    /**
     * (row id, {@link #COUNT}) for the rows of {@code classRows} with at least one neighbour of
     * another class; rows without one are absent (their count is 0).
     *
     * @param classRows (row id, features) of one class
     * @param allRows   (row id, features) of every class
     * @param search    a nearest-neighbour search with the self excluded
     */
    static Dataset<Row> count(Dataset<Row> classRows, Dataset<Row> allRows, long classCount, long allCount, int dim,
                              NeighbourSearch search) {
        String id = classRows.columns()[0];
        Dataset<Row> nn = search.search(classRows, allRows, classCount, allCount, dim)
                .select(functions.col(NeighbourRows.ID),
                        functions.explode(functions.col(NeighbourRows.NEIGHBOUR_IDS)).as("_neighbour"));
        Dataset<Row> sameClass = classRows.select(functions.col(id).as("_same"));
        return nn.join(sameClass, nn.col("_neighbour").equalTo(sameClass.col("_same")), "left_anti")
                .groupBy(functions.col(NeighbourRows.ID).as(id))
                .agg(functions.count(functions.lit(1)).cast("int").as(COUNT));
    }
}
