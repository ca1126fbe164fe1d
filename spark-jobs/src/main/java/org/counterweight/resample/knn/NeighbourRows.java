package org.counterweight.resample.knn;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The result rows every {@link NeighbourSearch} returns, and how a {@link TopK} list becomes one. */
public final class NeighbourRows {
    /** Query id column of the result. */
    public static final String ID = "id";
    /** Neighbour ids, best first. */
    public static final String NEIGHBOUR_IDS = "neighbour_ids";
    /** Euclidean distances, best first. */
    public static final String DISTANCES = "distances";
    /** Neighbour vectors, concatenated into one dense vector (only with {@code keepVectors}). */
    public static final String VECTORS = "neighbour_vectors";

    private NeighbourRows() {
    }

    /** The result schema. */
    static StructType schema(boolean keepVectors) {
        StructType schema = new StructType()
                .add(ID, DataTypes.LongType, false)
                .add(NEIGHBOUR_IDS, DataTypes.createArrayType(DataTypes.LongType, false), false)
                .add(DISTANCES, DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        return keepVectors ? schema.add(VECTORS, SQLDataTypes.VectorType(), false) : schema;
    }

    /** Query {@code q}'s list in {@code top} as a result row for query id {@code id}. */
    static Row of(long id, TopK top, int q, boolean keepVectors) {
        return row(id, top, q, keepVectors ? top.vectors(q) : null);
    }

    private static Row row(long id, TopK top, int q, double[] vectors) {
        int n = top.size(q);
        long[] ids = new long[n];
        double[] dist = new double[n];
        for (int i = 0; i < n; i++) {
            ids[i] = top.id(q, i);
            dist[i] = top.distance(q, i);
        }
        if (vectors == null) {
            return RowFactory.create(id, ids, dist);
        }
        return RowFactory.create(id, ids, dist, Vectors.dense(vectors));
    }
}
