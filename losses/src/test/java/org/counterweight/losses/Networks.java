package org.counterweight.losses;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/** Small double-precision networks for the layer tests: nIn → 5 (tanh) → output layer. */
final class Networks {
    static final int N_IN = 4;
    static final int HIDDEN = 5;

    private Networks() {
    }

    static MultiLayerConfiguration conf(BaseOutputLayer output, IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(updater)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(N_IN).nOut(HIDDEN).activation(Activation.TANH).build())
                .layer(output).build();
    }

    static MultiLayerNetwork net(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray features(int rows, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, rows, N_IN);
    }

    /** One-hot labels with every class present, deterministic. */
    static INDArray labels(int rows, int k, long seed) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, rows, k);
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, i < k ? i : r.nextInt(k), 1.0);
        }
        return y;
    }
}
