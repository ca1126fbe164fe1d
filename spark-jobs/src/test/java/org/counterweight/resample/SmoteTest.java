package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.data.DataException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SMOTE's properties (METHODS.md §1) checked against an independent brute-force kNN: exact counts,
 * originals kept, every synthetic row on the segment from a same-class base row to one of that
 * row's k nearest same-class neighbours, the gap spread over [0, 1), and the same output from
 * the broadcast and the block-pair neighbour search.
 */
class SmoteTest {
    private static final int[] SIZES = {14, 70, 23};
    private static final int K = 4;
    private static Dataset<Row> data;
    private static Dataset<Row> out;

    @BeforeAll
    static void resample() {
        data = SparkForTests.blobs(SIZES, 3, 23);
        out = new Smote().setKNeighbors(K).setSeed(9).resample(data);
    }

    @Test
    void countsAreExactAndOriginalsKept() {
        assertEquals(Map.of(0, 70L, 1, 70L, 2, 70L), SparkForTests.counts(out));
        TreeMap<Long, Row> in = SparkForTests.byId(data);
        TreeMap<Long, Row> res = SparkForTests.byId(out);
        long originals = res.values().stream().filter(r -> !r.<Boolean>getAs("synthetic")).count();
        assertEquals(in.size(), originals);
        for (Row r : in.values()) {
            Row o = res.get(r.getLong(0));
            assertEquals(r.get(2), o.get(2));
            assertEquals(r.get(3), o.get(3));
            assertFalse(o.<Boolean>getAs("synthetic"));
        }
    }

    @Test
    void syntheticRowsLieOnSegmentsToTrueNeighbours() {
        // Brute-force same-class kNN (self excluded, ties by row id) of every original row.
        Map<Integer, List<double[]>> byClass = new HashMap<>();
        Map<Integer, List<Long>> ids = new HashMap<>();
        for (Row r : SparkForTests.byId(data).values()) {
            int c = (int) r.getDouble(1);
            byClass.computeIfAbsent(c, x -> new ArrayList<>()).add(((Vector) r.get(2)).toArray());
            ids.computeIfAbsent(c, x -> new ArrayList<>()).add(r.getLong(0));
        }
        List<Double> gaps = new ArrayList<>();
        int synthetic = 0;
        for (Row r : SparkForTests.byId(out).values()) {
            if (!r.<Boolean>getAs("synthetic")) {
                continue;
            }
            synthetic++;
            assertNull(r.getAs("note"), "extra columns of synthetic rows are null");
            int c = (int) r.getDouble(1);
            double[] s = ((Vector) r.get(2)).toArray();
            List<double[]> rows = byClass.get(c);
            Double gap = null;
            for (int b = 0; b < rows.size() && gap == null; b++) {
                for (int nb : nearest(rows, b, K)) {
                    gap = onSegment(s, rows.get(b), rows.get(nb));
                    if (gap != null) {
                        break;
                    }
                }
            }
            assertTrue(gap != null, "synthetic row " + r.getLong(0) + " is not between a base and its neighbour");
            gaps.add(gap);
        }
        assertEquals(70 - 14 + 70 - 23, synthetic);
        // u ~ U[0,1): no copies of the base beyond chance, mean near 1/2.
        long atBase = gaps.stream().filter(u -> u < 1e-9).count();
        double mean = gaps.stream().mapToDouble(Double::doubleValue).average().orElse(-1);
        assertTrue(atBase == 0, "synthetic rows equal to their base: " + atBase);
        assertTrue(mean > 0.38 && mean < 0.62, "mean gap " + mean);
    }

    /** Indexes of the k nearest rows to row b (self excluded), ties to the earlier row. */
    private static List<Integer> nearest(List<double[]> rows, int b, int k) {
        List<Integer> idx = new ArrayList<>();
        for (int j = 0; j < rows.size(); j++) {
            if (j != b) {
                idx.add(j);
            }
        }
        idx.sort((x, y) -> {
            int cmp = Double.compare(dist2(rows.get(b), rows.get(x)), dist2(rows.get(b), rows.get(y)));
            return cmp != 0 ? cmp : Integer.compare(x, y);
        });
        return idx.subList(0, k);
    }

    /** u if s = b + u (n − b) with u in [0, 1) (to rounding), else null. */
    static Double onSegment(double[] s, double[] b, double[] n) {
        double num = 0;
        double den = 0;
        for (int t = 0; t < s.length; t++) {
            num += (s[t] - b[t]) * (n[t] - b[t]);
            den += (n[t] - b[t]) * (n[t] - b[t]);
        }
        double u = den == 0 ? 0 : num / den;
        if (u < -1e-12 || u >= 1) {
            return null;
        }
        for (int t = 0; t < s.length; t++) {
            if (Math.abs(b[t] + u * (n[t] - b[t]) - s[t]) > 1e-9) {
                return null;
            }
        }
        return u;
    }

    private static double dist2(double[] a, double[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += (a[t] - b[t]) * (a[t] - b[t]);
        }
        return s;
    }

    @Test
    void blockPairSearchGivesTheSameRows() {
        Dataset<Row> viaBlocks = new Smote().setKNeighbors(K).setBroadcastBudgetBytes(0).setBlockRows(6).setSeed(9)
                .resample(data.repartition(3));
        assertEquals(SparkForTests.canonical(out), SparkForTests.canonical(viaBlocks));
    }

    @Test
    void classWithTooFewRowsSuggestsSmallerK() {
        DataException e = assertThrows(DataException.class,
                () -> new Smote().setKNeighbors(14).resample(data));
        assertTrue(e.getMessage().contains("class 0 has 14 row(s)") && e.getMessage().contains("--k-neighbors 13"),
                e.getMessage());
    }
}
