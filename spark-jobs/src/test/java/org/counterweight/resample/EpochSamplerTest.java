package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Per-epoch class-balanced and sqrt sampling (METHODS.md §1) and BBN's reversed sampler (METHODS §4). */
class EpochSamplerTest {

    /** 4,000 rows of classes 0, 1, 2 (sizes {@link #SIZES}), interleaved as a training part would be. */
    private static int[] labels() {
        int[] y = new int[4000];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 40 == 0 ? 0 : i % 40 <= 9 ? 1 : 2;
        }
        return y;
    }

    private static Map<Integer, Long> classCounts(int[] rows, int[] labels) {
        Map<Integer, Long> counts = new TreeMap<>();
        for (int r : rows) {
            counts.merge(labels[r], 1L, Long::sum);
        }
        return counts;
    }

    @Test
    void classBalancedDrawsEveryClassEquallyOften() {
        int[] y = labels();
        assertEquals(Map.of(0, 100L, 1, 900L, 2, 3000L), classCounts(java.util.stream.IntStream.range(0, 4000).toArray(), y));
        EpochSampler s = new EpochSampler(EpochSampler.Mode.CLASS_BALANCED, 3);
        int[] e0 = s.draw(y, 0);
        assertEquals(4000, e0.length);
        assertTrue(Arrays.stream(e0).allMatch(r -> r >= 0 && r < 4000), "draws are rows of the table");
        checkProportions(classCounts(e0, y), Map.of(0, 1 / 3.0, 1, 1 / 3.0, 2, 1 / 3.0));
        // The same epoch gives the same draw; another epoch or seed another draw.
        assertArrayEquals(e0, new EpochSampler(EpochSampler.Mode.CLASS_BALANCED, 3).draw(y, 0));
        assertFalse(Arrays.equals(e0, s.draw(y, 1)));
        assertFalse(Arrays.equals(e0, new EpochSampler(EpochSampler.Mode.CLASS_BALANCED, 4).draw(y, 0)));
    }

    @Test
    void sqrtDrawsProportionallyToRootOfClassSize() {
        int[] y = labels();
        double z = Math.sqrt(100) + Math.sqrt(900) + Math.sqrt(3000);
        checkProportions(classCounts(new EpochSampler(EpochSampler.Mode.parse("sqrt"), 3).draw(y, 0), y),
                Map.of(0, 10 / z, 1, 30 / z, 2, Math.sqrt(3000) / z));
    }

    @Test
    void unknownModeAndEmptyTableAreErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EpochSampler.Mode.parse("balanced"))
                .getMessage().contains("class-balanced, sqrt or reversed"));
        assertEquals("reversed sampling of an empty training set", assertThrows(IllegalArgumentException.class,
                () -> new EpochSampler(EpochSampler.Mode.REVERSED, 1).partners(new int[0], 0)).getMessage());
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
        int[] y = labels();
        EpochSampler s = new EpochSampler(EpochSampler.Mode.REVERSED, 3);
        long[] classCounts = new long[3];
        TreeMap<Integer, Long> rareRows = new TreeMap<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] partners = s.partners(y, epoch);
            assertEquals(4000, partners.length, "a partner for every row");
            for (int partner : partners) {
                int c = y[partner];
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
        assertTrue(chi < 13.8155, "class chi-square " + chi + " for " + Arrays.toString(classCounts));
        assertEquals(100, rareRows.size(), "every row of the rarest class drawn");
        double perRow = classCounts[0] / 100.0;
        double chiRows = 0;
        for (long n : rareRows.values()) {
            chiRows += (n - perRow) * (n - perRow) / perRow;
        }
        assertTrue(chiRows < 148.230, "within-class chi-square " + chiRows);
    }

    @Test
    void reversedPartnersDependOnSeedAndEpochOnly() {
        int[] y = labels();
        EpochSampler s = new EpochSampler(EpochSampler.Mode.REVERSED, 3);
        int[] e0 = s.partners(y, 0);
        assertArrayEquals(e0, new EpochSampler(EpochSampler.Mode.REVERSED, 3).partners(y, 0));
        assertFalse(Arrays.equals(e0, s.partners(y, 1)));
        assertFalse(Arrays.equals(e0, new EpochSampler(EpochSampler.Mode.REVERSED, 4).partners(y, 0)));
        // Partners do not depend on the draws of the same epoch (another random stream).
        assertFalse(Arrays.equals(e0, s.draw(y, 0)));
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
}
