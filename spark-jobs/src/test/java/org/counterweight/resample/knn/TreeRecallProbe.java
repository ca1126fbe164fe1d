package org.counterweight.resample.knn;

import java.util.SplittableRandom;

/**
 * Recall@k and speed of {@link KMeansTree} alone (no Spark) on standard Gaussian rows, the
 * within-class shape of the generator's data: how the {@code knnCandidates} default was chosen
 * (docs/resampling.md). Usage: {@code TreeRecallProbe ROWS DIM K QUERIES CANDIDATES...}.
 */
public final class TreeRecallProbe {
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private TreeRecallProbe() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        int nq = Integer.parseInt(args[3]);
        SplittableRandom rnd = new SplittableRandom(1);
        double[] x = new double[n * d];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            for (int t = 0; t < d; t++) {
                x[i * d + t] = rnd.nextGaussian();
            }
        }
        VectorBlock block = new VectorBlock(ids, x, d);
        long t0 = CPU.getCurrentThreadCpuTime();
        KMeansTree tree = KMeansTree.build(block, 7);
        System.out.printf("n=%d d=%d k=%d: build %.2f s CPU%n", n, d, k, (CPU.getCurrentThreadCpuTime() - t0) / 1e9);
        int[] qs = new int[nq];
        long[][] truth = new long[nq][];
        for (int i = 0; i < nq; i++) {
            qs[i] = rnd.nextInt(n);
            double[] q = java.util.Arrays.copyOfRange(x, qs[i] * d, qs[i] * d + d);
            TopK top = new TopK(1, k, NeighbourOrder.NEAREST, d, false);
            for (int j = 0; j < n; j++) {
                if (j != qs[i]) {
                    top.offer(0, DistanceKernel.exact(q, 0, x, j, d), j, x, j);
                }
            }
            truth[i] = new long[k];
            for (int j = 0; j < k; j++) {
                truth[i][j] = top.id(0, j);
            }
        }
        // The exact kernel on the same rows, as a yardstick under the same load: 1024 queries x all rows.
        int m = Math.min(n, 1024);
        VectorBlock qb = new VectorBlock(java.util.Arrays.copyOf(ids, m), java.util.Arrays.copyOf(x, m * d), d);
        for (int rep = 0; rep < 3; rep++) {
            long e0 = CPU.getCurrentThreadCpuTime();
            new BlockScan(256, true).scan(qb, block, new TopK(m, k, NeighbourOrder.NEAREST, d, false),
                    NeighbourOrder.NEAREST);
            if (rep == 2) {
                System.out.printf("exact block scan: %.2f ns CPU/pair%n",
                        (CPU.getCurrentThreadCpuTime() - e0) / ((double) m * n));
            }
        }
        KMeansTree.Heap heap = new KMeansTree.Heap();
        long[] qIds = new long[nq];
        double[] qx = new double[nq * d];
        for (int i = 0; i < nq; i++) {
            qIds[i] = qs[i];
            System.arraycopy(x, qs[i] * d, qx, i * d, d);
        }
        VectorBlock queries = new VectorBlock(qIds, qx, d);
        BlockScan leafScan = new BlockScan(KMeansTree.LEAF_ROWS, true);
        for (int a = 4; a < args.length; a++) {
            int c = Integer.parseInt(args[a]);
            for (int rep = 0; rep < 2; rep++) {
                long s0 = CPU.getCurrentThreadCpuTime();
                TopK top = new TopK(nq, k, NeighbourOrder.NEAREST, d, false);
                tree.searchBatch(queries, top, c, NeighbourOrder.NEAREST, leafScan, heap);
                long hits = 0;
                for (int i = 0; i < nq; i++) {
                    for (int j = 0; j < k; j++) {
                        for (long t : truth[i]) {
                            hits += top.id(i, j) == t ? 1 : 0;
                        }
                    }
                }
                if (rep == 1) {
                    System.out.printf("candidates %6d: recall@%d %.4f, %.1f us CPU/query%n", c, k,
                            hits / (double) (nq * k), (CPU.getCurrentThreadCpuTime() - s0) / 1e3 / nq);
                }
            }
        }
    }
}
