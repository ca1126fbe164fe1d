package org.counterweight.train;

import java.io.Serializable;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What an executor needs to run a trained network: the configuration as JSON (the form DL4J
 * guarantees to round-trip), the flat parameters and the scaler. Broadcast once per prediction job; each task rebuilds the network once.
 */
final class NetworkPayload implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String confJson;
    private final float[] params;
    private final Standardizer scaler;
    private final int numClasses;

    NetworkPayload(MultiLayerNetwork net, Standardizer scaler, int numClasses) {
        this.confJson = net.getLayerWiseConfigurations().toJson();
        this.params = net.params().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).toFloatVector();
        this.scaler = scaler;
        this.numClasses = numClasses;
    }

    int numClasses() {
        return numClasses;
    }

    Standardizer scaler() {
        return scaler;
    }

    /** A network ready for inference. */
    MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(confJson));
        // Cloned (true): the network then owns its parameter buffer outright. A run of 12 minutes
        // once died in native code (SIGSEGV in DataBuffer::primary during output()) with the
        // parameters passed as a view of a temporary array.
        net.init(Nd4j.createFromArray(params).reshape(1, params.length)
                .castTo(net.getLayerWiseConfigurations().getDataType()), true);
        return net;
    }

    /** Class probabilities for standardised inputs {@code x} [rows, features]. */
    INDArray probabilities(MultiLayerNetwork net, INDArray x) {
        return net.output(x, false);
    }
}
