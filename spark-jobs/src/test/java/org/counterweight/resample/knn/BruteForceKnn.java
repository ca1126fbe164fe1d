package org.counterweight.resample.knn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The brute-force twin of the kNN kernels: all exact distances, sorted by (key, id). */
final class BruteForceKnn {
    private BruteForceKnn() {
    }

    /** Ids of the k best references of query {@code q} (rows of {@code ref}, ids {@code refIds}). */
    static long[] neighbours(double[] q, long qid, double[][] ref, long[] refIds, int k, NeighbourOrder order,
                             boolean excludeSelf) {
        List<double[]> cand = new ArrayList<>();
        for (int j = 0; j < ref.length; j++) {
            if (excludeSelf && refIds[j] == qid) {
                continue;
            }
            double s = 0;
            for (int t = 0; t < q.length; t++) {
                s += (q[t] - ref[j][t]) * (q[t] - ref[j][t]);
            }
            cand.add(new double[] {order == NeighbourOrder.NEAREST ? s : -s, refIds[j]});
        }
        cand.sort(Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> a[1]));
        long[] out = new long[Math.min(k, cand.size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) cand.get(i)[1];
        }
        return out;
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += (a[t] - b[t]) * (a[t] - b[t]);
        }
        return Math.sqrt(s);
    }
}
