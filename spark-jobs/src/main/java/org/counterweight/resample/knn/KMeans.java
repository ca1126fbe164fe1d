package org.counterweight.resample.knn;

import java.util.SplittableRandom;

/**
 * A few Lloyd iterations from a k-means++ start (Arthur &amp; Vassilvitskii, SODA 2007) on a
 * sample of rows: the splitting rule of {@link KMeansTree} and of {@link ApproxKnnSearch}'s
 * cells. Cells only need to be compact, not optimal, so a small fixed effort is enough.
 */
final class KMeans {
    /** Lloyd iterations after the k-means++ start. */
    static final int ITERATIONS = 5;

    private KMeans() {
    }

    /**
     * Up to {@code b} centres (row-major, {@code d} columns) for the rows {@code rows[from..to)}
     * of {@code x}, fitted on at most {@code sampleRows} of them drawn with {@code rng}. Fewer
     * than {@code b} when the rows have fewer distinct points.
     */
    static double[] centres(double[] x, int d, int[] rows, int from, int to, int b, int sampleRows,
                            SplittableRandom rng) {
        int m = to - from;
        int s = Math.min(m, sampleRows);
        int[] sample = new int[s];
        for (int i = 0; i < s; i++) {
            sample[i] = rows[s == m ? from + i : from + rng.nextInt(m)];
        }
        double[] c = new double[b * d];
        double[] best = new double[s];
        System.arraycopy(x, sample[rng.nextInt(s)] * d, c, 0, d);
        int k = 1;
        for (int i = 0; i < s; i++) {
            best[i] = squared(x, sample[i] * d, c, 0, d);
        }
        for (; k < b; k++) { // k-means++: the next centre with probability ∝ D²
            double total = 0;
            for (double v : best) {
                total += v;
            }
            if (total <= 0) {
                break; // every sampled row sits on a centre
            }
            double u = rng.nextDouble() * total;
            int pick = s - 1;
            for (int i = 0; i < s; i++) {
                u -= best[i];
                if (u < 0 && best[i] > 0) {
                    pick = i;
                    break;
                }
            }
            System.arraycopy(x, sample[pick] * d, c, k * d, d);
            for (int i = 0; i < s; i++) {
                best[i] = Math.min(best[i], squared(x, sample[i] * d, c, k * d, d));
            }
        }
        double[] sums = new double[k * d];
        int[] counts = new int[k];
        for (int it = 0; it < ITERATIONS; it++) {
            java.util.Arrays.fill(sums, 0);
            java.util.Arrays.fill(counts, 0);
            for (int i = 0; i < s; i++) {
                int o = sample[i] * d;
                int j = nearest(c, k, x, o, d);
                counts[j]++;
                for (int t = 0; t < d; t++) {
                    sums[j * d + t] += x[o + t];
                }
            }
            for (int j = 0; j < k; j++) {
                if (counts[j] > 0) { // an empty cluster keeps its centre
                    for (int t = 0; t < d; t++) {
                        c[j * d + t] = sums[j * d + t] / counts[j];
                    }
                }
            }
        }
        return k == b ? c : java.util.Arrays.copyOf(c, k * d);
    }

    /** Index of the centre nearest to {@code x[o..o+d)} among {@code k} (ties: the lower index). */
    static int nearest(double[] c, int k, double[] x, int o, int d) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double s = squared(x, o, c, j * d, d);
            if (s < bestD) {
                bestD = s;
                best = j;
            }
        }
        return best;
    }

    /** Squared distance of {@code a[oa..oa+d)} and {@code b[ob..ob+d)}. */
    static double squared(double[] a, int oa, double[] b, int ob, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) {
            double diff = a[oa + t] - b[ob + t];
            s += diff * diff;
        }
        return s;
    }
}
