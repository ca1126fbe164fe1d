package org.counterweight.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every loss and layer trains a float32 network (DL4J's default precision) on three separable,
 * imbalanced Gaussian clusters: the training loss falls and the classes are recovered.
 */
class TrainingTest {
    static final long[] COUNTS = {120, 40, 16};

    static DataSet clusters() {
        Random r = new Random(17);
        int n = (int) (COUNTS[0] + COUNTS[1] + COUNTS[2]);
        float[][] x = new float[n][2];
        float[][] y = new float[n][3];
        double[][] centres = {{0, 3}, {3, -2}, {-3, -2}};
        int row = 0;
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < COUNTS[k]; i++, row++) {
                x[row][0] = (float) (centres[k][0] + 0.6 * r.nextGaussian());
                x[row][1] = (float) (centres[k][1] + 0.6 * r.nextGaussian());
                y[row][k] = 1;
            }
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }

    @TestFactory
    Stream<DynamicTest> everyLayerLearnsInFloat32() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String spec : SerializationTest.layerSpecs()) {
            tests.add(DynamicTest.dynamicTest(spec, () -> {
                MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                        .updater(new Adam(0.05)).weightInit(WeightInit.XAVIER).list()
                        .layer(new DenseLayer.Builder().nIn(2).nOut(8).activation(Activation.TANH).build())
                        .layer(OutputLayers.create(spec.replace("n=3", "n=2"), 8, COUNTS)).build();
                MultiLayerNetwork net = new MultiLayerNetwork(conf);
                net.init();
                DataSet data = clusters();
                double first = net.score(data);
                for (int epoch = 0; epoch < 60; epoch++) {
                    EpochAware.advance(net.getLayerWiseConfigurations(), epoch, 60);
                    net.fit(data);
                }
                Evaluation eval = new Evaluation(3);
                INDArray out = net.output(data.getFeatures());
                eval.eval(data.getLabels(), out);
                assertTrue(!out.isNaN().any(), spec + " finite output");
                assertTrue(net.score(data) < first, spec + " loss falls: " + first + " -> " + net.score(data));
                assertTrue(eval.recall(2) > 0.9 && eval.accuracy() > 0.9, spec + " learns: " + eval.stats());
            }));
        }
        return tests.stream();
    }
}
