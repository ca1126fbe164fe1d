package org.counterweight.resample;

import java.io.Serializable;
import java.util.Arrays;

/**
 * SMOTE-NC's categorical entries of a synthetic row (Chawla et al., JAIR 2002, §6.1; METHODS.md
 * §1): each is the most frequent category among the base row's k nearest neighbours (the base
 * row itself does not vote), as imbalanced-learn's {@code SMOTENC._generate_samples}. A tie is
 * broken uniformly at random among the tied categories, as imbalanced-learn does (a random
 * permutation of the tied (row, category) pairs, the first per row kept); here the draw is
 * {@code below(ties, h(seed, class, new row id, position))}, independent of partitioning.
 */
final class CategoryVote implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] positions;
    private final long seed;

    /** @param positions the categorical entries of the features vector */
    CategoryVote(int[] positions, long seed) {
        this.positions = positions.clone();
        this.seed = seed;
    }

    /**
     * Overwrites the categorical entries of synthetic row {@code v} (class {@code c}, id
     * {@code newId}) with the vote of {@code neighbours}, its base row's k neighbours' vectors
     * concatenated.
     */
    void apply(double[] v, double[] neighbours, int c, long newId) {
        int d = v.length;
        int k = neighbours.length / d;
        double[] values = new double[k];
        double[] tied = new double[k];
        for (int p : positions) {
            for (int i = 0; i < k; i++) {
                values[i] = neighbours[i * d + p];
            }
            Arrays.sort(values);
            int best = 0;
            int ties = 0;
            for (int i = 0; i < k; ) {
                int j = i;
                while (j < k && values[j] == values[i]) {
                    j++;
                }
                if (j - i > best) {
                    best = j - i;
                    ties = 0;
                }
                if (j - i == best) {
                    tied[ties++] = values[i];
                }
                i = j;
            }
            v[p] = ties == 1 ? tied[0]
                    : tied[(int) RowRandom.below(ties, RowRandom.hash(seed, RowRandom.SMOTENC_CATEGORY, c, newId, p))];
        }
    }
}
