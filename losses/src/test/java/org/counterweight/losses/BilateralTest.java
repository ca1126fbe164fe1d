package org.counterweight.losses;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.counterweight.losses.layers.BilateralBranchLayer;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import static org.counterweight.losses.TorchFixtures.assertClose;
import static org.counterweight.losses.TorchFixtures.matrix;
import static org.counterweight.losses.TorchFixtures.oneHot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BBN (Zhou et al. 2020): the cumulative learning schedule, the branch layer's training and
 * inference passes, the mixed loss, against a PyTorch network written from the paper and its
 * official code (tools/fixtures/losses/make_bbn_fixture.py) and against finite differences.
 */
class BilateralTest {
    static final long[] COUNTS = {6, 3, 1};
    static final int D = 4;
    static final int H0 = 5;
    static final int H = 3;
    static final int K = 3;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static JsonNode fixture() throws IOException {
        try (InputStream in = BilateralTest.class.getResourceAsStream("/losses/bbn-torch-reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** shared dense (tanh) → branch layer (tanh, h per branch) → bbn classifier. */
    static MultiLayerNetwork net(Activation branchActivation, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(D).nOut(H0).activation(Activation.TANH).build())
                .layer(new BilateralBranchLayer.Builder().nIn(H0).branchWidth(H).activation(branchActivation).build())
                .layer(OutputLayers.create("bbn", 2 * H, COUNTS)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray stack(INDArray conventional, INDArray rebalancing) {
        return Nd4j.vstack(conventional, rebalancing);
    }

    static INDArray pairLabels(INDArray yc, INDArray yr) {
        return Nd4j.hstack(yc, yr);
    }

    @Test
    void alphaIsOneMinusTheSquaredFractionOfEpochsTrained() {
        for (int e = 0; e < 10; e++) {
            assertEquals(1 - (e / 10.0) * (e / 10.0), CumulativeLearning.alpha(e, 10), 1e-15, "epoch " + e);
        }
        assertEquals(1.0, CumulativeLearning.alpha(0, 50), 0, "the first epoch trains the conventional branch only");
        assertEquals(1 - 0.98 * 0.98, CumulativeLearning.alpha(49, 50), 1e-15);
        assertEquals(CumulativeLearning.alpha(49, 50), CumulativeLearning.alpha(60, 50), 0, "an extended run holds the end");
        assertEquals(1.0, CumulativeLearning.alpha(5, 0), 0, "before the schedule is known");
    }

    @Test
    void epochAwareAdvanceSetsAlphaInTheBranchLayerAndTheLoss() {
        MultiLayerNetwork net = net(Activation.TANH, 1);
        for (int e = 0; e < 4; e++) {
            EpochAware.advance(net.getLayerWiseConfigurations(), e, 4);
            double expected = 1 - (e / 4.0) * (e / 4.0);
            assertEquals(expected, branch(net).alpha(), 0);
            assertEquals(expected, loss(net).alpha(), 0);
        }
    }

    static BilateralBranchLayer branch(MultiLayerNetwork net) {
        return (BilateralBranchLayer) net.getLayerWiseConfigurations().getConf(1).getLayer();
    }

    static BilateralLoss loss(MultiLayerNetwork net) {
        return (BilateralLoss) ((org.deeplearning4j.nn.conf.layers.BaseOutputLayer)
                net.getLayerWiseConfigurations().getConf(2).getLayer()).getLossFn();
    }

    /** Loads the fixture's parameters (torch layout [in, out]) into the DL4J network. */
    static MultiLayerNetwork fixtureNet(JsonNode f) {
        MultiLayerNetwork net = net(Activation.TANH, 1);
        JsonNode p = f.get("params");
        net.getLayer(0).setParam("W", matrix(p.get("W0")));
        net.getLayer(0).setParam("b", row(p.get("b0")));
        net.getLayer(1).setParam("W", Nd4j.hstack(matrix(p.get("Wc")), matrix(p.get("Wr"))));
        net.getLayer(1).setParam("b", Nd4j.hstack(row(p.get("bc")), row(p.get("br"))));
        net.getLayer(2).setParam("W", matrix(p.get("V")));
        net.getLayer(2).setParam("b", row(p.get("v")));
        EpochAware.advance(net.getLayerWiseConfigurations(), f.get("epoch").asInt(), f.get("epochs").asInt());
        return net;
    }

    static INDArray row(JsonNode v) {
        double[] d = TorchFixtures.vector(v);
        return Nd4j.create(d, new long[] {1, d.length}, DataType.DOUBLE);
    }

    @Test
    void trainingStepMatchesPyTorchBbn() throws IOException {
        JsonNode f = fixture();
        MultiLayerNetwork net = fixtureNet(f);
        assertEquals(f.get("alpha").asDouble(), branch(net).alpha(), 1e-15);
        INDArray x = stack(matrix(f.get("x_c")), matrix(f.get("x_r")));
        INDArray y = pairLabels(oneHot(f.get("y_c"), K), oneHot(f.get("y_r"), K));
        int n = f.get("y_c").size();
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        assertEquals(f.get("loss").asDouble(), net.score(), 1e-10, "mean loss over the pairs");
        assertEquals(n, net.batchSize(), "DL4J normalises by the number of pairs (the label rows)");
        JsonNode g = f.get("grads");
        // DL4J's gradient is that of the summed loss; its updater divides by the minibatch size N.
        INDArray scale = Nd4j.scalar(DataType.DOUBLE, n);
        assertClose(matrix(g.get("W0")).mul(scale), net.gradient().getGradientFor("0_W"), "W0");
        assertClose(row(g.get("b0")).mul(scale), net.gradient().getGradientFor("0_b"), "b0");
        assertClose(Nd4j.hstack(matrix(g.get("Wc")), matrix(g.get("Wr"))).mul(scale),
                net.gradient().getGradientFor("1_W"), "Wc|Wr");
        assertClose(Nd4j.hstack(row(g.get("bc")), row(g.get("br"))).mul(scale), net.gradient().getGradientFor("1_b"), "bc|br");
        assertClose(matrix(g.get("V")).mul(scale), net.gradient().getGradientFor("2_W"), "V");
        assertClose(row(g.get("v")).mul(scale), net.gradient().getGradientFor("2_b"), "v");
        assertEquals(f.get("loss").asDouble(), net.score(new org.nd4j.linalg.dataset.DataSet(x, y), true), 1e-10,
                "score(DataSet, training) takes the same path");
    }

    @Test
    void inferenceUsesBothBranchesOnTheSameInputWithAlphaOneHalf() throws IOException {
        JsonNode f = fixture();
        MultiLayerNetwork net = fixtureNet(f);
        INDArray x = matrix(f.get("x_c"));
        assertClose(matrix(f.get("inference_probs")), net.output(x), "softmax of cat(f_c(x), f_r(x))");

        // The branch layer at inference equals its training mix with α = 1/2 on [x; x]: the training
        // pass gives [2α f_c(x), 2(1−α) f_r(x)], so rescale each half to 2 · 1/2.
        INDArray h = net.feedForwardToLayer(0, x, false).get(1);
        INDArray inference = net.getLayer(1).activate(h, false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        INDArray training = net.getLayer(1).activate(stack(h, h), true,
                org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces()).dup();
        double a = branch(net).alpha();
        double half = CumulativeLearning.INFERENCE_ALPHA;
        training.get(NDArrayIndex.all(), NDArrayIndex.interval(0, H)).muli(2 * half / (2 * a));
        training.get(NDArrayIndex.all(), NDArrayIndex.interval(H, 2 * H)).muli(2 * (1 - half) / (2 * (1 - a)));
        assertClose(training, inference, "inference = training mix at α = 0.5");
        assertEquals(x.size(0), net.output(x).size(0), "one output row per input row at inference");
    }

    @Test
    void passesGradientCheckForEveryActivationAndAlpha() {
        for (Activation act : new Activation[] {Activation.TANH, Activation.SIGMOID, Activation.ELU}) {
            for (int epoch : new int[] {0, 2, 3}) {
                MultiLayerNetwork net = net(act, 5 + epoch);
                EpochAware.advance(net.getLayerWiseConfigurations(), epoch, 4);
                Nd4j.getRandom().setSeed(17 + epoch);
                INDArray x = Nd4j.randn(DataType.DOUBLE, 10, D);
                INDArray y = pairLabels(Networks.labels(5, K, epoch), Networks.labels(5, K, epoch + 100));
                assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                        .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), act + " epoch " + epoch);
            }
        }
    }

    @Test
    void lossIsTheAlphaWeightedSumOfTheTwoCrossEntropies() {
        ILossFunction ce = Losses.create("ce", COUNTS);
        BilateralLoss bbn = new BilateralLoss();
        bbn.onEpoch(7, 10);
        double a = 1 - 0.49;
        Nd4j.getRandom().setSeed(3);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 6, K).muli(3);
        INDArray yc = Networks.labels(6, K, 1);
        INDArray yr = Networks.labels(6, K, 2);
        ActivationSoftmax softmax = new ActivationSoftmax();
        INDArray expected = ce.computeScoreArray(yc, z, softmax, null).mul(a).add(ce.computeScoreArray(yr, z, softmax, null).mul(1 - a));
        assertClose(expected, bbn.computeScoreArray(pairLabels(yc, yr), z, softmax, null), "per-pair loss");
        INDArray expectedGrad = ce.computeGradient(yc, z, softmax, null).mul(a).add(ce.computeGradient(yr, z, softmax, null).mul(1 - a));
        assertClose(expectedGrad, bbn.computeGradient(pairLabels(yc, yr), z, softmax, null), "gradient");
        assertEquals(expected.sumNumber().doubleValue() / 6, bbn.computeScore(pairLabels(yc, yr), z, softmax, null, true), 1e-12);

        assertClose(ce.computeScoreArray(yc, z, softmax, null), bbn.computeScoreArray(yc, z, softmax, null),
                "plain [N, K] labels: CE whatever α");
        INDArray mask = Nd4j.create(new double[] {1, 0, 1, 1, 0, 1}, new long[] {6, 1}, DataType.DOUBLE);
        INDArray masked = bbn.computeScoreArray(pairLabels(yc, yr), z, softmax, mask);
        assertClose(expected.mul(mask), masked, "masked pairs contribute nothing");
        assertThrows(IllegalArgumentException.class,
                () -> bbn.computeScoreArray(Nd4j.zeros(DataType.DOUBLE, 6, 4), z, softmax, null));
    }

    @Test
    void eachBranchIsInitialisedAsADenseLayerOfItsOwnWidth() {
        List<String> calls = new ArrayList<>();
        IWeightInit recording = (fanIn, fanOut, shape, order, view) -> {
            calls.add(fanIn + "," + fanOut + "," + shape[0] + "x" + shape[1] + "," + view.length());
            return view.assign(calls.size());
        };
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new BilateralBranchLayer.Builder().nIn(D).branchWidth(H).activation(Activation.RELU)
                        .weightInit(recording).build())
                .layer(OutputLayers.create("bbn", 2 * H, COUNTS)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertEquals(List.of("4.0,3.0,4x3," + D * H, "4.0,3.0,4x3," + D * H), calls);
        INDArray w = net.getLayer(0).getParam("W");
        assertEquals(1.0, w.get(NDArrayIndex.all(), NDArrayIndex.interval(0, H)).minNumber().doubleValue(), 0);
        assertEquals(1.0, w.get(NDArrayIndex.all(), NDArrayIndex.interval(0, H)).maxNumber().doubleValue(), 0);
        assertEquals(2.0, w.get(NDArrayIndex.all(), NDArrayIndex.interval(H, 2 * H)).minNumber().doubleValue(), 0);
    }

    @Test
    void trainingNeedsAnEvenNumberOfRows() {
        MultiLayerNetwork net = net(Activation.TANH, 2);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 5, D);
        INDArray y = pairLabels(Networks.labels(2, K, 1), Networks.labels(2, K, 2));
        net.setInput(x);
        net.setLabels(y);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, net::computeGradientAndScore);
        assertTrue(e.getMessage().contains("[2N, " + H0 + "]"), e.getMessage());
    }

    @Test
    void alphaSurvivesTheJsonRoundTrip() {
        MultiLayerNetwork net = net(Activation.TANH, 3);
        EpochAware.advance(net.getLayerWiseConfigurations(), 3, 7);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        assertEquals(branch(net).alpha(), ((BilateralBranchLayer) back.getConf(1).getLayer()).alpha(), 0);
        assertEquals(loss(net).alpha(), ((BilateralLoss) ((org.deeplearning4j.nn.conf.layers.BaseOutputLayer)
                back.getConf(2).getLayer()).getLossFn()).alpha(), 0);
        assertEquals(1 - (3 / 7.0) * (3 / 7.0), loss(net).alpha(), 1e-15);
    }
}
