package org.counterweight.resample.knn;

/**
 * Scans one query block against one reference block and updates the queries' running top-k:
 * distances for {@code colBlock} reference rows at a time come from one GEMM
 * ({@link DistanceKernel#squaredDistances}); a pair becomes a candidate when its GEMM distance,
 * widened by a bound on the GEMM rounding error, could beat the query's current k-th; candidates
 * are then ranked by their exact distance ({@link DistanceKernel#exact}). The result is the exact
 * k nearest (or farthest), with memory {@code rows × colBlock} doubles.
 */
public final class BlockScan {
    /**
     * Relative rounding bound of {@code ‖q‖² + ‖r‖² − 2q·r} per unit of (‖q‖² + ‖r‖²) and per
     * term of the dot product (Higham, Accuracy and Stability of Numerical Algorithms, §3.1:
     * |error| ≤ γ_{d+2}(‖q‖² + ‖r‖² + 2|q||r|)), with a safety factor of 8.
     */
    private static final double ERROR_PER_TERM = 8 * 2 * Math.ulp(1.0);

    private final int colBlock;
    private final boolean excludeSelf;
    private double[] buf;

    /**
     * @param colBlock    reference rows per GEMM
     * @param excludeSelf skip pairs with equal ids (a row is not its own neighbour)
     */
    public BlockScan(int colBlock, boolean excludeSelf) {
        this.colBlock = colBlock;
        this.excludeSelf = excludeSelf;
    }

    /** Offers every (query, reference) pair of the two blocks to {@code top} (query i = row i of {@code q}). */
    public void scan(VectorBlock q, VectorBlock r, TopK top, NeighbourOrder order) {
        int d = q.d;
        if (r.d != d) {
            throw new IllegalArgumentException("vector length " + r.d + " != " + d);
        }
        double sign = order.sign;
        double errPerNorm = ERROR_PER_TERM * (d + 2);
        int need = q.n * Math.min(colBlock, r.n);
        if (buf == null || buf.length < need) {
            buf = new double[need];
        }
        for (int from = 0; from < r.n; from += colBlock) {
            int nc = Math.min(colBlock, r.n - from);
            DistanceKernel.squaredDistances(q.x, q.norms, q.n, r.x, r.norms, from, nc, d, buf);
            double maxRef = 0;
            for (int j = from; j < from + nc; j++) {
                maxRef = Math.max(maxRef, r.norms[j]);
            }
            for (int i = 0; i < q.n; i++) {
                double slack = errPerNorm * (q.norms[i] + maxRef);
                double bound = top.worstKey(i) + slack;
                int o = i * nc;
                long qid = q.ids[i];
                for (int j = 0; j < nc; j++) {
                    if (sign * buf[o + j] <= bound) {
                        int rj = from + j;
                        long rid = r.ids[rj];
                        if (excludeSelf && rid == qid) {
                            continue;
                        }
                        top.offer(i, DistanceKernel.exact(q.x, i, r.x, rj, d), rid, r.x, rj);
                        bound = top.worstKey(i) + slack;
                    }
                }
            }
        }
    }
}
