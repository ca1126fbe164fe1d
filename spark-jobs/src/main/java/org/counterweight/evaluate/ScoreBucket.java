package org.counterweight.evaluate;

import java.util.Arrays;

/**
 * The scores of one (class, score bucket) of a one-vs-rest ranking, positives and negatives kept
 * apart in sorted primitive arrays: the numeric kernel of {@link RankingAggregator}.
 *
 * <p>{@link #sums} walks both arrays from the highest score, merging ties into one threshold t
 * with {@code pos(t)} positives and {@code neg(t)} negatives, and returns this bucket's parts of
 * <pre>
 *   2U  = Σ_t pos(t) · (2 · negatives of the bucket scoring below t + neg(t))
 *   Σ_t pos(t) · tps(t) / (tps(t) + fps(t)),   tps(t) = tpAbove + positives of the bucket ≥ t,
 *                                              fps(t) = fpAbove + negatives of the bucket ≥ t
 * </pre>
 * (U is the Mann–Whitney statistic restricted to pairs inside the bucket, ties counting ½; the
 * second sum is P times the bucket's share of scikit-learn's step-function average precision,
 * METHODS.md §5). Scores compare with {@code ==}, so callers must not mix {@code -0.0} and
 * {@code 0.0} (they are one threshold for scikit-learn but sort apart) and must not pass NaN.
 */
final class ScoreBucket {
    private final int slot;
    private final double[] positives;
    private final int positiveCount;
    private final double[] negatives;
    private final int negativeCount;

    /**
     * Takes ownership of the arrays and sorts their first {@code positiveCount} /
     * {@code negativeCount} entries in place.
     *
     * @param slot the (class, bucket) index this bucket belongs to, carried for the caller
     */
    ScoreBucket(int slot, double[] positives, int positiveCount, double[] negatives, int negativeCount) {
        this.slot = slot;
        this.positives = positives;
        this.positiveCount = positiveCount;
        this.negatives = negatives;
        this.negativeCount = negativeCount;
        Arrays.sort(positives, 0, positiveCount);
        Arrays.sort(negatives, 0, negativeCount);
    }

    int slot() {
        return slot;
    }

    long positives() {
        return positiveCount;
    }

    long negatives() {
        return negativeCount;
    }

    /**
     * This bucket's contributions, given the positives ({@code tpAbove}) and negatives
     * ({@code fpAbove}) of the same class that fall into higher buckets.
     */
    Sums sums(long tpAbove, long fpAbove) {
        long twiceU = 0;
        double precisionSum = 0;
        int i = positiveCount - 1;
        int j = negativeCount - 1;
        long tps = tpAbove;
        long fps = fpAbove;
        while (i >= 0 || j >= 0) {
            double t = i < 0 ? negatives[j] : j < 0 ? positives[i] : Math.max(positives[i], negatives[j]);
            long pos = 0;
            while (i >= 0 && positives[i] == t) {
                pos++;
                i--;
            }
            long neg = 0;
            while (j >= 0 && negatives[j] == t) {
                neg++;
                j--;
            }
            tps += pos;
            fps += neg;
            if (pos > 0) {
                // j + 1 negatives of the bucket score strictly below t.
                twiceU += pos * (2L * (j + 1) + neg);
                precisionSum += pos * ((double) tps / (tps + fps));
            }
        }
        return new Sums(twiceU, precisionSum);
    }

    /**
     * @param twiceU       twice the within-bucket Mann–Whitney U (an integer: ties count ½)
     * @param precisionSum Σ_t pos(t) · precision at t
     */
    record Sums(long twiceU, double precisionSum) {
    }
}
