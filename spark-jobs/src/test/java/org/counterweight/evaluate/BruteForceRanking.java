package org.counterweight.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The textbook definitions the fast ranking code is checked against: AUC by comparing every
 * (positive, negative) pair, O(P·N), and scikit-learn's step-function average precision by
 * sorting all scores and stepping over the distinct thresholds (METHODS.md §5).
 */
final class BruteForceRanking {
    private BruteForceRanking() {
    }

    /** Pairs with the positive above count 1, ties ½, over P·N; NaN without both classes. */
    static double auc(double[] scores, boolean[] positive) {
        double wins = 0;
        long p = 0;
        long n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (positive[i]) {
                p++;
            } else {
                n++;
            }
        }
        for (int i = 0; i < scores.length; i++) {
            if (!positive[i]) {
                continue;
            }
            for (int j = 0; j < scores.length; j++) {
                if (!positive[j]) {
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        return p > 0 && n > 0 ? wins / ((double) p * n) : Double.NaN;
    }

    /** Σ_n (R_n − R_{n−1}) · P_n over distinct thresholds from the highest; NaN without positives. */
    static double averagePrecision(double[] scores, boolean[] positive) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b] + 0.0, scores[a] + 0.0));
        long p = 0;
        for (boolean b : positive) {
            p += b ? 1 : 0;
        }
        double ap = 0;
        double previousRecall = 0;
        long tps = 0;
        long fps = 0;
        for (int i = 0; i < order.length; i++) {
            if (positive[order[i]]) {
                tps++;
            } else {
                fps++;
            }
            boolean lastOfThreshold = i == order.length - 1 || scores[order[i + 1]] != scores[order[i]];
            if (lastOfThreshold) {
                double recall = (double) tps / p;
                ap += (recall - previousRecall) * tps / (tps + fps);
                previousRecall = recall;
            }
        }
        return p > 0 ? ap : Double.NaN;
    }

    /** The scores of rows where {@code positive} equals {@code which}. */
    static double[] select(double[] scores, boolean[] positive, boolean which) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (positive[i] == which) {
                out.add(scores[i]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
