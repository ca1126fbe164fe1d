package org.counterweight.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two examples of losses/README.md, run as written on a small imbalanced problem. */
class ReadmeExampleTest {

    static List<DataSet> imbalanced(long seed) {
        Random r = new Random(seed);
        List<DataSet> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int label = i % 10 == 0 ? 1 : 0;
            float[] x = new float[20];
            for (int j = 0; j < 20; j++) {
                x[j] = (float) (r.nextGaussian() + (j < 3 ? 2.5 * label : 0));
            }
            float[] y = new float[2];
            y[label] = 1;
            rows.add(new DataSet(Nd4j.create(x, 1, 20), Nd4j.create(y, 1, 2)));
        }
        return rows;
    }

    @Test
    void anchorLayerExample() {
        DataSetIterator trainIterator = new ListDataSetIterator<>(imbalanced(1), 64);
        long[] counts = {900, 100};                       // training rows per class
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(8).activation(Activation.RELU).build())
                .layer(OutputLayers.create("faml(gamma=2,beta=0.1)", 8, counts))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int epoch = 0; epoch < 20; epoch++) {
            EpochAware.advance(net.getLayerWiseConfigurations(), epoch, 20);
            net.fit(trainIterator);
            EpochEnd.finish(net);                         // FAML moves its anchors once per epoch
        }
        assertLearns(net);
    }

    @Test
    void plainLossExample() {
        DataSetIterator trainIterator = new ListDataSetIterator<>(imbalanced(1), 64);
        long[] counts = {900, 100};
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(Losses.create("cb(beta=0.9999,base=focal,gamma=1)", counts))
                        .nIn(8).nOut(2).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.fit(trainIterator, 20);
        assertLearns(net);
    }

    private static void assertLearns(MultiLayerNetwork net) {
        DataSet test = DataSet.merge(imbalanced(2));
        INDArray probabilities = net.output(test.getFeatures());
        Evaluation eval = new Evaluation(2);
        eval.eval(test.getLabels(), probabilities);
        assertTrue(probabilities.dataType() == DataType.FLOAT);
        // Far above chance on both classes (minority recall 0.5 would be chance level).
        assertTrue(eval.recall(1) > 0.7 && eval.recall(0) > 0.8, eval.stats());
    }
}
