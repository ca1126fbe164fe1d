package org.counterweight.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.counterweight.losses.layers.AnchorOutputLayer;
import org.counterweight.spec.SpecException;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.databind.JsonNode;

import static org.counterweight.losses.TorchFixtures.assertClose;
import static org.counterweight.losses.TorchFixtures.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** FAL/FAML layer behaviour: PyTorch reference values, FAML's anchor moves (reference and by hand), inference output, α. */
class AnchorLayerTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** A network that is only the anchor layer, so its input is the embedding h. */
    static MultiLayerNetwork anchorOnly(String spec, int d, long[] counts) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list().layer(OutputLayers.create(spec, d, counts)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * FAL against PyTorch autograd (make_anchor_fixtures.py): per-example scores and the gradients
     * to h and to the anchors, for alpha = 1, inverse, effective (default and explicit cb_beta) and
     * a list, each with both pull normalisations, and with label masks.
     */
    @TestFactory
    Stream<DynamicTest> falScoresAndGradientsMatchTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : TorchFixtures.anchors().get("fal")) {
            String spec = c.get("spec").asText();
            tests.add(DynamicTest.dynamicTest(spec, () -> {
                long[] counts = TorchFixtures.longs(c.get("counts"));
                int k = counts.length;
                MultiLayerNetwork net = anchorOnly(spec, c.get("h").get(0).size(), counts);
                AnchorLoss loss = (AnchorLoss) ((AnchorOutputLayer) net.getLayer(0).conf().getLayer()).getLossFn();
                double[] alpha = loss.getClassWeights();
                if (alpha == null) {
                    alpha = new double[k];
                    java.util.Arrays.fill(alpha, 1);
                }
                assertArrayEquals(TorchFixtures.vector(c.get("alpha")), alpha, 1e-12, spec + " alpha");
                net.getLayer(0).setParam(AnchorOutputLayer.ANCHORS, matrix(c.get("anchors")));
                INDArray h = matrix(c.get("h"));
                INDArray y = TorchFixtures.oneHot(c.get("labels"), k);
                INDArray mask = TorchFixtures.column(c.get("mask"));
                assertClose(TorchFixtures.column(c.get("scores")),
                        net.scoreExamples(new DataSet(h, y, null, mask), false), spec + " scores");
                Pair<Gradient, INDArray> g = net.calculateGradients(h, y, null, mask);
                assertClose(matrix(c.get("grad_h")), g.getSecond(), spec + " dL/dh");
                assertClose(matrix(c.get("grad_anchors")), g.getFirst().getGradientFor("0_" + AnchorOutputLayer.ANCHORS),
                        spec + " dL/danchors");
            }));
        }
        return tests.stream();
    }

    /**
     * FAML's anchors after every training step against a plain re-implementation of METHODS §3
     * (make_anchor_fixtures.py): one update per class and minibatch, r per update, a class that
     * first appears in the second epoch, a masked step; moves at every epoch end (default n) or
     * every n steps (explicit n, where the epoch end changes nothing).
     */
    @TestFactory
    Stream<DynamicTest> famlAnchorMovesMatchReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : TorchFixtures.anchors().get("faml")) {
            String spec = c.get("spec").asText();
            tests.add(DynamicTest.dynamicTest(spec, () -> {
                int k = c.get("k").asInt();
                long[] counts = new long[k];
                java.util.Arrays.fill(counts, 10);
                MultiLayerNetwork net = anchorOnly(spec, c.get("d").asInt(), counts);
                net.getLayer(0).setParam(AnchorOutputLayer.ANCHORS, matrix(c.get("initial_anchors")));
                int stepsPerEpoch = c.get("steps_per_epoch").asInt();
                int step = 0;
                for (JsonNode s : c.get("steps")) {
                    INDArray y = TorchFixtures.oneHot(s.get("labels"), k);
                    net.fit(new DataSet(matrix(s.get("h")), y, null, TorchFixtures.column(s.get("mask"))));
                    if (++step % stepsPerEpoch == 0) {
                        EpochEnd.finish(net);
                    }
                    assertClose(matrix(s.get("anchors")), net.getLayer(0).getParam(AnchorOutputLayer.ANCHORS),
                            spec + " anchors after step " + step);
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void inferenceOutputIsSoftmaxOfAnchorScoresWithoutMargin() {
        MultiLayerNetwork net = anchorOnly("fal(margin=5)", 2, new long[] {3, 3});
        INDArray phi = Nd4j.create(new double[][] {{0, 0}, {1, 1}});
        net.getLayer(0).setParam(AnchorOutputLayer.ANCHORS, phi);
        INDArray h = Nd4j.create(new double[][] {{0.2, 0.1}, {2, 0}});
        // l = −‖h − φ_k‖²
        INDArray l = Nd4j.create(new double[][] {{-0.05, -1.45}, {-4, -2}});
        assertClose(Transforms.softmax(l, true), net.output(h), "softmax(l)");
    }

    /**
     * FAML by hand: r = 2, λ = 0.5, n = 2. Each minibatch gives one update per class present (the
     * class's mean in it); anchors start at the first update; the second step moves them.
     */
    @Test
    void famlMovesAnchorsToGeometricWeightedMeansOfClassUpdates() {
        MultiLayerNetwork net = anchorOnly("faml(r=2,lambda=0.5,n=2)", 2, new long[] {5, 5});
        INDArray x1 = Nd4j.create(new double[] {1, 0});
        INDArray x2 = Nd4j.create(new double[] {3, 2});
        INDArray x3 = Nd4j.create(new double[] {-1, 4});
        INDArray x4 = Nd4j.create(new double[] {5, 5});
        INDArray x5 = Nd4j.create(new double[] {0, -2});
        INDArray x6 = Nd4j.create(new double[] {2, 6});
        INDArray[] batch1 = {x1, x3, x2};
        INDArray[] batch2 = {x5, x4, x6};
        INDArray y1 = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {1, 0}});
        INDArray y2 = Nd4j.create(new double[][] {{0, 1}, {1, 0}, {0, 1}});
        net.fit(new DataSet(Nd4j.vstack(batch1), y1));
        INDArray anchors = net.getLayer(0).getParam(AnchorOutputLayer.ANCHORS);
        // Step 1: anchors = first-batch class means; n = 2 so no move yet.
        INDArray first0 = x1.add(x2).div(2);
        assertClose(Nd4j.vstack(first0, x3), anchors, "first-batch means");
        net.fit(new DataSet(Nd4j.vstack(batch2), y2));
        // Class 0's updates: (x1 + x2)/2, then x4, weighing 1/2 and 1; class 1's: x3, then (x5 + x6)/2.
        INDArray mu0 = first0.mul(0.5).add(x4).div(1.5);
        INDArray mu1 = x3.mul(0.5).add(x5.add(x6).div(2)).div(1.5);
        INDArray expected = Nd4j.vstack(mu0.mul(0.5).add(first0.mul(0.5)), mu1.mul(0.5).add(x3.mul(0.5)));
        assertClose(expected, net.getLayer(0).getParam(AnchorOutputLayer.ANCHORS), "anchors after the move");
        assertEquals(0.0, net.getLayer(0).getParam(AnchorOutputLayer.FAML_WEIGHT).sumNumber().doubleValue(), 0,
                "updates forgotten after the move");
        assertEquals(2.0, net.getLayer(0).getParam(AnchorOutputLayer.FAML_STEP).getDouble(0), 0);
        // Score-only calls do not move anchors; with an explicit n neither does the epoch's end.
        INDArray before = net.params().dup();
        net.score(new DataSet(Nd4j.vstack(batch1), y1));
        net.output(Nd4j.vstack(batch2));
        net.fit(new DataSet(Nd4j.vstack(batch1), y1));
        INDArray afterStep = net.params().dup();
        EpochEnd.finish(net);
        assertClose(afterStep, net.params(), "params after the epoch end with n = 2");
        assertNotEquals(before, afterStep, "the third step added an update");
    }

    /** Without n, anchors move only when the epoch ends, with every update since the last move. */
    @Test
    void famlByDefaultMovesAnchorsAtTheEpochEnd() {
        MultiLayerNetwork net = anchorOnly("faml(lambda=0.5,r=1)", 2, new long[] {5, 5});
        AnchorOutputLayer conf = (AnchorOutputLayer) net.getLayer(0).conf().getLayer();
        assertEquals(AnchorOutputLayer.EVERY_EPOCH, conf.getUpdateEvery());
        INDArray y = Nd4j.create(new double[][] {{1, 0}, {0, 1}});
        net.fit(new DataSet(Nd4j.create(new double[][] {{0, 0}, {4, 4}}), y));
        for (int i = 0; i < 300; i++) {
            net.fit(new DataSet(Nd4j.create(new double[][] {{2, 2}, {8, 8}}), y));
        }
        assertClose(Nd4j.create(new double[][] {{0, 0}, {4, 4}}), net.getLayer(0).getParam(AnchorOutputLayer.ANCHORS),
                "no move within the epoch, whatever the number of steps");
        EpochEnd.finish(net);
        // r = 1: μ is the plain mean of the 301 updates.
        double m0 = 2 * 300 / 301.0;
        double m1 = (4 + 8 * 300) / 301.0;
        assertClose(Nd4j.create(new double[][] {{m0 / 2, m0 / 2}, {(m1 + 4) / 2, (m1 + 4) / 2}}),
                net.getLayer(0).getParam(AnchorOutputLayer.ANCHORS), "moved at the epoch end");
        INDArray moved = net.params().dup();
        EpochEnd.finish(net);
        assertClose(moved, net.params(), "a second epoch end without updates changes nothing");
    }

    /** r &lt; 1 makes each update weigh more than the next: the weights are rescaled, never overflow. */
    @Test
    void famlGeometricWeightsDoNotOverflow() {
        MultiLayerNetwork net = anchorOnly("faml(r=0.5,lambda=0.5,n=1100)", 3, new long[] {9, 1});
        INDArray h = Nd4j.create(new double[][] {{1, 2, 3}, {-1, 0, 1}, {3, 2, 1}});
        INDArray y = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {1, 0}});
        for (int i = 0; i < 1100; i++) {
            net.fit(new DataSet(h, y));
            assertFalse(net.params().isNaN().any() || net.params().isInfinite().any(), "finite state at step " + i);
        }
        // Every update was the same class mean, so the move lands on it.
        assertClose(Nd4j.create(new double[][] {{2, 2, 2}, {-1, 0, 1}}), net.getLayer(0).getParam(AnchorOutputLayer.ANCHORS),
                "anchors after 1100 equal updates");
    }

    /** α defaults to inverse-frequency weights; every spelling and its errors name the parameter. */
    @Test
    void classWeightsDefaultToInverseAndBadValuesNameTheParameter() {
        long[] counts = {80, 15, 5};
        assertArrayEquals(ClassProfile.of(counts).inverseWeights(), alphaOf("fal", counts), 1e-12);
        assertArrayEquals(ClassProfile.of(counts).inverseWeights(), alphaOf("faml(alpha=inverse)", counts), 1e-12);
        assertArrayEquals(ClassProfile.of(counts).classBalancedWeights(0.9999), alphaOf("fal(alpha=effective)", counts), 1e-12);
        assertArrayEquals(ClassProfile.of(counts).classBalancedWeights(0.9), alphaOf("fal(alpha=effective,cb_beta=0.9)", counts),
                1e-12);
        assertArrayEquals(new double[] {0.5, 2, 0.5}, alphaOf("fal(alpha=1,4,1)", counts), 1e-12);
        assertNull(alphaOf("fal(alpha=1)", counts), "alpha=1: no weights");
        String list = "must be 1, inverse, effective or 3 comma-separated finite values >= 0, not all zero";
        assertSpecError("fal: alpha=1,2 " + list + " (got 2)", "fal(alpha=1,2)", counts);
        assertSpecError("fal: alpha=0.25 " + list + " (got 1)", "fal(alpha=0.25)", counts);
        assertSpecError("faml: alpha=0,0,0 " + list, "faml(alpha=0,0,0)", counts);
        assertSpecError("fal: alpha=1,-1,1 " + list, "fal(alpha=1,-1,1)", counts);
        assertSpecError("fal: alpha=1,NaN,1 " + list, "fal(alpha=1,NaN,1)", counts);
        assertSpecError("fal: alpha=balanced " + list, "fal(alpha=balanced)", counts);
        assertSpecError("fal: cb_beta applies only to alpha=effective", "fal(cb_beta=0.99)", counts);
        assertSpecError("fal: cb_beta=1 is out of range (must be in [0, 1))", "fal(alpha=effective,cb_beta=1)", counts);
        assertSpecError("fal: pull=sum is not one of class-mean|row-mean", "fal(pull=sum)", counts);
        assertSpecError("faml: n=0 is out of range (must be in [1, 2147483647])", "faml(n=0)", counts);
    }

    private static double[] alphaOf(String spec, long[] counts) {
        return ((AnchorLoss) ((AnchorOutputLayer) OutputLayers.create(spec, 4, counts)).getLossFn()).getClassWeights();
    }

    private static void assertSpecError(String message, String spec, long[] counts) {
        assertEquals(message, assertThrows(SpecException.class, () -> OutputLayers.create(spec, 4, counts)).getMessage());
    }

    @Test
    void quadraticLambdaScheduleDecaysFromItsStart() {
        AnchorOutputLayer layer = (AnchorOutputLayer) OutputLayers.create("faml(lambda_schedule=quadratic)", 4,
                new long[] {5, 5});
        assertEquals(0.9, layer.currentLambda(), 1e-15);
        layer.onEpoch(25, 50);
        assertEquals(0.9 * 0.25, layer.currentLambda(), 1e-15);
        AnchorOutputLayer constant = (AnchorOutputLayer) OutputLayers.create("faml", 4, new long[] {5, 5});
        constant.onEpoch(25, 50);
        assertEquals(0.999, constant.currentLambda(), 1e-15);
    }
}
