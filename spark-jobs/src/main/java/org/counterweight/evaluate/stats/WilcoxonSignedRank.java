package org.counterweight.evaluate.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Two-sided paired Wilcoxon signed-rank test of the differences d = x − y (H0: d is symmetric
 * about 0). The |d| are ranked with mid-ranks for ties; R+ and R− are the rank sums of the positive
 * and negative differences and the statistic is min(R+, R−), scipy's two-sided statistic. No
 * continuity correction. Zero differences are handled by {@link ZeroMethod}.
 *
 * <p>Exact p-value: given the observed ranks, H0 makes every one of the 2^n sign patterns of the n
 * non-zero differences equally likely (the permutation distribution; ties and zeros only change
 * which ranks are signed). R+ is counted over those patterns by a dynamic programme over rank sums,
 * with ranks doubled so that mid-ranks (multiples of ½) become integers, and
 * <pre>  p = min(1, 2 · min(P(R+ ≤ r), P(R+ ≥ r)))</pre>
 * the two-sided p of {@code scipy.stats.permutation_test}. The distribution is symmetric about half
 * the rank total E, so this equals P(|R+ − E| ≥ |r − E|). It is what scipy computes with
 * {@code wilcoxon(x, y, zero_method=…, method=PermutationMethod())} (scipy ≥ 1.13, gh-19770) and,
 * without ties or zeros, with {@code method='exact'}; scipy's {@code 'exact'} with ties or zeros
 * uses the untied table and is not exact. In doubles the counts k / 2^n are exact up to n = 53.
 *
 * <p>Normal approximation (Cureton 1967 for Pratt's zeros; scipy's {@code method='approx'}): with N
 * ranked differences of which z₀ are Pratt's zeros (z₀ = 0 otherwise) and t the sizes of the
 * groups of tied non-zero |d|,
 * <pre>
 *   μ  = (N(N+1) − z₀(z₀+1)) / 4
 *   σ² = (N(N+1)(2N+1) − z₀(z₀+1)(2z₀+1)) / 24 − Σ(t³−t) / 48
 *   p  = 2 Φ(−|min(R+, R−) − μ| / σ)
 * </pre>
 *
 * <p>{@link Method#AUTO} computes the exact p-value for at most {@value #EXACT_MAX_N} non-zero
 * differences (scipy's limit for its untied exact table; the counting costs O(n·N²) operations) and
 * the approximation for more.
 */
public final class WilcoxonSignedRank {
    /** Most non-zero differences for which {@link Method#AUTO} computes the exact p-value. */
    public static final int EXACT_MAX_N = 50;

    /** Zero method of {@link #test(double[], double[])} and {@link #acrossDatasets}. */
    public static final ZeroMethod DEFAULT_ZERO_METHOD = ZeroMethod.PRATT;

    /**
     * What zero differences (x = y) do. Under either they carry no sign, so the exact p-value only
     * permutes the signs of the non-zero differences.
     *
     * <p>The default is {@link #PRATT}: a zero is the smallest possible difference and stays in the
     * ranking. Demšar (2006, §3.1.3) also keeps zeros, splitting their ranks evenly between R+ and R−
     * (one dropped if their number is odd); that adds the same constant to R+ in every sign pattern,
     * so with an even number of zeros his exact p-value is Pratt's. scipy's and R's default is
     * {@link #WILCOX}.
     */
    public enum ZeroMethod {
        /** Wilcoxon (1945): zeros are dropped before ranking (scipy {@code zero_method='wilcox'}). */
        WILCOX,
        /** Pratt (1959): zeros are ranked with the rest, then their ranks dropped (scipy {@code 'pratt'}). */
        PRATT
    }

    /** How the p-value is computed. */
    public enum Method {
        /** Exact for at most {@value WilcoxonSignedRank#EXACT_MAX_N} non-zero differences, else the approximation. */
        AUTO,
        /** The permutation distribution, whatever n. */
        EXACT,
        /** The normal approximation with tie (and Pratt zero) correction, whatever n. */
        APPROX
    }

    /**
     * Result.
     *
     * @param statistic  min(R+, R−), scipy's two-sided statistic
     * @param pValue     two-sided p-value; NaN when every difference is zero
     * @param exact      whether the permutation distribution was used (else the normal approximation)
     * @param n          pairs with a non-zero difference
     * @param zeros      pairs with a zero difference
     * @param zeroMethod how the zeros were treated
     */
    public record Result(double statistic, double pValue, boolean exact, int n, int zeros, ZeroMethod zeroMethod) {
    }

    private WilcoxonSignedRank() {
    }

    /** Tests whether paired samples {@code x} and {@code y} differ in location (default zero method, AUTO). */
    public static Result test(double[] x, double[] y) {
        return test(x, y, DEFAULT_ZERO_METHOD, Method.AUTO);
    }

    /** As {@link #test(double[], double[])} with the given treatment of zero differences. */
    public static Result test(double[] x, double[] y, ZeroMethod zeroMethod) {
        return test(x, y, zeroMethod, Method.AUTO);
    }

    /** Tests whether paired samples {@code x} and {@code y} differ in location. */
    public static Result test(double[] x, double[] y, ZeroMethod zeroMethod, Method method) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + x.length + " vs " + y.length);
        }
        double[] d = new double[x.length];
        int zeros = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i] - y[i];
            if (!Double.isFinite(d[i])) {
                throw new IllegalArgumentException("pair " + i + " is not finite: " + x[i] + ", " + y[i]);
            }
            zeros += d[i] == 0 ? 1 : 0;
        }
        int n = d.length - zeros;
        if (n == 0) {
            return new Result(0, Double.NaN, false, 0, zeros, zeroMethod);
        }
        // Ranked differences: the non-zero ones (Wilcoxon) or all (Pratt, zeros taking the lowest ranks).
        double[] ranked = new double[zeroMethod == ZeroMethod.PRATT ? d.length : n];
        int j = 0;
        for (double v : d) {
            if (v != 0 || zeroMethod == ZeroMethod.PRATT) {
                ranked[j++] = v;
            }
        }
        double[] abs = new double[ranked.length];
        for (int i = 0; i < abs.length; i++) {
            abs[i] = Math.abs(ranked[i]);
        }
        double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(abs);
        // Doubled ranks of the non-zero differences: integers, since mid-ranks are multiples of ½.
        int[] doubled = new int[n];
        double[] nonZeroRanks = new double[n];
        int plus = 0;
        int minus = 0;
        j = 0;
        for (int i = 0; i < ranked.length; i++) {
            if (ranked[i] != 0) {
                nonZeroRanks[j] = ranks[i];
                doubled[j] = (int) Math.round(2 * ranks[i]);
                if (ranked[i] > 0) {
                    plus += doubled[j];
                } else {
                    minus += doubled[j];
                }
                j++;
            }
        }
        double statistic = Math.min(plus, minus) / 2.0;
        boolean exact = method == Method.EXACT || method == Method.AUTO && n <= EXACT_MAX_N;
        int prattZeros = zeroMethod == ZeroMethod.PRATT ? zeros : 0;
        double p = exact ? exactPValue(doubled, plus)
                : approxPValue(statistic, ranked.length, prattZeros, Ties.term(nonZeroRanks));
        return new Result(statistic, p, exact, n, zeros, zeroMethod);
    }

    /**
     * The Wilcoxon signed-rank test over datasets (Demšar 2006, §3.1.3): one value per dataset for a
     * method and for the baseline, usually each one's mean over seeds and folds, paired by dataset.
     * It is {@link #test(double[], double[])} on those means (d = method − baseline). With N datasets
     * no two-sided p-value is below 2 / 2^N, so fewer than 6 can never give p &lt; 0.05.
     */
    public static Result acrossDatasets(double[] methodMeans, double[] baselineMeans) {
        return test(methodMeans, baselineMeans);
    }

    /**
     * 2 · min(P(S ≤ s), P(S ≥ s)), capped at 1, where S is the sum of the doubled ranks {@code w}
     * given a positive sign, over all 2^n equally likely sign patterns: P(S = t) after adding rank w
     * is ½ (P_before(S = t) + P_before(S = t − w)).
     */
    private static double exactPValue(int[] w, int s) {
        int total = 0;
        for (int v : w) {
            total += v;
        }
        double[] prob = new double[total + 1];
        prob[0] = 1;
        int reach = 0;
        for (int v : w) {
            reach += v;
            for (int t = reach; t >= 0; t--) {
                prob[t] = 0.5 * (prob[t] + (t >= v ? prob[t - v] : 0));
            }
        }
        double atMost = 0;
        double atLeast = 0;
        for (int t = 0; t <= total; t++) {
            if (t <= s) {
                atMost += prob[t];
            }
            if (t >= s) {
                atLeast += prob[t];
            }
        }
        return Math.min(1.0, 2 * Math.min(atMost, atLeast));
    }

    /** The normal approximation of the class comment; {@code tieTerm} is Σ(t³−t) over the non-zero ranks. */
    private static double approxPValue(double t, int ranked, int prattZeros, double tieTerm) {
        double big = ranked;
        double z0 = prattZeros;
        double mean = (big * (big + 1) - z0 * (z0 + 1)) / 4;
        double var = (big * (big + 1) * (2 * big + 1) - z0 * (z0 + 1) * (2 * z0 + 1)) / 24 - tieTerm / 48;
        double z = (t - mean) / Math.sqrt(var);
        return 2 * new NormalDistribution(null, 0, 1).cumulativeProbability(-Math.abs(z));
    }
}
