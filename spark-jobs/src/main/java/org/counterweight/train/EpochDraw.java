package org.counterweight.train;

import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The training rows of one epoch. Natural sampling returns the training frame itself; the
 * class-balanced and square-root samplers (METHODS §1) return a fresh draw every epoch. A draw
 * must depend only on (seed, epoch, data) — never on partitioning — so runs are reproducible and
 * a resumed run sees the same rows as an uninterrupted one.
 */
public interface EpochDraw extends Serializable {
    /**
     * The rows of {@code epoch} (0-based), with the columns {@link #format()} reads (for
     * {@link MinibatchFormat#PLAIN} the schema of {@code train}); a row may appear several times.
     */
    Dataset<Row> draw(Dataset<Row> train, long seed, int epoch);

    /**
     * True when every epoch trains on the same rows, so they are written once and dealt into each
     * epoch's minibatches ({@link MinibatchSource}).
     */
    boolean isStatic();

    /** How this draw's rows become minibatch files; plain rows unless a method pairs them (BBN). */
    default MinibatchFormat format() {
        return MinibatchFormat.PLAIN;
    }
}
