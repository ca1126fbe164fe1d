package org.counterweight.evaluate.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.counterweight.evaluate.stats.WilcoxonSignedRank.Method;
import org.counterweight.evaluate.stats.WilcoxonSignedRank.Result;
import org.counterweight.evaluate.stats.WilcoxonSignedRank.ZeroMethod;
import org.junit.jupiter.api.Test;

/**
 * The signed-rank test against hand-counted sign patterns and against scipy 1.10.1: exact p-values
 * with ties and zeros from {@code scipy.stats.permutation_test} (all 2^n sign patterns), the normal
 * approximation from {@code scipy.stats.wilcoxon(method='approx')}. Fixtures and how they were made:
 * {@code tools/fixtures/evaluate/make_wilcoxon_holm_fixtures.py} and (wilcoxon.csv)
 * {@code make_fixtures.py}.
 */
class WilcoxonSignedRankTest {
    private static final double[] ZEROS5 = new double[5];

    /**
     * The example: d = 1, 2, 2, 3, 4 (one tie; ranks 1, 2.5, 2.5, 4, 5), all positive.
     * R+ = 15 only when every sign is positive, so p = 2 · 1/32 = 0.0625. The normal approximation
     * gives 2Φ(−7.5 / √(327/24)) = 0.0421682 (scipy: 0.04216819709715596), which would reject at 0.05.
     */
    @Test
    void oneTieAtFivePairsIsExact() {
        double[] x = {1, 2, 2, 3, 4};
        Result r = WilcoxonSignedRank.test(x, ZEROS5);
        assertTrue(r.exact());
        assertEquals(0.0625, r.pValue(), 1e-15);
        assertEquals(0, r.statistic());
        assertEquals(5, r.n());
        Result approx = WilcoxonSignedRank.test(x, ZEROS5, ZeroMethod.PRATT, Method.APPROX);
        assertFalse(approx.exact());
        assertEquals(0.04216819709715596, approx.pValue(), 1e-12);
    }

    /**
     * d = 1, −2, 2, 3, 4: ranks 1, 2.5, 2.5, 4, 5, R+ = 12.5, R− = 2.5. R+ ≥ 12.5 when the negative
     * ranks sum to at most 2.5: none, {1}, either {2.5}: 4 of 32 patterns, p = 2 · 4/32 = 0.25.
     */
    @Test
    void handCountedTieInTheTail() {
        Result r = WilcoxonSignedRank.test(new double[] {1, -2, 2, 3, 4}, ZEROS5);
        assertEquals(2.5, r.statistic());
        assertEquals(0.25, r.pValue(), 1e-15);
    }

    /**
     * d = 0, 0, 1, 2, 3, −4.
     * Wilcoxon: ranks of 1, 2, 3, 4 are 1..4; R+ = 6, R− = 4; of the 16 sign patterns of 1..4, 7
     * have R+ ≥ 6 (sums 6, 6, 7, 7, 8, 9, 10), so p = 14/16 = 0.875.
     * Pratt: |d| = 0, 0, 1, 2, 3, 4 ranks 1.5, 1.5, 3, 4, 5, 6; R+ = 3 + 4 + 5 = 12, R− = 6; of the
     * 16 sign patterns of 3, 4, 5, 6 (total 18), R+ ≥ 12 when the negatives sum to ≤ 6: none, {3},
     * {4}, {5}, {6}: p = 10/16 = 0.625.
     */
    @Test
    void zerosUnderBothZeroMethods() {
        double[] x = {0, 0, 1, 2, 3, -4};
        double[] y = new double[6];
        Result wilcox = WilcoxonSignedRank.test(x, y, ZeroMethod.WILCOX);
        assertEquals(4, wilcox.statistic());
        assertEquals(0.875, wilcox.pValue(), 1e-15);
        Result pratt = WilcoxonSignedRank.test(x, y, ZeroMethod.PRATT);
        assertEquals(6, pratt.statistic());
        assertEquals(0.625, pratt.pValue(), 1e-15);
        for (Result r : new Result[] {wilcox, pratt}) {
            assertEquals(4, r.n());
            assertEquals(2, r.zeros());
            assertTrue(r.exact());
        }
        assertEquals(ZeroMethod.PRATT, WilcoxonSignedRank.test(x, y).zeroMethod(), "the default");
    }

    /**
     * 15 wins, 40 draws, 15 losses, all of size 1 (scipy gh-10223, where an uncorrected Pratt
     * approximation gave p = 0.015): R+ = R−, the centre of a symmetric distribution, so p = 1.
     */
    @Test
    void balancedWinsAndLossesAmongManyZerosGiveOne() {
        double[] d = new double[70];
        for (int i = 0; i < 15; i++) {
            d[i] = 1;
            d[69 - i] = -1;
        }
        double[] zeros = new double[70];
        for (ZeroMethod zm : ZeroMethod.values()) {
            for (Method m : Method.values()) {
                Result r = WilcoxonSignedRank.test(d, zeros, zm, m);
                assertEquals(1.0, r.pValue(), 1e-12, zm + " " + m);
                assertEquals(30, r.n());
                assertEquals(40, r.zeros());
            }
        }
    }

