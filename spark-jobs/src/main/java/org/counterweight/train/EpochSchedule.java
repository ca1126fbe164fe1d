package org.counterweight.train;

import java.io.Serializable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The per-epoch part of a method (deferred re-weighting, a λ schedule): applied by the trainer on
 * the driver before each epoch's first averaging round. It changes the network's configuration
 * (for example the loss weights of the output layer); the parameter-averaging trainer ships the
 * configuration to the workers with every round, so the change reaches every executor.
 */
@FunctionalInterface
public interface EpochSchedule extends Serializable {
    /** No per-epoch change. */
    EpochSchedule NONE = (epoch, net) -> { };

    /**
     * Sets the method's state for {@code epoch} (0-based). Must depend only on the epoch, so a
     * resumed run behaves exactly like an uninterrupted one.
     */
    void beforeEpoch(int epoch, MultiLayerNetwork net);
}
