package org.counterweight.losses;

import java.util.Arrays;

/**
 * The training class counts n_0..n_{K-1} and every quantity the imbalance-aware losses derive
 * from them (METHODS.md §2): inverse-frequency and class-balanced weights, LDAM margins, log
 * counts and log priors.
 *
 * <p>Weights are "normalised to sum K" (w_k ← K · w_k / Σ_j w_j) so that a balanced data set
 * gives all-ones weights and the loss scale stays comparable to plain cross-entropy.
 */
public final class ClassProfile {
    private final long[] counts;

    private ClassProfile(long[] counts) {
        this.counts = counts;
    }

    /**
     * Validates and wraps training class counts; every class needs at least one training row
     * because the derived weights and margins are undefined for an empty class.
     */
    public static ClassProfile of(long[] counts) {
        if (counts == null) {
            throw new IllegalArgumentException("class counts are required for this loss (got none)");
        }
        if (counts.length < 2) {
            throw new IllegalArgumentException("class counts: need at least 2 classes, got " + counts.length);
        }
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] <= 0) {
                throw new IllegalArgumentException("class counts: class " + k + " has " + counts[k]
                        + " training rows; count-based losses need every class present");
            }
        }
        return new ClassProfile(counts.clone());
    }

    /** Number of classes K. */
    public int numClasses() {
        return counts.length;
    }

    /** A copy of the counts. */
    public long[] counts() {
        return counts.clone();
    }

    /** w_k ∝ 1/n_k, normalised to sum K (METHODS §2 {@code weighted-ce(weights=inverse)}). */
    public double[] inverseWeights() {
        double[] w = new double[counts.length];
        for (int k = 0; k < w.length; k++) {
            w[k] = 1.0 / counts[k];
        }
        return normaliseToSumK(w);
    }

    /**
     * Class-balanced weights of Cui et al. (CVPR 2019), w_k ∝ (1−β)/(1−β^{n_k}), normalised to
     * sum K. The effective number 1−β^{n} is computed as −expm1(n·log β) to keep precision for β
     * close to 1 (β = 0.9999 is the paper's default).
     */
    public double[] classBalancedWeights(double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("beta=" + beta + " is out of range (must be in [0, 1))");
        }
        double[] w = new double[counts.length];
        for (int k = 0; k < w.length; k++) {
            double effective = beta == 0 ? 1.0 : -Math.expm1(counts[k] * Math.log(beta));
            w[k] = (1 - beta) / effective;
        }
        return normaliseToSumK(w);
    }

    /**
     * LDAM margins of Cao et al. (NeurIPS 2019): Δ_k = C / n_k^{1/4} with C chosen so that the
     * largest margin (the rarest class) equals {@code maxMargin}.
     */
    public double[] ldamMargins(double maxMargin) {
        double[] m = new double[counts.length];
        double largest = 0;
        for (int k = 0; k < m.length; k++) {
            m[k] = 1.0 / Math.pow(counts[k], 0.25);
            largest = Math.max(largest, m[k]);
        }
        for (int k = 0; k < m.length; k++) {
            m[k] *= maxMargin / largest;
        }
        return m;
    }

    /** log n_k, the logit shift of Balanced Softmax (Ren et al. 2020). */
    public double[] logCounts() {
        double[] out = new double[counts.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.log(counts[k]);
        }
        return out;
    }

    /** log π_k with π_k = n_k / N, the prior of logit adjustment (Menon et al. 2021). */
    public double[] logPriors() {
        double total = Arrays.stream(counts).sum();
        double[] out = new double[counts.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.log(counts[k] / total);
        }
        return out;
    }

    /** w_k ← K · w_k / Σ_j w_j. */
    static double[] normaliseToSumK(double[] w) {
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        double[] out = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            out[k] = w.length * w[k] / sum;
        }
        return out;
    }

    @Override
    public String toString() {
        return "ClassProfile" + Arrays.toString(counts);
    }
}
