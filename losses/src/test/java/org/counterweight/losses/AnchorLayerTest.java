package org.counterweight.losses;

import org.counterweight.losses.layers.AnchorOutputLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** FAL/FAML layer behaviour: PyTorch reference values, FAML's anchor moves by hand, inference output. */
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

    @Test
    void falScoresAndGradientsMatchTorch() {
        for (JsonNode c : TorchFixtures.root().get("anchors")) {
            int k = c.get("k").asInt();
            long[] counts = new long[k];
            java.util.Arrays.fill(counts, 10);
            String alpha = c.get("alpha").toString().replaceAll("[\\[\\]]", "");
            String spec = "fal(gamma=" + c.get("gamma").asDouble() + ",alpha=" + alpha + ",margin="
                    + c.get("margin").asDouble() + ",beta=" + c.get("beta").asDouble() + ")";
            MultiLayerNetwork net = anchorOnly(spec, c.get("d").asInt(), counts);
            net.getLayer(0).setParam(AnchorOutputLayer.ANCHORS, matrix(c.get("anchors")));
            INDArray h = matrix(c.get("h"));
            INDArray y = TorchFixtures.oneHot(c.get("labels"), k);
            assertClose(TorchFixtures.column(c.get("scores")), net.scoreExamples(new DataSet(h, y), false), spec + " scores");
            Pair<Gradient, INDArray> g = net.calculateGradients(h, y, null, null);
            assertClose(matrix(c.get("grad_h")), g.getSecond(), spec + " dL/dh");
            assertClose(matrix(c.get("grad_anchors")), g.getFirst().getGradientFor("0_" + AnchorOutputLayer.ANCHORS),
                    spec + " dL/danchors");
        }
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

    /** FAML by hand: r = 2, λ = 0.5, n = 2; anchors start at first-batch means, then move. */
    @Test
    void famlMovesAnchorsToGeometricWeightedClassMeans() {
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
        assertClose(Nd4j.vstack(x1.add(x2).div(2), x3), anchors, "first-batch means");
        net.fit(new DataSet(Nd4j.vstack(batch2), y2));
        // Class 0 seen x1, x2, x4 (newest last): weights 1/4, 1/2, 1. Class 1: x3, x5, x6 likewise.
        INDArray mu0 = x1.mul(0.25).add(x2.mul(0.5)).add(x4).div(1.75);
        INDArray mu1 = x3.mul(0.25).add(x5.mul(0.5)).add(x6).div(1.75);
        INDArray expected = Nd4j.vstack(mu0.mul(0.5).add(x1.add(x2).div(2).mul(0.5)), mu1.mul(0.5).add(x3.mul(0.5)));
        assertClose(expected, net.getLayer(0).getParam(AnchorOutputLayer.ANCHORS), "anchors after the move");
        assertEquals(0.0, net.getLayer(0).getParam(AnchorOutputLayer.FAML_WEIGHT).sumNumber().doubleValue(), 0,
                "accumulators reset after the move");
        assertEquals(2.0, net.getLayer(0).getParam(AnchorOutputLayer.FAML_STEP).getDouble(0), 0);
        // Score-only calls do not move anchors.
        INDArray before = net.params().dup();
        net.score(new DataSet(Nd4j.vstack(batch1), y1));
        net.output(Nd4j.vstack(batch2));
        assertClose(before, net.params(), "params after score-only calls");
    }

    @Test
    void famlGeometricWeightsDoNotOverflowOnLargeBatches() {
        MultiLayerNetwork net = anchorOnly("faml(n=1)", 3, new long[] {9, 1});
        Nd4j.getRandom().setSeed(5);
        INDArray h = Nd4j.randn(DataType.DOUBLE, 5000, 3);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 5000, 2);
        y.getColumn(0).assign(1);
        y.putScalar(0, 0, 0);
        y.putScalar(0, 1, 1);
        net.fit(new DataSet(h, y));
        net.fit(new DataSet(h, y));
        assertFalse(net.params().isNaN().any() || net.params().isInfinite().any(), "finite anchors and state");
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
