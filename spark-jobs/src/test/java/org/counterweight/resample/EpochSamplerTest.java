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
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Per-epoch class-balanced and sqrt sampling (METHODS.md §1) and BBN's reversed sampler (METHODS §4). */
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
                .getMessage().contains("class-balanced, sqrt or reversed"));
    }

    @Test
    void reversedProbabilitiesAreTheNormalisedInverseClassSizes() {
        // Zhou et al. 2020: w_k = n_max / n_k, P_k = w_k / Σ w: here w = 30, 10/3, 1.
        Map<Integer, Double> p = new EpochSampler(EpochSampler.Mode.REVERSED, 1)
                .probabilities(ClassStats.of(Map.of(0, 100L, 1, 900L, 2, 3000L)));
        double z = 30 + 10 / 3.0 + 1;
        assertEquals(30 / z, p.get(0), 1e-15);
        assertEquals(10 / 3.0 / z, p.get(1), 1e-15);
        assertEquals(1 / z, p.get(2), 1e-15);
    }

    /**
     * Partners of three epochs (12,000 draws, fixed seed): their classes pass a chi-square test
     * against P_k ∝ 1/n_k, and within the rarest class every row is equally likely (chi-square over
     * its 100 rows). Critical values at 0.999 from scipy.stats.chi2.ppf: 13.8155 (2 df), 148.230 (99 df).
     */
    @Test
    void reversedPartnersDrawClassesInverselyToTheirSizeAndRowsUniformly() {
        Dataset<Row> train = SparkForTests.blobs(SIZES, 2, 8);
        EpochSampler s = new EpochSampler(EpochSampler.Mode.REVERSED, 3);
        long[] classCounts = new long[3];
        TreeMap<Long, Long> rareRows = new TreeMap<>();
        Map<Long, Row> byId = SparkForTests.byId(train);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Row> pairs = s.partners(train, epoch).collectAsList();
            assertEquals(4000, pairs.size());
            assertEquals(4000, pairs.stream().map(r -> r.getLong(0)).distinct().count(), "every training row once");
            for (Row r : pairs) {
                long partner = r.getLong(5);
                Row source = byId.get(partner);
                assertEquals(source.toString(), RowFactory.create(r.getLong(5), r.getDouble(6), r.get(7), r.get(8), r.get(9))
                        .toString(), "partner columns are the partner row's");
                assertEquals(byId.get(r.getLong(0)).toString(), RowFactory.create(r.getLong(0), r.getDouble(1), r.get(2), r.get(3),
                        r.get(4)).toString(), "the row itself is unchanged");
                int c = (int) r.getDouble(6);
                classCounts[c]++;
                if (c == 0) {
                    rareRows.merge(partner, 1L, Long::sum);
                }
            }
        }
        Map<Integer, Double> p = s.probabilities(ClassStats.of(Map.of(0, 100L, 1, 900L, 2, 3000L)));
        double chi = 0;
        for (int c = 0; c < 3; c++) {
            double expected = 12000 * p.get(c);
            chi += (classCounts[c] - expected) * (classCounts[c] - expected) / expected;
        }
        assertTrue(chi < 13.8155, "class chi-square " + chi + " for " + java.util.Arrays.toString(classCounts));
        assertEquals(100, rareRows.size(), "every row of the rarest class drawn");
        double perRow = classCounts[0] / 100.0;
        double chiRows = 0;
        for (long n : rareRows.values()) {
            chiRows += (n - perRow) * (n - perRow) / perRow;
        }
        assertTrue(chiRows < 148.230, "within-class chi-square " + chiRows);
    }

    @Test
    void reversedPartnersDependOnSeedAndEpochOnlyNotOnPartitioning() {
        Dataset<Row> train = SparkForTests.blobs(SIZES, 2, 8);
        EpochSampler s = new EpochSampler(EpochSampler.Mode.REVERSED, 3);
        List<String> e0 = sorted(s.partners(train, 0).collectAsList());
        assertEquals(e0, sorted(s.partners(train.repartition(5), 0).collectAsList()));
        assertNotEquals(e0, sorted(s.partners(train, 1).collectAsList()));
        assertNotEquals(e0, sorted(new EpochSampler(EpochSampler.Mode.REVERSED, 4).partners(train, 0).collectAsList()));
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
