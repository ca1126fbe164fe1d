package org.counterweight.losses;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.counterweight.losses.layers.AnchorOutputLayer;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import static org.counterweight.losses.TorchFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark ships network configurations to executors as JSON and models are saved with
 * ModelSerializer: every loss and layer, and their training state, must survive both.
 */
class SerializationTest {
    static final long[] COUNTS = {400, 80, 20};
    static final int ROWS = 12;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<String> layerSpecs() {
        List<String> specs = new ArrayList<>(LossesTest.allSpecs());
        specs.addAll(List.of("ldam(head=linear,drw=auto)", "ce(head=cosine)", "fal(alpha=1,2,3,margin=0.3)",
                "fal(alpha=effective,cb_beta=0.99,pull=row-mean)", "faml(r=1.5,lambda=0.9,n=3,lambda_schedule=quadratic)"));
        return specs;
    }

    static DataSet data(long seed) {
        return new DataSet(Networks.features(ROWS, seed), Networks.labels(ROWS, COUNTS.length, seed));
    }

    static BaseOutputLayer outputOf(MultiLayerConfiguration conf) {
        return (BaseOutputLayer) conf.getConf(1).getLayer();
    }

    @TestFactory
    Stream<DynamicTest> configurationJsonRoundTripKeepsEveryLossAndLayer() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String spec : layerSpecs()) {
            tests.add(DynamicTest.dynamicTest(spec, () -> {
                MultiLayerConfiguration conf = Networks.conf(OutputLayers.create(spec, Networks.HIDDEN, COUNTS),
                        new Adam(0.01), 9);
                MultiLayerNetwork net = Networks.net(conf);
                for (int i = 0; i < 3; i++) {
                    net.fit(data(i));
                }
                EpochAware.advance(net.getLayerWiseConfigurations(), 8, 10);
                String json = net.getLayerWiseConfigurations().toJson();
                MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
                assertEquals(json, back.toJson());
                BaseOutputLayer before = outputOf(net.getLayerWiseConfigurations());
                BaseOutputLayer after = outputOf(back);
                assertEquals(before.getClass(), after.getClass());
                assertEquals(before.getLossFn().toString(), after.getLossFn().toString());
                assertEquals(before.getActivationFn(), after.getActivationFn());
                if (before instanceof AnchorOutputLayer) {
                    AnchorOutputLayer a = (AnchorOutputLayer) before;
                    AnchorOutputLayer b = (AnchorOutputLayer) after;
                    assertEquals(a.isTrainAnchors(), b.isTrainAnchors());
                    assertEquals(a.getRatio(), b.getRatio());
                    assertEquals(a.getUpdateEvery(), b.getUpdateEvery());
                    assertEquals(a.getLambdaSchedule(), b.getLambdaSchedule());
                    assertEquals(a.currentLambda(), b.currentLambda(), "lambda and epoch state");
                }
                // The restored configuration behaves identically (scores and outputs).
                MultiLayerNetwork copy = new MultiLayerNetwork(back);
                copy.init(net.params().dup(), false);
                DataSet d = data(99);
                assertEquals(net.score(d), copy.score(d), 1e-12);
                assertClose(net.output(d.getFeatures()), copy.output(d.getFeatures()), spec + " output");
            }));
        }
        return tests.stream();
    }

    @Test
    void fnrImportanceAndDrwEpochTravelInTheJson() {
        MultiLayerNetwork net = Networks.net(Networks.conf(
                OutputLayers.create("fnr-weighted-ce(alpha=0.5)", Networks.HIDDEN, COUNTS), new Adam(0.01), 1));
        for (int i = 0; i < 4; i++) {
            net.fit(data(i));
        }
        FnrWeightedLoss trained = (FnrWeightedLoss) outputOf(net.getLayerWiseConfigurations()).getLossFn();
        assertEquals(4, trained.getSteps());
        assertNotEquals(1.0, trained.getImportance()[0]);
        FnrWeightedLoss shipped = (FnrWeightedLoss) outputOf(
                MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson())).getLossFn();
        assertArrayEquals(trained.getImportance(), shipped.getImportance(), 0);
        assertEquals(4, shipped.getSteps());

        MultiLayerConfiguration ldam = Networks.conf(OutputLayers.create("ldam(drw=5)", Networks.HIDDEN, COUNTS),
                new Adam(0.01), 1);
        EpochAware.advance(ldam, 6, 10);
        LdamLoss restored = (LdamLoss) outputOf(MultiLayerConfiguration.fromJson(ldam.toJson())).getLossFn();
        assertArrayEquals(ClassProfile.of(COUNTS).classBalancedWeights(0.9999), restored.activeWeights(), 0);
        EpochAware.advance(ldam, 4, 10);
        restored = (LdamLoss) outputOf(MultiLayerConfiguration.fromJson(ldam.toJson())).getLossFn();
        assertEquals(null, restored.activeWeights());
    }

    /**
     * The normalisation travels in the JSON; configurations saved before it existed (no
     * "normalization" property) load with normalize=mean, the only behaviour they knew.
     */
    @Test
    void normalizationTravelsInTheJsonAndOlderJsonMeansMean() {
        MultiLayerConfiguration conf = Networks.conf(OutputLayers.create("ldam(drw=0)", Networks.HIDDEN, COUNTS),
                new Adam(0.01), 1);
        String json = conf.toJson();
        LogitLoss shipped = (LogitLoss) outputOf(MultiLayerConfiguration.fromJson(json)).getLossFn();
        assertEquals(Normalization.WEIGHTS, shipped.getNormalization());
        String older = json.replaceAll("\"normalization\"\\s*:\\s*\"WEIGHTS\"\\s*,?", "");
        assertNotEquals(json, older);
        LogitLoss old = (LogitLoss) outputOf(MultiLayerConfiguration.fromJson(older)).getLossFn();
        assertEquals(Normalization.MEAN, old.getNormalization());
    }

    @Test
    void modelSaveAndLoadKeepFnrStateFamlAnchorsAndEpochs(@TempDir Path dir) throws Exception {
        for (String spec : List.of("fnr-weighted-ce(alpha=0.2)", "faml(n=2)", "faml", "fal", "ldam(drw=auto)")) {
            MultiLayerNetwork net = Networks.net(Networks.conf(OutputLayers.create(spec, Networks.HIDDEN, COUNTS),
                    new Adam(0.01), 4));
            EpochAware.advance(net.getLayerWiseConfigurations(), 8, 10);
            for (int i = 0; i < 5; i++) {
                net.fit(data(i));
            }
            File file = dir.resolve(spec.replaceAll("[^a-z]", "_") + ".zip").toFile();
            ModelSerializer.writeModel(net, file, true);
            MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
            assertEquals(net.getLayerWiseConfigurations().toJson(), loaded.getLayerWiseConfigurations().toJson(), spec);
            assertClose(net.params(), loaded.params(), spec + " params");
            if (spec.startsWith("faml")) {
                assertEquals(5.0, loaded.getLayer(1).getParam(AnchorOutputLayer.FAML_STEP).getDouble(0), 0);
                assertEquals(1.0, loaded.getLayer(1).getParam(AnchorOutputLayer.FAML_SEEN).minNumber().doubleValue(), 0);
            }
            // Training on from the saved state (mid-epoch) gives the same network as training on in
            // memory, through the epoch's end (FAML's default move).
            for (int i = 5; i < 8; i++) {
                net.fit(data(i));
                loaded.fit(data(i));
            }
            EpochEnd.finish(net);
            EpochEnd.finish(loaded);
            assertClose(net.params(), loaded.params(), spec + " params after more training");
            assertEquals(net.getLayerWiseConfigurations().toJson(), loaded.getLayerWiseConfigurations().toJson());
        }
    }

    @Test
    void dl4jEvaluationAcceptsEveryOutputLayer() {
        for (String spec : layerSpecs()) {
            MultiLayerNetwork net = Networks.net(Networks.conf(OutputLayers.create(spec, Networks.HIDDEN, COUNTS),
                    new Adam(0.01), 2));
            net.fit(data(1));
            List<DataSet> list = List.of(data(2), data(3));
            Evaluation eval = net.evaluate(new ListDataSetIterator<>(list, ROWS));
            assertEquals(2 * ROWS, eval.getConfusionMatrix().getActualTotal(0) + eval.getConfusionMatrix().getActualTotal(1)
                    + eval.getConfusionMatrix().getActualTotal(2), spec);
            INDArray p = net.output(data(4).getFeatures());
            assertClose(Nd4j.ones(DataType.DOUBLE, ROWS, 1), p.sum(true, 1), spec + " probabilities sum to 1");
            assertInstanceOf(MultiLayerNetwork.class, net);
            assertTrue(net.score() > 0, spec);
        }
    }
}
