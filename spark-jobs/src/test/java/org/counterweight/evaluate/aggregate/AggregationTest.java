package org.counterweight.evaluate.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.counterweight.evaluate.stats.FriedmanTest;
import org.counterweight.evaluate.stats.Nemenyi;
import org.counterweight.evaluate.stats.Summary;
import org.counterweight.evaluate.stats.WilcoxonSignedRank;
import org.junit.jupiter.api.Test;

/** Summaries, paired tests and ranks over cell values, and the one NaN policy. */
class AggregationTest {
    private static final String M = "balanced_accuracy";

    private static CellValue v(String dataset, String method, long seed, int fold, double value) {
        return new CellValue(dataset, method, seed, fold, M, value);
    }

    @Test
    void summaryIsOverTheFiniteValuesInSeedFoldOrder() {
        List<CellValue> in = new ArrayList<>();
        double[] values = {0.7, 0.71, Double.NaN, 0.69, 0.72, 0.705, 0.699, 0.701, 0.73, 0.68, 0.702, 0.7};
        for (int seed = 0; seed < 12; seed++) {
            in.add(v("d", "ce", seed, 0, values[seed]));
            in.add(v("d", "gone", seed, 0, Double.NaN));
        }
        Collections.shuffle(in, new Random(3));
        Aggregation a = Aggregation.of(in);
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        assertEquals(Summary.of(finite), a.summary("d", "ce", M).orElseThrow(), "11 finite values, summed in seed order");
        assertTrue(a.summary("d", "gone", M).isEmpty(), "no finite value: no summary");
        assertTrue(a.summary("d", "ce", "mcc").isEmpty());
        assertEquals(12, a.cells("d", "gone"), "cells count NaN values too");
        assertEquals(List.of("ce", "gone"), a.ranked("d", M));
    }

    @Test
    void rankedIsBestMeanFirstEqualMeansByName() {
        Aggregation a = Aggregation.of(List.of(v("d", "b", 1, 0, 0.5), v("d", "a", 1, 0, 0.5), v("d", "c", 1, 0, 0.9),
                v("d", "nan", 1, 0, Double.NaN), v("e", "z", 1, 0, 0.1)));
        assertEquals(List.of("c", "a", "b", "nan"), a.ranked("d", M));
        assertEquals(List.of("a", "b", "c", "nan", "z"), a.methods());
        assertEquals(List.of("d", "e"), a.datasets());
    }

