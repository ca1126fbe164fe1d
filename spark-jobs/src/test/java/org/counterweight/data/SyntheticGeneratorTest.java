package org.counterweight.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.Test;

class SyntheticGeneratorTest {
    private final SparkSession spark = SparkTestSupport.spark();

    @Test
    void geometricProfileHasTheRequestedRatioAndExactTotal() {
        // Cui et al. (2019) long-tail profile: 10 classes, ratio 100, n_max 5000 gives
        // 5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50 (METHODS §6) when the total matches.
        long[] n = new SyntheticGenerator().rows(12_406).classes(10).imbalanceRatio(100).classCounts();
        long[] cifar = {5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50};
        for (int k = 0; k < 10; k++) {
            assertTrue(Math.abs(n[k] - cifar[k]) <= 1, "class " + k + ": " + n[k] + " vs " + cifar[k]);
        }
        assertEquals(12_406, java.util.Arrays.stream(n).sum());
        assertArrayEquals(new long[] {909, 91}, new SyntheticGenerator().rows(1000).imbalanceRatio(10).classCounts());
    }

    @Test
    void generatedRowsMatchCountsAndAreIdenticalWhateverThePartitioning() {
        SyntheticGenerator g = new SyntheticGenerator().rows(2000).features(4).classes(3).imbalanceRatio(8).seed(7);
        LabeledFrame one = g.partitions(1).generate(spark);
        LabeledFrame five = g.partitions(5).generate(spark);
        assertArrayEquals(g.classCounts(), one.classCounts());
        List<Row> a = one.frame().orderBy("row_id").collectAsList();
        List<Row> b = five.frame().orderBy("row_id").collectAsList();
        assertEquals(a, b);
        // classes are interleaved, not in blocks: the first 100 rows hold more than one class
        assertTrue(a.subList(0, 100).stream().map(r -> r.getDouble(1)).distinct().count() > 1);
        assertTrue(!a.equals(g.seed(8).partitions(1).generate(spark).frame().orderBy("row_id").collectAsList()));
    }

    @Test
    void classMeansSitAtTheRequestedSeparation() {
        LabeledFrame d = new SyntheticGenerator().rows(20_000).features(3).classes(2).imbalanceRatio(1).separation(3)
                .seed(1).generate(spark);
        double[][] sum = new double[2][3];
        long[] cnt = new long[2];
        for (Row r : d.frame().collectAsList()) {
            int k = (int) r.getDouble(1);
            double[] x = ((Vector) r.get(0)).toArray();
            for (int j = 0; j < 3; j++) {
                sum[k][j] += x[j];
            }
            cnt[k]++;
        }
        for (int k = 0; k < 2; k++) {
            double norm = 0;
            for (int j = 0; j < 3; j++) {
                double m = sum[k][j] / cnt[k];
                norm += m * m;
            }
            assertEquals(3.0, Math.sqrt(norm), 0.1, "class " + k + " centre distance");
        }
    }

    @Test
    void invalidParametersAreNamed() {
        assertEquals("imbalance-ratio: must be a finite number >= 1.0, got 0.5",
                assertThrows(IllegalArgumentException.class, () -> new SyntheticGenerator().imbalanceRatio(0.5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SyntheticGenerator().classes(1));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SyntheticGenerator().rows(10).classes(5).imbalanceRatio(1000).classCounts()).getMessage().contains("would be empty"));
    }
}
