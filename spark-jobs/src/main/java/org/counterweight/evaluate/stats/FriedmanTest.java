package org.counterweight.evaluate.stats;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Friedman test of k methods over N datasets (Demšar 2006, §3.2.2). Methods are ranked within
 * each dataset (rank 1 = best = highest score; ties get average ranks), then
 * <pre>
 *   χ²_F = 12N / (k(k+1)) · [Σ_j R_j² − k(k+1)²/4]          (R_j = average rank of method j)
 *   F_F  = (N−1) χ²_F / (N(k−1) − χ²_F)  ~ F(k−1, (k−1)(N−1))   (Iman–Davenport)
 * </pre>
 * {@link Result#chiSquareTieCorrected()} divides χ²_F by {@code 1 − Σ(t³−t) / (N k (k²−1))} over
 * groups of tied scores, as {@code scipy.stats.friedmanchisquare}; its p-value is scipy's.
 */
public final class FriedmanTest {

    /**
     * Result.
     *
     * @param averageRanks          R_j per method (1 = best)
     * @param chiSquare             Demšar's χ²_F (no tie correction)
     * @param chiSquareTieCorrected χ²_F with scipy's tie correction
     * @param pValue                P(χ²_{k−1} ≥ chiSquareTieCorrected)
     * @param imanDavenportF        F_F from the uncorrected χ²_F (infinite when χ²_F = N(k−1))
     * @param imanDavenportPValue   P(F ≥ F_F)
     * @param datasets              N
     */
    public record Result(double[] averageRanks, double chiSquare, double chiSquareTieCorrected, double pValue,
                         double imanDavenportF, double imanDavenportPValue, int datasets) {
    }

    private FriedmanTest() {
    }

    /**
     * R_j: each method's rank within each dataset (1 = best = highest score, ties averaged),
     * averaged over the datasets; {@code scores[i][j]} is method j's score on dataset i. Any
     * number (≥ 1) of datasets and methods.
     */
    public static double[] averageRanks(double[][] scores) {
        int n = scores.length;
        int k = scores[0].length;
        double[] avg = new double[k];
        NaturalRanking ranking = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);
        for (int i = 0; i < n; i++) {
            if (scores[i].length != k) {
                throw new IllegalArgumentException("dataset " + i + " has " + scores[i].length + " scores, expected " + k);
            }
            double[] negated = new double[k];
            for (int j = 0; j < k; j++) {
                negated[j] = -scores[i][j];
            }
            double[] r = ranking.rank(negated);
            for (int j = 0; j < k; j++) {
                avg[j] += r[j] / n;
            }
        }
        return avg;
    }

    /** Runs the test; {@code scores[i][j]} is method j's score on dataset i (higher is better). */
    public static Result test(double[][] scores) {
        int n = scores.length;
        if (n < 2) {
            throw new IllegalArgumentException("the Friedman test needs at least 2 datasets, got " + n);
        }
        int k = scores[0].length;
        if (k < 2) {
            throw new IllegalArgumentException("the Friedman test needs at least 2 methods, got " + k);
        }
        double[] avg = averageRanks(scores);
        double ties = 0;
        for (double[] dataset : scores) {
            ties += Ties.term(dataset);
        }
        double sumSq = 0;
        for (double r : avg) {
            sumSq += r * r;
        }
        double chi = 12.0 * n / (k * (k + 1.0)) * (sumSq - k * (k + 1.0) * (k + 1.0) / 4);
        double corrected = chi / (1 - ties / (n * k * (k * (double) k - 1)));
        double p = 1 - new ChiSquaredDistribution(null, k - 1).cumulativeProbability(corrected);
        double f = (n - 1) * chi / (n * (k - 1.0) - chi);
        double fp = Double.isFinite(f)
                ? 1 - new FDistribution(null, k - 1, (k - 1.0) * (n - 1)).cumulativeProbability(f) : 0;
        return new Result(avg, chi, corrected, p, f, fp, n);
    }
}
