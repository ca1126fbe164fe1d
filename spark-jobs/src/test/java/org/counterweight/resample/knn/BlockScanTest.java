package org.counterweight.resample.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link BlockScan} + {@link TopK} + {@link DistanceKernel} against {@link BruteForceKnn}. */
class BlockScanTest {

    /**
     * @param lattice integer coordinates in 0..2 (many exactly tied distances: the tie rule decides)
     * @param offset  added to every coordinate (large offsets make the GEMM expansion lose digits)
     */
    @ParameterizedTest
    @CsvSource({
        "NEAREST, 5, false, false, 0, 7",
        "NEAREST, 5, true, false, 0, 64",
        "NEAREST, 3, true, true, 0, 5",
        "FARTHEST, 3, false, true, 0, 16",
        "FARTHEST, 4, false, false, 0, 200",
        "NEAREST, 4, true, false, 1e4, 16",
        "NEAREST, 6, false, true, 1e3, 3",
        "FARTHEST, 2, true, false, 1e4, 9",
    })
    void matchesBruteForce(NeighbourOrder order, int k, boolean excludeSelf, boolean lattice, double offset,
                           int colBlock) {
        Random rnd = new Random(11 + k);
        int d = 5;
        int nq = 37;
        int nr = 53;
        double[][] ref = new double[nr][d];
        long[] refIds = new long[nr];
        for (int j = 0; j < nr; j++) {
            refIds[j] = 1000 - 7 * j; // ids not in row order: ties must follow ids, not positions
            for (int t = 0; t < d; t++) {
                ref[j][t] = offset + (lattice ? rnd.nextInt(3) : rnd.nextGaussian());
            }
        }
        // Queries: half are reference rows themselves (same ids), half fresh.
        double[][] qs = new double[nq][];
        long[] qIds = new long[nq];
        for (int i = 0; i < nq; i++) {
            if (i % 2 == 0) {
                qs[i] = ref[i].clone();
                qIds[i] = refIds[i];
            } else {
                qs[i] = new double[d];
                for (int t = 0; t < d; t++) {
                    qs[i][t] = offset + (lattice ? rnd.nextInt(3) : rnd.nextGaussian());
                }
                qIds[i] = -i;
            }
        }
        VectorBlock q = new VectorBlock(qIds, flatten(qs), d);
        TopK top = new TopK(nq, k, order, d, true);
        BlockScan scan = new BlockScan(colBlock, excludeSelf);
        // Scan the reference in two blocks, as tasks do when a partition holds several blocks.
        int half = nr / 2;
        scan.scan(q, new VectorBlock(java.util.Arrays.copyOfRange(refIds, 0, half),
                flatten(java.util.Arrays.copyOfRange(ref, 0, half)), d), top, order);
        scan.scan(q, new VectorBlock(java.util.Arrays.copyOfRange(refIds, half, nr),
                flatten(java.util.Arrays.copyOfRange(ref, half, nr)), d), top, order);
        for (int i = 0; i < nq; i++) {
            long[] expected = BruteForceKnn.neighbours(qs[i], qIds[i], ref, refIds, k, order, excludeSelf);
            long[] got = new long[top.size(i)];
            for (int n = 0; n < got.length; n++) {
                got[n] = top.id(i, n);
                int j = (int) ((1000 - got[n]) / 7);
                assertEquals(BruteForceKnn.distance(qs[i], ref[j]), top.distance(i, n), 1e-12 * (1 + offset));
                double[] v = java.util.Arrays.copyOfRange(top.vectors(i), n * d, n * d + d);
                assertArrayEquals(ref[j], v, 0.0);
            }
            assertArrayEquals(expected, got, "query " + i);
        }
    }

    static double[] flatten(double[][] rows) {
        int d = rows.length == 0 ? 0 : rows[0].length;
        double[] x = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, x, i * d, d);
        }
        return x;
    }
}
