package org.counterweight.train;

import java.io.Serializable;

/**
 * Which training rows one epoch fits, as a deal of the run's {@link RowTable}: natural sampling
 * deals every row once; the class-balanced and square-root samplers (METHODS §1) deal a fresh
 * draw of the table's size; BBN deals every row once, each with a reversed-sampler partner. A deal
 * depends only on (seed, epoch, the rows' labels in table order) — never on partitioning or on the
 * JVM computing it — so runs are reproducible, every executor computes the same deal without a
 * Spark job, and a resumed run sees the same rows as an uninterrupted one.
 */
public interface EpochDraw extends Serializable {
    /** The draw's name, part of the names of its dealt minibatches ({@link DealtMinibatch}). */
    String name();

    /**
     * True when every epoch trains on the same rows (natural sampling): they can also be exported
     * once as minibatch files ({@code shuffle=once}), and the deal needs no labels.
     */
    boolean isStatic();

    /**
     * The deal of {@code epoch} (0-based) of a table whose row i has class {@code labels[i]}
     * ({@code labels} may be null for a {@link #isStatic()} draw) into minibatches of
     * {@code batchSize}.
     */
    EpochDeal deal(int[] labels, int rows, int batchSize, long seed, int epoch);

    /** How this draw's minibatches are shaped; plain rows unless a method pairs them (BBN). */
    default MinibatchFormat format() {
        return MinibatchFormat.PLAIN;
    }
}
