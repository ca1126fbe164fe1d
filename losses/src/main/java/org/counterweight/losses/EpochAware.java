package org.counterweight.losses;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A loss or layer configuration whose behaviour follows the training epoch: deferred
 * re-weighting ({@code drw}, METHODS §2), FAML's quadratic λ schedule (METHODS §3) and BBN's
 * cumulative-learning α (METHODS §4).
 *
 * <p>The epoch is stored in the object's JSON-serialised state, so after the trainer calls
 * {@link #onEpoch} on the driver's configuration the switch reaches every Spark executor with
 * the next configuration broadcast, and survives a model save and load.
 */
public interface EpochAware {

    /**
     * Called by the trainer before epoch {@code epoch} (0-based) of {@code totalEpochs} starts.
     */
    void onEpoch(int epoch, int totalEpochs);

    /**
     * Tells every epoch-aware layer and output-layer loss of {@code conf} that epoch
     * {@code epoch} (0-based) of {@code totalEpochs} starts. Pass the live configuration of a
     * network ({@code net.getLayerWiseConfigurations()}): layers read it on every step.
     */
    static void advance(MultiLayerConfiguration conf, int epoch, int totalEpochs) {
        checkEpoch(epoch, totalEpochs);
        for (NeuralNetConfiguration c : conf.getConfs()) {
            advance(c.getLayer(), epoch, totalEpochs);
        }
    }

    /** As {@link #advance(MultiLayerConfiguration, int, int)} for a computation graph. */
    static void advance(ComputationGraphConfiguration conf, int epoch, int totalEpochs) {
        checkEpoch(epoch, totalEpochs);
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex) {
                advance(((LayerVertex) v).getLayerConf().getLayer(), epoch, totalEpochs);
            }
        }
    }

    private static void checkEpoch(int epoch, int totalEpochs) {
        if (epoch < 0 || totalEpochs <= 0 || epoch >= totalEpochs) {
            throw new IllegalArgumentException("epoch " + epoch + " of " + totalEpochs
                    + ": need 0 <= epoch < totalEpochs");
        }
    }

    private static void advance(Layer layer, int epoch, int totalEpochs) {
        if (layer instanceof EpochAware) {
            ((EpochAware) layer).onEpoch(epoch, totalEpochs);
        }
        if (layer instanceof BaseOutputLayer && ((BaseOutputLayer) layer).getLossFn() instanceof EpochAware) {
            ((EpochAware) ((BaseOutputLayer) layer).getLossFn()).onEpoch(epoch, totalEpochs);
        }
    }
}
