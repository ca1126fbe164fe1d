package org.counterweight.train;

import java.io.Serializable;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * What a loss spec means for the network: the output layer that carries the loss (its inference
 * output is the class probabilities) and the per-epoch schedule. Created by {@link LossHeads}.
 */
public interface LossHead extends Serializable {
    /** A fresh output-layer configuration from {@code nIn} inputs to {@code nClasses} outputs. */
    Layer outputLayer(int nIn, int nClasses);

    /** The per-epoch schedule of this loss (DRW, λ, BBN's α); {@link EpochSchedule#NONE} when none. */
    EpochSchedule schedule();

    /**
     * True for BBN's classifier ({@code bbn}): the head reads the two branches of a
     * {@code BilateralBranchLayer} that replaces the last hidden layer ({@link NetworkFactory}),
     * and training needs paired minibatches ({@link BilateralDraw}).
     */
    boolean bilateral();
}
