package org.counterweight.evaluate.stats;

import java.util.Arrays;

/** The tie-correction term shared by rank tests (Wilcoxon signed-rank, Friedman). */
final class Ties {
    private Ties() {
    }

    /** Σ (t³ − t) over the groups of equal values in {@code values} (t = group size). */
    static double term(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j < sorted.length && sorted[j] == sorted[i]) {
                j++;
            }
            double tied = j - i;
            sum += tied * (tied * tied - 1);
            i = j;
        }
        return sum;
    }
}
