package org.counterweight.evaluate.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Two-sided paired Wilcoxon signed-rank test, as {@code scipy.stats.wilcoxon(x, y)} with its
 * defaults ({@code zero_method='wilcox'}: zero differences are dropped; no continuity correction).
 *
 * <p>p-value: exact (the null distribution of the positive rank sum, counted over all 2^n sign
 * patterns) when there are at most {@value #EXACT_MAX_N} pairs, no zero difference and no tied
 * |difference|; otherwise the normal approximation with the tie correction of the variance
 * ({@code method='approx'}). scipy's {@code 'auto'} also goes exact with tied differences, where
 * the exact distribution does not hold; we use the approximation there.
 */
public final class WilcoxonSignedRank {
    /** Largest sample size with an exact p-value (scipy's threshold). */
    public static final int EXACT_MAX_N = 50;

    /**
     * Result.
     *
     * @param statistic min(R+, R−), scipy's two-sided statistic
     * @param pValue    two-sided p-value; NaN when every difference is zero
     * @param exact     whether the exact distribution was used
     * @param n         pairs with a non-zero difference
     */
    public record Result(double statistic, double pValue, boolean exact, int n) {
    }

    private WilcoxonSignedRank() {
    }

    /** Tests whether paired samples {@code x} and {@code y} differ in location. */
    public static Result test(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + x.length + " vs " + y.length);
        }
        int zeros = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] - y[i] == 0) {
                zeros++;
            }
        }
        double[] d = new double[x.length - zeros];
        int j = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] - y[i] != 0) {
                d[j++] = x[i] - y[i];
            }
        }
        int n = d.length;
        if (n == 0) {
            return new Result(0, Double.NaN, false, 0);
        }
        double[] abs = new double[n];
        for (int i = 0; i < n; i++) {
            abs[i] = Math.abs(d[i]);
        }
        double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(abs);
        double rPlus = 0;
        double rMinus = 0;
        for (int i = 0; i < n; i++) {
            if (d[i] > 0) {
                rPlus += ranks[i];
            } else {
                rMinus += ranks[i];
            }
        }
        double t = Math.min(rPlus, rMinus);
        double tieTerm = Ties.term(ranks);
        boolean exact = x.length <= EXACT_MAX_N && zeros == 0 && tieTerm == 0;
        double p = exact ? exactPValue((int) Math.round(rPlus), n) : approxPValue(t, n, tieTerm);
        return new Result(t, p, exact, n);
    }

    /** 2 · min(P(R+ ≤ r), P(R+ ≥ r)), capped at 1; counts of rank subsets by sum (n ≤ 50 fits a long). */
    private static double exactPValue(int rPlus, int n) {
        int max = n * (n + 1) / 2;
        long[] ways = new long[max + 1];
        ways[0] = 1;
        for (int rank = 1; rank <= n; rank++) {
            for (int s = max; s >= rank; s--) {
                ways[s] += ways[s - rank];
            }
        }
        double total = Math.pow(2, n);
        double less = 0;
        double greater = 0;
        for (int s = 0; s <= max; s++) {
            if (s <= rPlus) {
                less += ways[s];
            }
            if (s >= rPlus) {
                greater += ways[s];
            }
        }
        return Math.min(1.0, 2 * Math.min(less, greater) / total);
    }

    /** Normal approximation: z = (T − n(n+1)/4) / √((n(n+1)(2n+1) − Σ(t³−t)/2) / 24). */
    private static double approxPValue(double t, int n, double tieTerm) {
        double mean = n * (n + 1) / 4.0;
        double var = (n * (n + 1.0) * (2 * n + 1) - 0.5 * tieTerm) / 24;
        double z = (t - mean) / Math.sqrt(var);
        return 2 * new NormalDistribution(null, 0, 1).cumulativeProbability(-Math.abs(z));
    }
}
