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
 *
 * <p>{@link #scanBoth} serves a within-set search (the queries are the references): one GEMM per
 * block pair updates the lists of both blocks' rows, since d(a, b) = d(b, a) bit for bit.
 */
public final class BlockScan {
    private final int colBlock;
    private final boolean excludeSelf;
    private float[] buf;
    private float[] colBest;

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
        scan(q, qc, null, q.n, qc.rows, r, rc, 0, r.n, top, null, order);
    }

    /**
     * Offers every pair of two distinct blocks of the same set to both sides: row i of {@code a}
     * to slot i of {@code topA} with row j of {@code b} as its neighbour, and vice versa.
     */
    public void scanBoth(VectorBlock a, VectorBlock b, TopK topA, TopK topB, NeighbourOrder order) {
        VectorBlock.Centred bc = b.asReference();
        VectorBlock.Centred ac = a.asQuery(bc.centre);
        scan(a, ac, null, a.n, ac.rows, b, bc, 0, b.n, topA, topB, order);
    }

    /**
     * The scan of the selected rows of {@code q} against rows {@code [rFrom, rTo)} of {@code r}.
     *
     * @param qc    {@code q} centred on {@code rc}'s centre (its norms are read at row {@code sel[g]})
     * @param sel   the rows of {@code q} scanned, also their slots in {@code top}; null: rows 0..nq−1
     * @param qRows the selected rows' augmented single-precision rows, packed ({@code nq × (d + 1)})
     * @param topR  when not null, every pair is also offered to it (slot = row of {@code r})
     */
    void scan(VectorBlock q, VectorBlock.Centred qc, int[] sel, int nq, float[] qRows,
              VectorBlock r, VectorBlock.Centred rc, int rFrom, int rTo, TopK top, TopK topR, NeighbourOrder order) {
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
            if (topR != null) {
                reverse(q, qc, sel, nq, r, rc, from, nc, topR, sign);
            }
        }
    }

    /**
     * The same GEMM block read column by column: offers each pair to the reference row's list.
     * A column is looked at only if its smallest {@code sign · (qn + buf)} (one vectorized pass
     * over the block) could beat that row's k-th; the bound is doubled for the extra rounding of
     * that single-precision sum.
     */
    private void reverse(VectorBlock q, VectorBlock.Centred qc, int[] sel, int nq, VectorBlock r,
                         VectorBlock.Centred rc, int from, int nc, TopK topR, double sign) {
        int d = q.d;
        if (colBest == null || colBest.length < nc) {
            colBest = new float[Math.max(nc, colBlock)];
        }
        java.util.Arrays.fill(colBest, 0, nc, Float.POSITIVE_INFINITY);
        float s = (float) sign;
        double maxQ = 0;
        for (int g = 0; g < nq; g++) {
            int i = sel == null ? g : sel[g];
            double qn = qc.norms[i];
            maxQ = Math.max(maxQ, qn);
            float sq = (float) (sign * qn);
            for (int j = 0, o = g * nc; j < nc; j++) {
                colBest[j] = Math.min(colBest[j], s * buf[o + j] + sq);
            }
        }
        for (int j = 0; j < nc; j++) {
            int rj = from + j;
            double slack = 2 * DistanceKernel.errorBound(d, maxQ + rc.norms[rj]);
            double limit = topR.worstKey(rj) + slack;
            if (colBest[j] > Math.nextUp((float) limit)) {
                continue;
            }
            long rid = r.ids[rj];
            for (int g = 0; g < nq; g++) {
                int i = sel == null ? g : sel[g];
                if (sign * (qc.norms[i] + buf[g * nc + j]) <= limit) {
                    long qid = q.ids[i];
                    if (excludeSelf && rid == qid) {
                        continue;
                    }
                    topR.offer(rj, DistanceKernel.exact(r.x, rj, q.x, i, d), qid, q.x, i);
                    limit = topR.worstKey(rj) + slack;
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
