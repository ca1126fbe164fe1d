package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Per-epoch class-balanced and sqrt sampling (METHODS.md §1). */
class EpochSamplerTest {
    private static final int[] SIZES = {100, 900, 3000};

    @Test
    void classBalancedDrawsEveryClassEquallyOften() {
        Dataset<Row> train = SparkForTests.blobs(SIZES, 2, 8);
        EpochSampler s = new EpochSampler(EpochSampler.Mode.CLASS_BALANCED, 3);
        List<Row> e0 = s.draw(train, 0).collectAsList();
        assertEquals(4000, e0.size());
        TreeMap<Integer, Long> counts = new TreeMap<>();
        e0.forEach(r -> counts.merge((int) r.getDouble(1), 1L, Long::sum));
        checkProportions(counts, Map.of(0, 1 / 3.0, 1, 1 / 3.0, 2, 1 / 3.0));
        // Rows are training rows with all their columns.
        Set<String> trainRows = new HashSet<>();
        train.collectAsList().forEach(r -> trainRows.add(r.toString()));
        e0.forEach(r -> assertTrue(trainRows.contains(r.toString()), r.toString()));
        // The same epoch gives the same draw whatever the partitioning; another epoch another draw.
        assertEquals(sorted(e0), sorted(s.draw(train.repartition(5), 0).collectAsList()));
        assertNotEquals(sorted(e0), sorted(s.draw(train, 1).collectAsList()));
    }

    @Test
    void sqrtDrawsProportionallyToRootOfClassSize() {
        Dataset<Row> train = SparkForTests.blobs(SIZES, 2, 8);
        double z = Math.sqrt(100) + Math.sqrt(900) + Math.sqrt(3000);
        checkProportions(SparkForTests.counts(new EpochSampler(EpochSampler.Mode.parse("sqrt"), 3).draw(train, 0)),
                Map.of(0, 10 / z, 1, 30 / z, 2, Math.sqrt(3000) / z));
    }

    @Test
    void unknownModeIsAnError() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EpochSampler.Mode.parse("balanced"))
                .getMessage().contains("class-balanced or sqrt"));
    }

    /** Each class within 4.5 binomial standard deviations of its expected count. */
    private static void checkProportions(Map<Integer, Long> counts, Map<Integer, Double> p) {
        long n = counts.values().stream().mapToLong(Long::longValue).sum();
        for (Map.Entry<Integer, Double> e : p.entrySet()) {
            double mean = n * e.getValue();
            double sd = Math.sqrt(n * e.getValue() * (1 - e.getValue()));
            long got = counts.getOrDefault(e.getKey(), 0L);
            assertTrue(Math.abs(got - mean) < 4.5 * sd, "class " + e.getKey() + ": " + got + " vs " + mean);
        }
    }

    private static List<String> sorted(List<Row> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.toString()));
        Collections.sort(out);
        return out;
    }
}
