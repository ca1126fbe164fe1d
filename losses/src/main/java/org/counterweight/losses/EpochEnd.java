package org.counterweight.losses;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A runtime layer whose state changes once at the end of every training epoch: FAML's anchor
 * moves with the default n = one epoch's steps (METHODS §3). The counterpart of
 * {@link EpochAware}, which sets a configuration before an epoch; this one changes a network's
 * parameters after it.
 */
public interface EpochEnd {

    /** Called once after the epoch's last training step. */
    void onEpochEnd();

    /**
     * Ends the epoch for every layer of {@code net} that has end-of-epoch state. Call it after the
     * epoch's last training step on the network that holds the epoch's final parameters — under
     * parameter averaging the driver's network, after the last round's averaging — and before the
     * network is evaluated or saved, so a checkpoint holds the moved state.
     */
    static void finish(MultiLayerNetwork net) {
        for (Layer layer : net.getLayers()) {
            if (layer instanceof EpochEnd) {
                ((EpochEnd) layer).onEpochEnd();
            }
        }
    }
}