    /** With N datasets all won by the method, p = 2 / 2^N: 0.0625 for 5 datasets, 0.03125 for 6. */
    @Test
    void acrossDatasetsIsTheSignedRankTestOnMeans() {
        double[] baseline = {0.70, 0.80, 0.65, 0.90, 0.75, 0.60};
        double[] method = {0.72, 0.85, 0.66, 0.93, 0.79, 0.61};
        Result six = WilcoxonSignedRank.acrossDatasets(method, baseline);
        assertEquals(0.03125, six.pValue(), 1e-15);
        assertTrue(six.exact());
        Result five = WilcoxonSignedRank.acrossDatasets(
                Arrays.copyOf(method, 5), Arrays.copyOf(baseline, 5));
        assertEquals(0.0625, five.pValue(), 1e-15);
        assertEquals(WilcoxonSignedRank.test(baseline, method), WilcoxonSignedRank.acrossDatasets(baseline, method));
    }

    @Test
    void allZeroDifferencesHaveNoPValue() {
        Result r = WilcoxonSignedRank.test(new double[] {1, 2}, new double[] {1, 2});
        assertEquals(0, r.n());
        assertEquals(2, r.zeros());
        assertTrue(Double.isNaN(r.pValue()));
    }

    @Test
    void rejectsUnpairedOrNonFiniteSamples() {
        assertThrows(IllegalArgumentException.class, () -> WilcoxonSignedRank.test(new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class,
                () -> WilcoxonSignedRank.test(new double[] {1, Double.NaN}, new double[] {0, 0}));
    }

    /** Exact p-values with ties and zeros: scipy's full enumeration (n ≤ 25) and exact counts (26..50). */
    @Test
    void exactWithTiesAndZerosMatchesFixture() {
        int rows = 0;
        int withZeros = 0;
        for (String[] r : StatsFixtures.rows("wilcoxon_exact.csv")) {
            ZeroMethod zm = ZeroMethod.valueOf(r[2].toUpperCase());
            Result res = WilcoxonSignedRank.test(StatsFixtures.numbers(r[0]), StatsFixtures.numbers(r[1]), zm);
            String what = r[7] + " " + zm + " n=" + r[3];
            assertTrue(res.exact(), what);
            assertEquals(Integer.parseInt(r[3]), res.n(), what);
            assertEquals(Integer.parseInt(r[4]), res.zeros(), what);
            assertEquals(Double.parseDouble(r[5]), res.statistic(), 1e-9, what);
            assertEquals(Double.parseDouble(r[6]), res.pValue(), 1e-12, what);
            rows++;
            withZeros += res.zeros() > 0 ? 1 : 0;
        }
        assertTrue(rows >= 60 && withZeros >= 20, rows + " rows, " + withZeros + " with zeros");
    }

    /** The normal approximation (tie correction, Cureton's for Pratt's zeros); AUTO uses it above 50. */
    @Test
    void approximationMatchesScipy() {
        for (String[] r : StatsFixtures.rows("wilcoxon_approx.csv")) {
            double[] x = StatsFixtures.numbers(r[0]);
            double[] y = StatsFixtures.numbers(r[1]);
            ZeroMethod zm = ZeroMethod.valueOf(r[2].toUpperCase());
            Result res = WilcoxonSignedRank.test(x, y, zm, Method.APPROX);
            assertEquals(Double.parseDouble(r[3]), res.statistic(), 1e-9);
            assertEquals(Double.parseDouble(r[4]), res.pValue(), 1e-12);
            assertEquals(res.n() <= WilcoxonSignedRank.EXACT_MAX_N, WilcoxonSignedRank.test(x, y, zm).exact());
            if (res.n() > WilcoxonSignedRank.EXACT_MAX_N) {
                assertEquals(res, WilcoxonSignedRank.test(x, y, zm));
            }
        }
    }

    /** The earlier scipy fixture (zeros dropped): untied exact cases and two normal approximations. */
    @Test
    void earlierScipyFixtureWithItsMethods() {
        for (String[] r : StatsFixtures.rows("wilcoxon.csv")) {
            Method m = r[2].equals("exact") ? Method.EXACT : Method.APPROX;
            Result res = WilcoxonSignedRank.test(StatsFixtures.numbers(r[0]), StatsFixtures.numbers(r[1]),
                    ZeroMethod.WILCOX, m);
            assertEquals(Double.parseDouble(r[3]), res.statistic(), 1e-9);
            assertEquals(Double.parseDouble(r[4]), res.pValue(), 1e-9);
        }
    }
}
