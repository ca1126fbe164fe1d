package org.counterweight.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EpochDealTest {
    /** The deal's minibatches, each as the set of its rows. */
    private static Set<Set<Integer>> compositions(EpochDeal deal) {
        Set<Set<Integer>> out = new HashSet<>();
        for (int b = 0; b < deal.minibatches(); b++) {
            Set<Integer> rows = new HashSet<>();
            for (int r : deal.minibatch(b)) {
                rows.add(r);
            }
            out.add(rows);
        }
        return out;
    }

    private static int[] concatenated(EpochDeal deal) {
        List<Integer> all = new ArrayList<>();
        for (int b = 0; b < deal.minibatches(); b++) {
            for (int r : deal.minibatch(b)) {
                all.add(r);
            }
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void everyRowOncePerEpochInFullMinibatchesWithThePartialOneLast() {
        EpochDeal deal = EpochDeal.natural(103, 10, 7, 0);
        assertEquals(11, deal.minibatches());
        for (int b = 0; b < 10; b++) {
            assertEquals(10, deal.minibatch(b).length, "minibatch " + b);
        }
        assertEquals(3, deal.minibatch(10).length, "103 = 10 x 10 + 3: the partial minibatch is last");
        int[] rows = concatenated(deal);
        Arrays.sort(rows);
        int[] expected = new int[103];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals(expected, rows);
        assertEquals(1, EpochDeal.natural(5, 64, 7, 0).minibatches(), "fewer rows than a minibatch: one partial minibatch");
        assertThrows(IndexOutOfBoundsException.class, () -> deal.minibatch(11));
    }

    @Test
    void aFunctionOfSeedAndEpochWithNewCompositionsEachEpoch() {
        EpochDeal e0 = EpochDeal.natural(200, 16, 3, 0);
        assertArrayEquals(concatenated(e0), concatenated(EpochDeal.natural(200, 16, 3, 0)), "same (seed, epoch): same deal");
        EpochDeal e1 = EpochDeal.natural(200, 16, 3, 1);
        Set<Set<Integer>> c0 = compositions(e0);
        Set<Set<Integer>> c1 = compositions(e1);
        c1.retainAll(c0);
        assertTrue(c1.isEmpty(), "no minibatch of epoch 1 repeats one of epoch 0 (chance ~ 13 in C(200,16))");
        assertNotEquals(compositions(e0), compositions(EpochDeal.natural(200, 16, 4, 0)), "another seed deals otherwise");
    }

    @Test
    void givenRowsKeepTheirMultiplicity() {
        int[] drawn = {4, 4, 4, 0, 9, 9};
        int[] dealt = concatenated(EpochDeal.of(drawn, 4, 1, 2));
        Arrays.sort(dealt);
        assertArrayEquals(new int[] {0, 4, 4, 4, 9, 9}, dealt);
    }

    /**
     * Every permutation equally likely (Fisher–Yates): over 20,000 epochs each of 8 rows leads the
     * first minibatch 1/8 of the time. Chi-square with 7 degrees of freedom; 24.3 is its 0.999
     * quantile.
     */
    @Test
    void eachRowIsEquallyLikelyAtEachPlace() {
        int epochs = 20_000;
        int[] first = new int[8];
        for (int e = 0; e < epochs; e++) {
            first[EpochDeal.natural(8, 3, 11, e).minibatch(0)[0]]++;
        }
        double expected = epochs / 8.0;
        double chi2 = 0;
        for (int c : first) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        assertTrue(chi2 < 24.3, "chi-square " + chi2 + " for counts " + Arrays.toString(first));
    }
}
