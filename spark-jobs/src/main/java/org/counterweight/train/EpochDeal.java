package org.counterweight.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One epoch's deal of rows into minibatches: the rows in a fresh random order, a function of
 * (seed, epoch) only, cut into consecutive minibatches of {@code batchSize}; the one partial
 * minibatch (when the rows do not divide evenly) is the last. Rows are indexes into a
 * {@link RowTable}; {@link #natural} deals every row of the table once, as
 * {@code DataLoader(shuffle=True)} does each epoch, and {@link #of} deals any list of indexes (a
 * draw with repeats). A deal {@link #withPartners with partners} pairs every dealt row with another
 * row (BBN's reversed draws): minibatch b then has the partners of its rows too.
 */
final class EpochDeal {
    private final int[] order;
    private final int batchSize;
    private final int[] partnerOf;

    private EpochDeal(int[] order, int batchSize, int[] partnerOf) {
        this.order = order;
        this.batchSize = batchSize;
        this.partnerOf = partnerOf;
    }

    /** Every row of a table of {@code rows} rows exactly once, in the order of (seed, epoch). */
    static EpochDeal natural(int rows, int batchSize, long seed, int epoch) {
        int[] all = new int[rows];
        Arrays.setAll(all, i -> i);
        return of(all, batchSize, seed, epoch);
    }

    /** The given row indexes (kept as they are) shuffled by (seed, epoch). */
    static EpochDeal of(int[] rows, int batchSize, long seed, int epoch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        int[] order = rows.clone();
        SplittableRandom rng = new SplittableRandom(seed ^ (0xC2B2AE3D27D4EB4FL * (epoch + 1L)));
        for (int i = order.length - 1; i > 0; i--) { // Fisher–Yates: every permutation equally likely
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new EpochDeal(order, batchSize, null);
    }

    /** This deal with row i paired with row {@code partnerOf[i]}. */
    EpochDeal withPartners(int[] partnerOf) {
        return new EpochDeal(order, batchSize, partnerOf.clone());
    }

    /** The number of minibatches, ceil(rows / batch size). */
    int minibatches() {
        return minibatches(order.length, batchSize);
    }

    /** ceil({@code rows} / {@code batchSize}): how many minibatches a deal of that many rows has. */
    static int minibatches(long rows, int batchSize) {
        return Math.toIntExact((rows + batchSize - 1) / batchSize);
    }

    /** The row indexes of minibatch {@code b} (0-based), in training order. */
    int[] minibatch(int b) {
        if (b < 0 || b >= minibatches()) {
            throw new IndexOutOfBoundsException("minibatch " + b + " of " + minibatches());
        }
        return Arrays.copyOfRange(order, b * batchSize, Math.min(order.length, (b + 1) * batchSize));
    }

    /** The partners of minibatch {@code b}'s rows, in the same order; null for a deal without partners. */
    int[] partners(int b) {
        if (partnerOf == null) {
            return null;
        }
        int[] rows = minibatch(b);
        for (int i = 0; i < rows.length; i++) {
            rows[i] = partnerOf[rows[i]];
        }
        return rows;
    }
}
