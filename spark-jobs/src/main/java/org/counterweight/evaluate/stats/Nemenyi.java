package org.counterweight.evaluate.stats;

import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The Nemenyi post-hoc test (Demšar 2006, §3.2.2): two of k methods differ significantly over N
 * datasets when their average ranks differ by at least the critical difference
 * <pre>  CD = q_α · √(k(k+1) / (6N))</pre>
 * where q_α is the upper-α quantile of the studentized range of k normals (infinite degrees of
 * freedom) divided by √2. Demšar's Table 5 lists q_α for k ≤ 10; here it is computed for any k from
 * <pre>  P(range ≤ q) = k ∫ φ(z) [Φ(z) − Φ(z − q)]^{k−1} dz</pre>
 * (numerical integration and a root finder from Commons Math), which reproduces that table.
 */
public final class Nemenyi {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private Nemenyi() {
    }

    /** q_α for k methods (k ≥ 2, 0 &lt; α &lt; 1). */
    public static double qAlpha(int k, double alpha) {
        if (k < 2) {
            throw new IllegalArgumentException("Nemenyi needs at least 2 methods, got " + k);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        double q = new BrentSolver(1e-12).solve(200, r -> rangeCdf(r, k) - (1 - alpha), 1e-3, 20);
        return q / Math.sqrt(2);
    }

    /** The critical difference of average ranks for k methods over n datasets. */
    public static double criticalDifference(int k, int n, double alpha) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one dataset, got " + n);
        }
        return qAlpha(k, alpha) * Math.sqrt(k * (k + 1.0) / (6.0 * n));
    }

    /** CDF of the range of k standard normals. */
    static double rangeCdf(double q, int k) {
        IterativeLegendreGaussIntegrator integrator = new IterativeLegendreGaussIntegrator(32, 1e-13, 1e-15);
        return k * integrator.integrate(10_000,
                z -> NORMAL.density(z) * Math.pow(NORMAL.cumulativeProbability(z)
                        - NORMAL.cumulativeProbability(z - q), k - 1),
                -9, 9);
    }
}
