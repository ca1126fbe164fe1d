package org.counterweight.resample.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.resample.SparkForTests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Both Spark strategies of {@link KnnSearch} against {@link BruteForceKnn}. */
class KnnSearchTest {

    @ParameterizedTest
    @CsvSource({
        // budget (0 forces the block-pair search), blockRows, order, k, excludeSelf, partitions
        "1000000000, 16, NEAREST, 5, true, 3",
        "0, 16, NEAREST, 5, true, 3",
        "0, 7, FARTHEST, 3, false, 5",
        "1000000000, 64, FARTHEST, 3, false, 1",
        "0, 1000, NEAREST, 4, false, 2",
    })
    void matchesBruteForce(long budget, int blockRows, NeighbourOrder order, int k, boolean excludeSelf, int parts) {
        SparkSession spark = SparkForTests.get();
        Random rnd = new Random(5);
        int d = 4;
        int nr = 90;
        int nq = 70;
        double[][] ref = new double[nr][d];
        long[] refIds = new long[nr];
        List<Row> refRows = new ArrayList<>();
        for (int j = 0; j < nr; j++) {
            refIds[j] = 3L * j + 1;
            for (int t = 0; t < d; t++) {
                ref[j][t] = rnd.nextInt(4); // lattice: many ties
            }
            refRows.add(RowFactory.create(refIds[j], Vectors.dense(ref[j])));
        }
        Map<Long, double[]> queries = new HashMap<>();
        List<Row> qRows = new ArrayList<>();
        for (int i = 0; i < nq; i++) {
            long id = i < 30 ? refIds[i] : 10_000 + i;
            double[] x = i < 30 ? ref[i] : new double[] {rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(4)};
            queries.put(id, x);
            qRows.add(RowFactory.create(id, Vectors.dense(x)));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("features", SQLDataTypes.VectorType());
        Dataset<Row> refDf = spark.createDataFrame(refRows, schema).repartition(parts);
        Dataset<Row> qDf = spark.createDataFrame(qRows, schema).repartition(parts + 1);

        List<Row> out = new KnnSearch(k, order, excludeSelf, true, budget, blockRows)
                .search(qDf, refDf, nq, nr, d).collectAsList();
        assertEquals(nq, out.size());
        for (Row r : out) {
            long id = r.getLong(0);
            long[] expected = BruteForceKnn.neighbours(queries.get(id), id, ref, refIds, k, order, excludeSelf);
            List<Long> got = r.getList(1);
            List<Double> dist = r.getList(2);
            double[] vecs = ((Vector) r.get(3)).toArray();
            assertEquals(expected.length, got.size());
            for (int n = 0; n < expected.length; n++) {
                assertEquals(expected[n], got.get(n), "query " + id + " neighbour " + n);
                double[] nb = ref[(int) ((got.get(n) - 1) / 3)];
                assertEquals(BruteForceKnn.distance(queries.get(id), nb), dist.get(n), 1e-12);
                assertArrayEquals(nb, java.util.Arrays.copyOfRange(vecs, n * d, n * d + d), 0.0);
            }
        }
    }

    /**
     * A within-set search (the same frame as queries and references, as SMOTE's) gives the
     * brute-force lists, ties included, for both strategies, with and without vectors.
     */
    @ParameterizedTest
    @CsvSource({
        // budget (0 forces the block-pair search), blockRows, order, k, excludeSelf, partitions, keepVectors, offset
        "1000000000, 16, NEAREST, 5, true, 3, true, 0",
        "1000000000, 7, FARTHEST, 3, false, 2, false, 0",
        "1000000000, 1000, NEAREST, 4, false, 1, true, 10000",
        "0, 16, NEAREST, 5, true, 3, true, 10000",
        "0, 9, FARTHEST, 3, true, 4, true, 0",
        "0, 13, NEAREST, 2, false, 1, false, 0",
    })
    void withinSetSearchMatchesBruteForce(long budget, int blockRows, NeighbourOrder order, int k, boolean excludeSelf,
                                          int parts, boolean keepVectors, double offset) {
        SparkSession spark = SparkForTests.get();
        Random rnd = new Random(8);
        int d = 4;
        int n = 150;
        double[][] x = new double[n][d];
        long[] ids = new long[n];
        List<Row> rows = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            ids[j] = 5L * j + 2;
            for (int t = 0; t < d; t++) {
                x[j][t] = offset + rnd.nextInt(4); // lattice: many duplicates and ties
            }
            rows.add(RowFactory.create(ids[j], Vectors.dense(x[j])));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("features", SQLDataTypes.VectorType());
        Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(parts);

        List<Row> out = new KnnSearch(k, order, excludeSelf, keepVectors, budget, blockRows)
                .search(df, df, n, n, d).collectAsList();
        assertEquals(n, out.size());
        for (Row r : out) {
            long id = r.getLong(0);
            double[] q = x[(int) ((id - 2) / 5)];
            long[] expected = BruteForceKnn.neighbours(q, id, x, ids, k, order, excludeSelf);
            List<Long> got = r.getList(1);
            List<Double> dist = r.getList(2);
            assertEquals(expected.length, got.size());
            for (int m = 0; m < expected.length; m++) {
                assertEquals(expected[m], got.get(m), "query " + id + " neighbour " + m);
                double[] nb = x[(int) ((got.get(m) - 2) / 5)];
                assertEquals(BruteForceKnn.distance(q, nb), dist.get(m), 1e-12);
                if (keepVectors) {
                    assertArrayEquals(nb, java.util.Arrays.copyOfRange(((Vector) r.get(3)).toArray(), m * d, m * d + d), 0.0);
                }
            }
            assertEquals(keepVectors ? 4 : 3, r.size());
        }
    }
}
