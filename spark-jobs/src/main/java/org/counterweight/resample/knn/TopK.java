package org.counterweight.resample.knn;

import java.io.Serializable;

/**
 * The running k best neighbours of each of {@code m} query rows, kept sorted by
 * (key, reference id) with key {@code sign · distance²}: a total order, so merging partial
 * lists in any order gives the same result (partition independence). Optionally keeps a copy
 * of each neighbour's vector (SMOTE interpolates towards it without another lookup).
 */
public final class TopK implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int k;
    private final int m;
    private final int d;
    private final double sign;
    private final boolean keepVectors;
    private final double[] keys;
    private final long[] ids;
    private final double[] vectors;
    private final int[] size;

    /**
     * @param m           query rows
     * @param k           neighbours per query
     * @param order       nearest or farthest
     * @param d           vector length (used when {@code keepVectors})
     * @param keepVectors whether to copy neighbour vectors
     */
    public TopK(int m, int k, NeighbourOrder order, int d, boolean keepVectors) {
        this.k = k;
        this.m = m;
        this.d = d;
        this.sign = order.sign;
        this.keepVectors = keepVectors;
        keys = new double[m * k];
        ids = new long[m * k];
        vectors = keepVectors ? new double[m * k * d] : null;
        size = new int[m];
    }

    /** Query rows. */
    public int queries() {
        return m;
    }

    /** The largest key still accepted for query {@code q} (+∞ while fewer than k are known). */
    public double worstKey(int q) {
        return size[q] < k ? Double.POSITIVE_INFINITY : keys[q * k + k - 1];
    }

    /**
     * Offers a neighbour with its exact squared distance; kept if it beats the current k-th.
     *
     * @param src    array holding the neighbour's vector (ignored unless vectors are kept)
     * @param srcRow its row in {@code src}
     */
    public void offer(int q, double squaredDistance, long id, double[] src, int srcRow) {
        double key = sign * squaredDistance;
        int base = q * k;
        int n = size[q];
        if (n == k && !before(key, id, keys[base + k - 1], ids[base + k - 1])) {
            return;
        }
        int pos = n < k ? n : k - 1;
        while (pos > 0 && before(key, id, keys[base + pos - 1], ids[base + pos - 1])) {
            keys[base + pos] = keys[base + pos - 1];
            ids[base + pos] = ids[base + pos - 1];
            if (keepVectors) {
                System.arraycopy(vectors, (base + pos - 1) * d, vectors, (base + pos) * d, d);
            }
            pos--;
        }
        keys[base + pos] = key;
        ids[base + pos] = id;
        if (keepVectors) {
            System.arraycopy(src, srcRow * d, vectors, (base + pos) * d, d);
        }
        if (n < k) {
            size[q] = n + 1;
        }
    }

    private static boolean before(double key, long id, double otherKey, long otherId) {
        return key < otherKey || (key == otherKey && id < otherId);
    }

    /** Merges another list for query {@code q} (row {@code otherQ} of {@code other}). */
    public void merge(int q, TopK other, int otherQ) {
        for (int i = 0; i < other.size[otherQ]; i++) {
            int o = otherQ * other.k + i;
            offer(q, other.sign * other.keys[o], other.ids[o], other.vectors, o);
        }
    }

    /** Neighbours found for query {@code q} (k unless the reference side is smaller). */
    public int size(int q) {
        return size[q];
    }

    /** Reference id of the i-th best neighbour of query {@code q}. */
    public long id(int q, int i) {
        return ids[q * k + i];
    }

    /** Euclidean distance of the i-th best neighbour of query {@code q}. */
    public double distance(int q, int i) {
        return Math.sqrt(Math.max(0.0, sign * keys[q * k + i]));
    }

    /** The neighbours' vectors of query {@code q}, best first, concatenated (requires {@code keepVectors}). */
    public double[] vectors(int q) {
        double[] v = new double[size[q] * d];
        System.arraycopy(vectors, q * k * d, v, 0, v.length);
        return v;
    }

    /** A one-query copy of query {@code q}'s list (for merging per query across tasks). */
    public TopK single(int q) {
        TopK one = new TopK(1, k, sign > 0 ? NeighbourOrder.NEAREST : NeighbourOrder.FARTHEST, d, keepVectors);
        one.merge(0, this, q);
        return one;
    }
}
