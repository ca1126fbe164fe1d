package org.counterweight.resample.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Merging partial lists is order-independent (what makes the block-pair search exact). */
class TopKTest {
    @Test
    void mergeOrderDoesNotMatter() {
        double[][] parts = {{4, 1, 9}, {1, 4, 0.5}, {2, 2, 7}};
        TopK ab = new TopK(1, 3, NeighbourOrder.NEAREST, 1, false);
        TopK ba = new TopK(1, 3, NeighbourOrder.NEAREST, 1, false);
        TopK[] lists = new TopK[parts.length];
        for (int p = 0; p < parts.length; p++) {
            lists[p] = new TopK(1, 3, NeighbourOrder.NEAREST, 1, false);
            for (int i = 0; i < parts[p].length; i++) {
                lists[p].offer(0, parts[p][i], 10L * p + i, null, 0);
            }
        }
        for (int p = 0; p < parts.length; p++) {
            ab.merge(0, lists[p], 0);
            ba.merge(0, lists[parts.length - 1 - p], 0);
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(ab.id(0, i), ba.id(0, i));
        }
        // squared distances 0.5 (id 12), 1 (id 1), 1 (id 10): the tie goes to the smaller id.
        assertEquals(12L, ab.id(0, 0));
        assertEquals(1L, ab.id(0, 1));
        assertEquals(10L, ab.id(0, 2));
        assertEquals(Math.sqrt(0.5), ab.distance(0, 0), 0.0);
    }

    @Test
    void farthestKeepsLargestDistances() {
        TopK top = new TopK(1, 2, NeighbourOrder.FARTHEST, 1, false);
        double[] sq = {3, 9, 1, 9, 4};
        for (int i = 0; i < sq.length; i++) {
            top.offer(0, sq[i], i, null, 0);
        }
        assertEquals(1L, top.id(0, 0));
        assertEquals(3L, top.id(0, 1));
        assertEquals(3.0, top.distance(0, 1), 0.0);
    }
}
