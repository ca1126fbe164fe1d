package org.counterweight.resample.knn;

import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The one neighbour-search interface every k-NN resampler uses: each query's k nearest (or
 * farthest) reference rows. Implementations: {@link KnnSearch} (exact), {@link ApproxKnnSearch}
 * (k-means tree, cost about n·log n) and {@link KnnPolicy} (picks one of them by the number of
 * distance pairs).
 *
 * <p>Input frames have the id (long) in column 0 and the vector in column 1. The result has the
 * columns of {@link NeighbourRows}: {@code id}, {@code neighbour_ids} (best first),
 * {@code distances} (Euclidean) and, when requested, {@code neighbour_vectors}.
 */
public interface NeighbourSearch extends Serializable {

    /**
     * Finds each query's neighbours among {@code refs}.
     *
     * @param queryCount rows of {@code queries} (known to the caller; decides exact or approximate)
     * @param refCount   rows of {@code refs} (decides broadcast or partitioned search)
     * @param dim        vector length
     */
    Dataset<Row> search(Dataset<Row> queries, Dataset<Row> refs, long queryCount, long refCount, int dim);
}