    @Test
    void pairedTestUsesCellsWhereBothAreFinite() {
        List<CellValue> in = new ArrayList<>();
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int seed = 0; seed < 4; seed++) {
            for (int fold = 0; fold < 2; fold++) {
                double ce = 0.6 + 0.01 * seed + 0.001 * fold;
                // focal: better everywhere but NaN in one cell
                double focal = seed == 2 && fold == 1 ? Double.NaN : 0.65 + 0.013 * seed + 0.002 * fold;
                in.add(v("d", "ce", seed, fold, ce));
                in.add(v("d", "focal", seed, fold, focal));
                if (!Double.isNaN(focal)) {
                    x.add(focal);
                    y.add(ce);
                }
            }
        }
        in.add(v("d", "focal", 9, 0, 0.1)); // a cell ce does not have
        Aggregation a = Aggregation.of(in);
        WilcoxonSignedRank.Result expected = WilcoxonSignedRank.test(x.stream().mapToDouble(Double::doubleValue).toArray(),
                y.stream().mapToDouble(Double::doubleValue).toArray());
        assertEquals(Optional.of(expected), a.paired("d", "focal", "ce", M));
        assertEquals(7, expected.n());
        assertTrue(a.paired("d", "focal", "smote", M).isEmpty(), "no such baseline");
        assertTrue(a.paired("d", "focal", "ce", "mcc").isEmpty(), "no such metric");
    }

    @Test
    void friedmanRanksMethodsWithASummaryOnEveryDataset() {
        double[][] scores = {{0.8, 0.7, 0.6}, {0.75, 0.8, 0.5}, {0.9, 0.85, 0.7}};
        String[] methods = {"a", "b", "c"};
        List<CellValue> in = new ArrayList<>();
        for (int d = 0; d < scores.length; d++) {
            for (int m = 0; m < methods.length; m++) {
                in.add(v("d" + d, methods[m], 1, 0, scores[d][m]));
            }
            // "late" is missing on d0; "undefined" has no finite value on d2
            if (d > 0) {
                in.add(v("d" + d, "late", 1, 0, 0.99));
            }
            in.add(v("d" + d, "undefined", 1, 0, d == 2 ? Double.NaN : 0.1));
        }
        RankTest t = Aggregation.of(in).friedman(M, 0.05).orElseThrow();
        assertEquals(List.of("a", "b", "c"), t.methods());
        assertEquals(List.of("d0", "d1", "d2"), t.datasets());
        FriedmanTest.Result expected = FriedmanTest.test(scores);
        assertArrayEquals(expected.averageRanks(), t.friedman().averageRanks(), 0);
        assertEquals(expected.chiSquare(), t.friedman().chiSquare());
        assertEquals(Nemenyi.criticalDifference(3, 3, 0.05), t.criticalDifference());

        assertTrue(Aggregation.of(in.stream().filter(c -> c.dataset().equals("d0")).toList()).friedman(M, 0.05).isEmpty(),
                "one dataset");
        assertEquals(List.of("a", "b", "c", "undefined"),
                Aggregation.of(in.stream().filter(c -> !c.dataset().equals("d2")).toList()).methodsOnEveryDataset(M));
    }

    @Test
    void aCellValueGivenTwiceIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Aggregation.of(List.of(v("d", "ce", 3, 1, 0.5), v("d", "ce", 3, 1, 0.6))));
        assertTrue(e.getMessage().contains("dataset d, method ce, seed 3, fold 1"), e.getMessage());
    }
    /**
     * Two datasets where the method beats the baseline on all six seeds: each exact paired p is
     * 2/2^6 = 0.03125 (significant alone), and Holm over the two tests gives 2 · 0.03125 = 0.0625.
     */
    @Test
    void perDatasetTestsAreHolmCorrectedOverTheMetricsFamily() {
        List<CellValue> in = new ArrayList<>();
        for (String d : List.of("a", "b")) {
            for (int seed = 0; seed < 6; seed++) {
                in.add(v(d, "ce", seed, 0, 0.5 + seed * 0.01));
                in.add(v(d, "m", seed, 0, 0.6 + seed * 0.013));
            }
        }
        Aggregation a = Aggregation.of(in);
        assertEquals(0.03125, a.paired("a", "m", "ce", M).orElseThrow().pValue(), 1e-12);
        assertEquals(java.util.Map.of(List.of("a", "m"), 0.0625, List.of("b", "m"), 0.0625), a.pairedHolm("ce", M));
    }

    /** Demšar's test across datasets: per-dataset means, 5 wins and 1 loss of 6 datasets. */
    @Test
    void acrossDatasetsComparesPerDatasetMeans() {
        List<CellValue> in = new ArrayList<>();
        double[] gain = {0.01, 0.02, 0.03, 0.04, 0.05, -0.005};
        for (int d = 0; d < 6; d++) {
            for (int seed = 0; seed < 2; seed++) {
                in.add(v("d" + d, "ce", seed, 0, 0.5 + seed * 0.1));
                in.add(v("d" + d, "m", seed, 0, 0.5 + seed * 0.1 + gain[d]));
            }
        }
        Aggregation.AcrossDatasets t = Aggregation.of(in).acrossDatasets("m", "ce", M).orElseThrow();
        assertEquals(6, t.datasets());
        assertEquals(5, t.wins());
        assertEquals(1, t.losses());
        // Ranks of |gain|: the loss has rank 1, so R- = 1 and the exact two-sided p = 2 · 2/64 = 0.0625.
        assertEquals(0.0625, t.test().pValue(), 1e-12);
    }
}
