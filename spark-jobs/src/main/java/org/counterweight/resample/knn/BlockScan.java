package org.counterweight.resample.knn;

/**
 * Scans one query block against one reference block and updates the queries' running top-k.
 * Candidate distances for {@code colBlock} reference rows at a time come from one
 * single-precision GEMM on vectors centred on the reference block's mean
 * ({@link DistanceKernel#minusTwoDots}); a pair becomes a candidate when its candidate distance,
 * widened by the kernel's rounding bound ({@link DistanceKernel#errorBound}), could beat the
 * query's current k-th; candidates are ranked by their exact double-precision distance
 * ({@link DistanceKernel#exact}). The result is the exact k nearest (or farthest), with memory
 * {@code rows × colBlock} floats.
 */
public final class BlockScan {
    /** Columns per candidate pre-check (see {@link #anyCandidate}). */
    private static final int CHUNK = 256;
    private final int colBlock;
    private final boolean excludeSelf;
    private float[] buf;

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
        VectorBlock.Centred rc = r.centred();
        VectorBlock.Centred qc = q.centredOn(rc.centre);
        double sign = order.sign;
        int need = q.n * Math.min(colBlock, r.n);
        if (buf == null || buf.length < need) {
            buf = new float[need];
        }
        for (int from = 0; from < r.n; from += colBlock) {
            int nc = Math.min(colBlock, r.n - from);
            DistanceKernel.minusTwoDots(qc.x, q.n, rc.x, from, nc, d, buf);
            double maxRef = 0;
            for (int j = from; j < from + nc; j++) {
                maxRef = Math.max(maxRef, rc.norms[j]);
            }
            float[] rn = rc.normsF;
            boolean nearest = sign > 0;
            for (int i = 0; i < q.n; i++) {
                double qn = qc.norms[i];
                double slack = DistanceKernel.errorBound(d, qn + maxRef);
                // candidate iff sign * (qn + rn_j − 2 q·r_j) ≤ worst + slack
                double limit = top.worstKey(i) + slack - sign * qn;
                int o = i * nc;
                long qid = q.ids[i];
                for (int c0 = 0; c0 < nc; c0 += CHUNK) {
                    int c1 = Math.min(nc, c0 + CHUNK);
                    // Most chunks hold no candidate once the top-k has settled: a tight float
                    // loop rules them out before the slower per-pair loop below.
                    if (!anyCandidate(buf, o, rn, from, c0, c1, nearest, limit)) {
                        continue;
                    }
                    for (int j = c0; j < c1; j++) {
                        if (sign * (buf[o + j] + rn[from + j]) <= limit) {
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
    }

    /**
     * Whether some {@code v = buf[o + j] + rn[from + j]}, j in [c0, c1), could be a candidate:
     * {@code v ≤ limit} (nearest) or {@code −v ≤ limit} (farthest). Float compares with a
     * well-predicted branch; the limit is rounded up so no candidate is missed.
     */
    private static boolean anyCandidate(float[] buf, int o, float[] rn, int from, int c0, int c1, boolean nearest,
                                        double limit) {
        if (nearest) {
            float lim = Math.nextUp((float) limit);
            for (int j = c0; j < c1; j++) {
                if (buf[o + j] + rn[from + j] <= lim) {
                    return true;
                }
            }
            return false;
        }
        float lim = Math.nextDown((float) -limit);
        for (int j = c0; j < c1; j++) {
            if (buf[o + j] + rn[from + j] >= lim) {
                return true;
            }
        }
        return false;
    }
}
