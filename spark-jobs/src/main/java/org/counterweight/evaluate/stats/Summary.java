package org.counterweight.evaluate.stats;

import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mean, sample standard deviation (n − 1) and a two-sided 95% Student-t confidence interval of the
 * mean, {@code mean ± t_{0.975, n−1} · sd / √n} (scipy's {@code t.interval(0.95, n-1, mean, sem)}).
 * With one value the standard deviation and the interval are NaN.
 */
public record Summary(int n, double mean, double sd, double ciLow, double ciHigh) {
    /** Confidence level of {@link #ciLow}–{@link #ciHigh}. */
    public static final double LEVEL = 0.95;

    /** Summarizes at least one finite value. */
    public static Summary of(double... values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("cannot summarize no values");
        }
        double mean = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("cannot summarize a non-finite value " + v);
            }
            mean += v;
        }
        mean /= n;
        if (n == 1) {
            return new Summary(1, mean, Double.NaN, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double half = new TDistribution(null, n - 1).inverseCumulativeProbability(0.5 + LEVEL / 2) * sd / Math.sqrt(n);
        return new Summary(n, mean, sd, mean - half, mean + half);
    }

    /** Half the width of the confidence interval. */
    public double halfWidth() {
        return (ciHigh - ciLow) / 2;
    }

    /** "mean ± half-width" to 4 decimals, or the mean alone when one value gives no interval. */
    public String meanAndHalfWidth() {
        return n == 1 ? String.format(Locale.ROOT, "%.4f", mean)
                : String.format(Locale.ROOT, "%.4f ± %.4f", mean, halfWidth());
    }
}
