package org.counterweight.resample.knn;

/**
 * Scans one query block against one reference block and updates the queries' running top-k.
 * Candidate distances for {@code colBlock} reference rows at a time come from one
 * single-precision GEMM on vectors centred on the reference block's mean
 * ({@link DistanceKernel#products}); a pair becomes a candidate when its candidate distance,
 * widened by the kernel's rounding bound ({@link DistanceKernel#errorBound}), could beat the
 * query's current k-th; candidates are ranked by their exact double-precision distance
 * ({@link DistanceKernel#exact}). The result is the exact k nearest (or farthest), with memory
 * {@code rows × colBlock} floats.
 */
public final class BlockScan {
    private final int colBlock;
    private final boolean excludeSelf;
    private float[] buf;

    /**
     * @param colBlock    reference rows per GEMM (about 256: a query block's distances then
     *                    stay in cache between the GEMM and the scan)
     * @param excludeSelf skip pairs with equal ids (a row is not its own neighbour)
     */
    public BlockScan(int colBlock, boolean excludeSelf) {
        this.colBlock = colBlock;
        this.excludeSelf = excludeSelf;
    }

    /** Offers every (query, reference) pair of the two blocks to {@code top} (query i = row i of {@code q}). */
    public void scan(VectorBlock q, VectorBlock r, TopK top, NeighbourOrder order) {
        VectorBlock.Centred rc = r.asReference();
        VectorBlock.Centred qc = q.asQuery(rc.centre);
        scan(q, qc, null, q.n, qc.rows, r, rc, 0, r.n, top, order);
    }

    /**
     * The scan of the selected rows of {@code q} against rows {@code [rFrom, rTo)} of {@code r}.
     *
     * @param qc    {@code q} centred on {@code rc}'s centre (its norms are read at row {@code sel[g]})
     * @param sel   the rows of {@code q} scanned, also their slots in {@code top}; null: rows 0..nq−1
     * @param qRows the selected rows' augmented single-precision rows, packed ({@code nq × (d + 1)})
     */
    void scan(VectorBlock q, VectorBlock.Centred qc, int[] sel, int nq, float[] qRows,
              VectorBlock r, VectorBlock.Centred rc, int rFrom, int rTo, TopK top, NeighbourOrder order) {
        int d = q.d;
        if (r.d != d) {
            throw new IllegalArgumentException("vector length " + r.d + " != " + d);
        }
        double sign = order.sign;
        boolean nearest = sign > 0;
        int need = nq * Math.min(colBlock, rTo - rFrom);
        if (buf == null || buf.length < need) {
            buf = new float[need];
        }
        for (int from = rFrom; from < rTo; from += colBlock) {
            int nc = Math.min(colBlock, rTo - from);
            DistanceKernel.products(qRows, nq, rc.rows, from, nc, d + 1, buf);
            double maxRef = 0;
            for (int j = from; j < from + nc; j++) {
                maxRef = Math.max(maxRef, rc.norms[j]);
            }
            for (int g = 0; g < nq; g++) {
                int i = sel == null ? g : sel[g];
                double qn = qc.norms[i];
                double slack = DistanceKernel.errorBound(d, qn + maxRef);
                // buf = ‖r‖² − 2q·r; candidate iff sign · (qn + buf) ≤ worst + slack
                double limit = top.worstKey(i) + slack - sign * qn;
                int o = g * nc;
                if (!anyCandidate(buf, o, nc, nearest, limit)) {
                    continue; // the common case once the top-k has settled
                }
                long qid = q.ids[i];
                for (int j = 0; j < nc; j++) {
                    if (sign * buf[o + j] <= limit) {
                        int rj = from + j;
                        long rid = r.ids[rj];
                        if (excludeSelf && rid == qid) {
                            continue;
                        }
                        top.offer(i, DistanceKernel.exact(q.x, i, r.x, rj, d), rid, r.x, rj);
                        limit = top.worstKey(i) + slack - sign * qn;
                    }
                }
            }
        }
    }

    /**
     * Whether some {@code v = buf[o + j]}, j < n, could be a candidate: {@code v ≤ limit}
     * (nearest) or {@code −v ≤ limit} (farthest). A tight float loop with a well-predicted
     * branch; the limit is rounded outwards so that no candidate is missed.
     */
    private static boolean anyCandidate(float[] buf, int o, int n, boolean nearest, double limit) {
        if (nearest) {
            float lim = Math.nextUp((float) limit);
            for (int j = o; j < o + n; j++) {
                if (buf[j] <= lim) {
                    return true;
                }
            }
            return false;
        }
        float lim = Math.nextDown((float) -limit);
        for (int j = o; j < o + n; j++) {
            if (buf[j] >= lim) {
                return true;
            }
        }
        return false;
    }
}
