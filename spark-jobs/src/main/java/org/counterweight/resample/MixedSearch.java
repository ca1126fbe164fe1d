package org.counterweight.resample;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.counterweight.resample.knn.NeighbourRows;
import org.counterweight.resample.knn.NeighbourSearch;
import scala.Tuple2;

/**
 * A neighbour search under SMOTE-NC's distance: the rows are encoded ({@link MixedEncoding}) so
 * that the {@code knn} search's Euclidean distance is SMOTE-NC's, and the neighbours' original
 * feature vectors (category indices, not the encoding) are attached to the result by row id, in
 * neighbour order, as {@link NeighbourRows#VECTORS}.
 */
final class MixedSearch implements NeighbourSearch {
    private static final long serialVersionUID = 1L;

    private final NeighbourSearch inner;
    private final MixedEncoding encoding;

    /** @param inner a search that does not keep vectors */
    MixedSearch(NeighbourSearch inner, MixedEncoding encoding) {
        this.inner = inner;
        this.encoding = encoding;
    }

    @Override
    public Dataset<Row> search(Dataset<Row> queries, Dataset<Row> refs, long queryCount, long refCount, int dim) {
        Dataset<Row> nn = inner.search(encoding.encode(queries), encoding.encode(refs), queryCount, refCount,
                encoding.dim());
        // (neighbour id -> (query's result row, position)), joined with the neighbours' vectors.
        JavaPairRDD<Long, Tuple2<Row, Integer>> wanted = nn.javaRDD().flatMapToPair(r -> {
            List<Long> ids = r.getList(1);
            List<Tuple2<Long, Tuple2<Row, Integer>>> out = new ArrayList<>(ids.size());
            for (int pos = 0; pos < ids.size(); pos++) {
                out.add(new Tuple2<>(ids.get(pos), new Tuple2<>(r, pos)));
            }
            return out.iterator();
        });
        JavaPairRDD<Long, Vector> vectors = refs.javaRDD().mapToPair(r -> new Tuple2<>(r.getLong(0), (Vector) r.get(1)));
        JavaRDD<Row> rows = wanted.join(vectors)
                .mapToPair(t -> new Tuple2<>(t._2()._1()._1().getLong(0), new Tuple2<>(t._2()._1(), t._2()._2())))
                .groupByKey()
                .map(g -> {
                    Row result = null;
                    double[] all = null;
                    for (Tuple2<Tuple2<Row, Integer>, Vector> e : g._2()) {
                        double[] v = e._2().toArray();
                        if (result == null) {
                            result = e._1()._1();
                            all = new double[result.getList(1).size() * v.length];
                        }
                        System.arraycopy(v, 0, all, e._1()._2() * v.length, v.length);
                    }
                    return RowFactory.create(result.get(0), result.get(1), result.get(2), Vectors.dense(all));
                });
        return nn.sparkSession().createDataFrame(rows, nn.schema().add(NeighbourRows.VECTORS, SQLDataTypes.VectorType(), false));
    }
}
