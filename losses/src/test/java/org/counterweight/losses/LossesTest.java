package org.counterweight.losses;

import java.util.ArrayList;
import java.util.List;
import org.counterweight.losses.layers.AnchorOutputLayer;
import org.counterweight.spec.SpecException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import static org.counterweight.losses.TorchFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The factory, DL4J conventions (LossMCXENT, masks) and the DRW schedule. */
class LossesTest {
    static final long[] COUNTS = {400, 80, 20};

    static INDArray logits(int n, int k, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, n, k).muli(2);
    }

    static INDArray labels(int n, int k) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, k);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i * 7 + 1) % k, 1.0);
        }
        return y;
    }

    @Test
    void ceEqualsDl4jMcxentWithSoftmax() {
        INDArray z = logits(9, 3, 1);
        INDArray y = labels(9, 3);
        INDArray mask = Nd4j.create(new double[] {1, 1, 0, 1, 1, 1, 0, 1, 1}, new long[] {9, 1}, DataType.DOUBLE);
        LossMCXENT reference = new LossMCXENT(0.0, null);
        ILossFunction ce = Losses.create("ce", null);
        for (INDArray m : new INDArray[] {null, mask}) {
            assertClose(reference.computeScoreArray(y, z, new ActivationSoftmax(), m),
                    ce.computeScoreArray(y, z, new ActivationIdentity(), m), "scores");
            assertClose(reference.computeGradient(y, z, new ActivationSoftmax(), m),
                    ce.computeGradient(y, z, new ActivationIdentity(), m), "gradient");
            for (boolean average : new boolean[] {true, false}) {
                assertEquals(reference.computeScore(y, z, new ActivationSoftmax(), m, average),
                        ce.computeScore(y, z, new ActivationSoftmax(), m, average), 1e-10);
            }
        }
    }

    /**
     * Logit adjustment with τ = 1 adds log π_k = log n_k − log N to the logits, balanced softmax
     * adds log n_k: softmax ignores the common shift log N, so both train identically (issue 15:
     * one of them is enough in a method list).
     */
    @Test
    void logitAdjustedWithTauOneIsBalancedSoftmax() {
        INDArray z = logits(9, 3, 4);
        INDArray y = labels(9, 3);
        ILossFunction adjusted = Losses.create("logit-adjusted(tau=1)", COUNTS);
        ILossFunction balanced = Losses.create("balanced-softmax", COUNTS);
        assertClose(balanced.computeScoreArray(y, z, new ActivationIdentity(), null),
                adjusted.computeScoreArray(y, z, new ActivationIdentity(), null), "scores");
        assertClose(balanced.computeGradient(y, z, new ActivationIdentity(), null),
                adjusted.computeGradient(y, z, new ActivationIdentity(), null), "gradient");
    }

    @Test
    void weightedCeEqualsDl4jWeightedMcxent() {
        INDArray z = logits(8, 3, 2);
        INDArray y = labels(8, 3);
        double[] w = ClassProfile.of(COUNTS).inverseWeights();
        LossMCXENT reference = new LossMCXENT(0.0, Nd4j.create(w, new long[] {1, 3}, DataType.DOUBLE));
        ILossFunction loss = Losses.create("weighted-ce(weights=inverse)", COUNTS);
        assertClose(reference.computeScoreArray(y, z, new ActivationSoftmax(), null),
                loss.computeScoreArray(y, z, new ActivationIdentity(), null), "scores");
        assertClose(reference.computeGradient(y, z, new ActivationSoftmax(), null),
                loss.computeGradient(y, z, new ActivationIdentity(), null), "gradient");
    }

    /**
     * Every loss: masked rows score 0 with zero gradient, other rows are unchanged up to the
     * minibatch constant of normalize=weights, whose weight sum leaves the masked rows out.
     */
    @Test
    void everyLossRespectsPerExampleMasks() {
        INDArray z = logits(6, 3, 3);
        INDArray y = labels(6, 3);
        INDArray mask = Nd4j.create(new double[] {1, 0, 1, 1, 0, 1}, new long[] {6, 1}, DataType.DOUBLE);
        for (String spec : allSpecs()) {
            ILossFunction plain = Losses.create(spec, COUNTS);
            ILossFunction masked = Losses.create(spec, COUNTS);
            double rescale = normaliser(masked, y, mask) / normaliser(plain, y, null);
            INDArray s0 = plain.computeScoreArray(y, z, new ActivationIdentity(), null);
            INDArray s1 = masked.computeScoreArray(y, z, new ActivationIdentity(), mask);
            assertClose(s0.mul(mask).muli(rescale), s1, spec + " masked scores");
            assertEquals(s1.sumNumber().doubleValue() / 6,
                    masked.computeScore(y, z, new ActivationIdentity(), mask, true), 1e-10, spec + " average");
            INDArray g0 = plain.computeGradient(y, z, new ActivationIdentity(), null);
            INDArray g1 = masked.computeGradient(y, z, new ActivationIdentity(), mask);
            if (!spec.startsWith("fnr")) {
                assertClose(g0.mulColumnVector(mask).muli(rescale), g1, spec + " masked gradient");
            }
        }
    }

    /**
     * The constant normalize=weights multiplies scores and gradient rows by, N / Σ_i m_i w_{y_i}
     * with the weights in force; 1 for normalize=mean. Written from the definition (METHODS §2).
     */
    static double normaliser(ILossFunction loss, INDArray labels, INDArray mask) {
        LogitLoss l = (LogitLoss) loss;
        if (l.getNormalization() == Normalization.MEAN) {
            return 1;
        }
        double[] w = l.activeWeights();
        int[] y = Nd4j.argMax(labels, 1).toIntVector();
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            total += (mask == null ? 1 : mask.getDouble(i, 0)) * (w == null ? 1 : w[y[i]]);
        }
        return y.length / total;
    }

    /**
     * Batches above LogitLoss.Batch.SMALL entries read labels and logits through native
     * reductions, smaller ones through one bulk copy: both must give the same numbers.
     */
    @Test
    void largeAndSmallBatchPathsAgree() {
        int k = 20;
        long[] counts = new long[k];
        for (int c = 0; c < k; c++) {
            counts[c] = 1000 - 45L * c;
        }
        int n = 4096;
        assertTrue((long) n * k > LogitLoss.Batch.SMALL && (long) n / 2 * k <= LogitLoss.Batch.SMALL);
        INDArray z = logits(n, k, 8).muli(0.4);
        INDArray y = labels(n, k);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, n, 1);
        mask.putScalar(5, 0, 0);
        mask.putScalar(4000, 0, 0);
        List<String> specs = new ArrayList<>(allSpecs());
        specs.add("focal(gamma=0.5,alpha=" + "1,".repeat(k - 1) + "2)");
        for (String spec : specs) {
            String s = spec.replace("alpha=1,2,3", "alpha=" + "1,".repeat(k - 1) + "3");
            ILossFunction whole = Losses.create(s, counts);
            ILossFunction parts = Losses.create(s, counts);
            INDArray[] halves = {z.get(NDArrayIndex.interval(0, n / 2), NDArrayIndex.all()),
                    z.get(NDArrayIndex.interval(n / 2, n), NDArrayIndex.all())};
            INDArray[] labelHalves = {y.get(NDArrayIndex.interval(0, n / 2), NDArrayIndex.all()),
                    y.get(NDArrayIndex.interval(n / 2, n), NDArrayIndex.all())};
            INDArray[] maskHalves = {mask.get(NDArrayIndex.interval(0, n / 2), NDArrayIndex.all()),
                    mask.get(NDArrayIndex.interval(n / 2, n), NDArrayIndex.all())};
            // normalize=weights: each half has its own minibatch constant; bring both to the whole's.
            double c = normaliser(whole, y, mask);
            double[] toWhole = {c / normaliser(parts, labelHalves[0], maskHalves[0]),
                    c / normaliser(parts, labelHalves[1], maskHalves[1])};
            INDArray expected = Nd4j.vstack(
                    parts.computeScoreArray(labelHalves[0], halves[0], new ActivationIdentity(), maskHalves[0])
                            .muli(toWhole[0]),
                    parts.computeScoreArray(labelHalves[1], halves[1], new ActivationIdentity(), maskHalves[1])
                            .muli(toWhole[1]));
            assertClose(expected, whole.computeScoreArray(y, z, new ActivationIdentity(), mask), s + " scores");
            if (!s.startsWith("fnr")) {
                INDArray expectedGrad = Nd4j.vstack(
                        parts.computeGradient(labelHalves[0], halves[0], new ActivationIdentity(), maskHalves[0])
                                .muli(toWhole[0]),
                        parts.computeGradient(labelHalves[1], halves[1], new ActivationIdentity(), maskHalves[1])
                                .muli(toWhole[1]));
                assertClose(expectedGrad, whole.computeGradient(y, z, new ActivationIdentity(), mask), s + " gradient");
            }
        }
        // FNR: one update on the whole batch equals the update from the class counts of all rows.
        FnrWeightedLoss fnr = (FnrWeightedLoss) Losses.create("fnr-weighted-ce(alpha=1)", counts);
        fnr.computeGradient(y, z, new ActivationIdentity(), mask);
        int[] predicted = Nd4j.argMax(z, 1).toIntVector();
        int[] truth = Nd4j.argMax(y, 1).toIntVector();
        double[] rows = new double[k];
        double[] missed = new double[k];
        for (int i = 0; i < n; i++) {
            if (mask.getDouble(i, 0) != 0) {
                rows[truth[i]]++;
                missed[truth[i]] += predicted[i] != truth[i] ? 1 : 0;
            }
        }
        for (int c = 0; c < k; c++) {
            assertEquals(missed[c] / rows[c], fnr.getImportance()[c], 1e-12, "FNR of class " + c);
        }
    }

    /** In float32 softmax(z)_y underflows to 0 for a logit gap of 200; the loss stays exact. */
    @Test
    void confidentlyWrongRowsGiveExactFiniteLossInFloat32() {
        INDArray z = Nd4j.create(new float[][] {{0f, 200f}, {3f, 1f}});
        INDArray y = Nd4j.create(new float[][] {{1f, 0f}, {1f, 0f}});
        INDArray ce = Losses.create("ce", null).computeScoreArray(y, z, new ActivationIdentity(), null);
        assertEquals(DataType.FLOAT, ce.dataType());
        assertEquals(200.0, ce.getDouble(0), 1e-4);
        assertEquals(Math.log1p(Math.exp(-2)), ce.getDouble(1), 1e-6);
        INDArray focal = Losses.create("focal(gamma=2)", null).computeScoreArray(y, z, new ActivationIdentity(), null);
        assertEquals(200.0, focal.getDouble(0), 1e-4);
        INDArray grad = Losses.create("ce", null).computeGradient(y, z, new ActivationIdentity(), null);
        assertClose(Nd4j.create(new float[] {-1f, 1f}), grad.getRow(0), "gradient p − e_y");
    }

    @Test
    void fnrIgnoresMaskedRowsWhenCountingErrors() {
        INDArray z = Nd4j.create(new double[][] {{2, 0}, {2, 0}, {0, 2}}).castTo(DataType.DOUBLE);
        INDArray y = Nd4j.create(new double[][] {{0, 1}, {0, 1}, {0, 1}}).castTo(DataType.DOUBLE);
        INDArray mask = Nd4j.create(new double[] {1, 0, 1}, new long[] {3, 1}, DataType.DOUBLE);
        FnrWeightedLoss loss = (FnrWeightedLoss) Losses.create("fnr-weighted-ce(alpha=0.5)", new long[] {5, 5});
        loss.computeGradient(y, z, new ActivationIdentity(), mask);
        // Class 1: 2 unmasked rows, 1 misclassified → FNR 0.5; importance 0.5·0.5 + 0.5·1 = 0.75.
        // Class 0 absent → unchanged.
        assertArrayEquals(new double[] {1.0, 0.75}, loss.getImportance(), 1e-12);
    }

    @Test
    void drwSwitchesFromUnweightedToClassBalancedAtTheEpoch() {
        INDArray z = logits(6, 3, 4).muli(0.3);
        INDArray y = labels(6, 3);
        LdamLoss drw = (LdamLoss) Losses.create("ldam(drw=3)", COUNTS);
        ILossFunction unweighted = Losses.create("ldam", COUNTS);
        ILossFunction weightedFromStart = Losses.create("ldam(drw=0)", COUNTS);
        INDArray before = unweighted.computeScoreArray(y, z, new ActivationIdentity(), null);
        INDArray after = weightedFromStart.computeScoreArray(y, z, new ActivationIdentity(), null);
        assertNotEquals(before.sumNumber().doubleValue(), after.sumNumber().doubleValue(), 1e-6);
        for (int epoch = 0; epoch < 5; epoch++) {
            drw.onEpoch(epoch, 5);
            INDArray expected = epoch < 3 ? before : after;
            assertClose(expected, drw.computeScoreArray(y, z, new ActivationIdentity(), null), "epoch " + epoch);
        }
        assertArrayEquals(ClassProfile.of(COUNTS).classBalancedWeights(0.9999), drw.getClassWeights(), 1e-15);
    }

    @Test
    void epochAwareReachesLossesAndLayersOfNetworksAndGraphs() {
        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("faml", OutputLayers.create("faml(lambda_schedule=quadratic)", 4, COUNTS), "in")
                .addLayer("ldam", OutputLayers.create("ldam(drw=2)", 4, COUNTS), "in")
                .setOutputs("faml", "ldam").build();
        EpochAware.advance(graph, 5, 10);
        AnchorOutputLayer faml = (AnchorOutputLayer)
                ((LayerVertex) graph.getVertices().get("faml")).getLayerConf().getLayer();
        assertEquals(0.9 * 0.25, faml.currentLambda(), 1e-15);
        LdamLoss ldam = (LdamLoss) ((BaseOutputLayer)
                ((LayerVertex) graph.getVertices().get("ldam")).getLayerConf()
                        .getLayer()).getLossFn();
        assertArrayEquals(ClassProfile.of(COUNTS).classBalancedWeights(0.9999), ldam.activeWeights(), 0);
        assertThrows(IllegalArgumentException.class, () -> EpochAware.advance(graph, 10, 10));
    }

    @Test
    void drwAutoSwitchesAtEightyPercentOfTheEpochs() {
        SoftmaxLoss loss = (SoftmaxLoss) Losses.create("cb(beta=0.999,drw=auto)", COUNTS);
        loss.onEpoch(159, 200);
        assertNull(loss.activeWeights());
        loss.onEpoch(160, 200);
        assertEquals(160, loss.weightsFromEpoch());
        assertArrayEquals(ClassProfile.of(COUNTS).classBalancedWeights(0.999), loss.activeWeights(), 1e-15);
    }

    @Test
    void factoryBuildsTheDocumentedDefaults() {
        LdamLoss ldam = (LdamLoss) Losses.create("ldam", COUNTS);
        assertEquals(30, ldam.getScale());
        assertEquals(0.5, ldam.getMargins()[2], 1e-15);
        SoftmaxLoss focal = (SoftmaxLoss) Losses.create("focal", null);
        assertEquals(2.0, focal.getGamma());
        SoftmaxLoss cbFocal = (SoftmaxLoss) Losses.create("cb(base=focal)", COUNTS);
        assertEquals(1.0, cbFocal.getGamma());
        assertArrayEquals(ClassProfile.of(COUNTS).classBalancedWeights(0.9999), cbFocal.getClassWeights(), 1e-15);
        assertInstanceOf(ClassBalancedSigmoidLoss.class, Losses.create("cb(base=sigmoid)", COUNTS));
        assertEquals(19, ((SoftmaxLoss) Losses.create("mm", COUNTS)).getScale());
        assertEquals(1.0, ((ElmLoss) Losses.create("elm", COUNTS)).getLambda());
        assertEquals(0.01, ((FnrWeightedLoss) Losses.create("fnr-weighted-ce", COUNTS)).getAlpha());
        // The spellings of DESIGN.md (spaces after commas) parse the same.
        SoftmaxLoss spaced = (SoftmaxLoss) Losses.create("cb(beta=0.9999, base=focal, gamma=1.0)", COUNTS);
        assertEquals(cbFocal.toString(), spaced.toString());
        assertEquals(30, ((SoftmaxLoss) Losses.create("ldam(max_margin=0.5, scale=30)", COUNTS)).getScale());
        assertArrayEquals(new double[] {0.25, 0.75},
                ((SoftmaxLoss) Losses.create("focal(alpha=0.75)", new long[] {9, 1})).getClassWeights(), 0);
    }

    @Test
    void badSpecsAreClearErrors() {
        assertMessage("unknown loss 'cross-entropy' (known: balanced-softmax, cb, ce, elm, fnr-weighted-ce, "
                + "focal, ldam, logit-adjusted, mm, weighted-ce)", () -> Losses.create("cross-entropy", COUNTS));
        assertMessage("faml is an output layer (it holds the anchors): use OutputLayers.create",
                () -> Losses.create("faml", COUNTS));
        assertMessage("bbn is BBN's classifier on two branches: use OutputLayers.create with a BilateralBranchLayer below it",
                () -> Losses.create("bbn", COUNTS));
        assertMessage("bbn: unknown parameter 'alpha' (allowed: none)", () -> OutputLayers.create("bbn(alpha=1)", 4, COUNTS));
        assertMessage("unknown loss 'anchors' (known: balanced-softmax, bbn, cb, ce, elm, fal, faml, fnr-weighted-ce, "
                + "focal, ldam, logit-adjusted, mm, weighted-ce)", () -> OutputLayers.create("anchors", 4, COUNTS));
        assertMessage("faml: unknown parameter 'lr' (allowed: alpha, beta, cb_beta, gamma, lambda, lambda_schedule, margin, n, pull, r)",
                () -> OutputLayers.create("faml(lr=1)", 4, COUNTS));
        assertMessage("fal: unknown parameter 'r' (allowed: alpha, beta, cb_beta, gamma, margin, pull)",
                () -> OutputLayers.create("fal(r=1.3)", 4, COUNTS));
        assertMessage("faml: lambda_schedule=cubic is not one of constant|quadratic",
                () -> OutputLayers.create("faml(lambda_schedule=cubic)", 4, COUNTS));
        assertMessage("ldam: unknown parameter 'margin' (allowed: beta, drw, head, max_margin, normalize, scale)",
                () -> Losses.create("ldam(margin=0.5)", COUNTS));
        assertMessage("focal: gamma=-1 is out of range (must be >= 0)", () -> Losses.create("focal(gamma=-1)", COUNTS));
        assertMessage("cb: beta=1 is out of range (must be in [0, 1))", () -> Losses.create("cb(beta=1)", COUNTS));
        assertMessage("cb: base=dice is not one of ce|focal|sigmoid", () -> Losses.create("cb(base=dice)", COUNTS));
        assertMessage("cb: gamma applies only to base=focal", () -> Losses.create("cb(gamma=2)", COUNTS));
        assertMessage("weighted-ce: weights=sqrt is not one of inverse|cb",
                () -> Losses.create("weighted-ce(weights=sqrt)", COUNTS));
        assertMessage("ldam: drw=soon must be an epoch (integer >= 0) or auto",
                () -> Losses.create("ldam(drw=soon)", COUNTS));
        assertMessage("ldam: beta applies only with drw (deferred class-balanced weights)",
                () -> Losses.create("ldam(beta=0.99)", COUNTS));
        assertMessage("focal: drw needs class weights (give alpha)", () -> Losses.create("focal(drw=2)", COUNTS));
        assertMessage("focal: normalize needs class weights (give alpha)",
                () -> Losses.create("focal(normalize=weights)", COUNTS));
        assertMessage("ldam: normalize applies only with drw (deferred class-balanced weights)",
                () -> Losses.create("ldam(normalize=mean)", COUNTS));
        assertMessage("cb: normalize=sum is not one of mean|weights", () -> Losses.create("cb(normalize=sum)", COUNTS));
        assertMessage("focal: alpha has 2 values for 3 classes", () -> Losses.create("focal(alpha=0.2,0.8)", COUNTS));
        assertMessage("fnr-weighted-ce: alpha=0 is out of range (must be in (0, 1])",
                () -> Losses.create("fnr-weighted-ce(alpha=0)", COUNTS));
        assertMessage("ce: head=mlp is not one of linear|cosine", () -> Losses.create("ce(head=mlp)", COUNTS));
        assertMessage("ldam: class counts: class 2 has 0 training rows; count-based losses need every class present",
                () -> Losses.create("ldam", new long[] {5, 3, 0}));
        assertMessage("balanced-softmax: class counts are required for this loss (got none)",
                () -> Losses.create("balanced-softmax", null));
    }

    @Test
    void nonLogitActivationsAndPerOutputMasksAreRejected() {
        ILossFunction ce = Losses.create("ce", null);
        INDArray z = logits(4, 3, 5);
        INDArray y = labels(4, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ce.computeScore(y, z, new ActivationSigmoid(), null, true));
        assertTrue(e.getMessage().contains("must be identity, softmax or ScaledSoftmax"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ce.computeScore(y, z, new ActivationIdentity(), Nd4j.ones(DataType.DOUBLE, 4, 3), true));
    }

    static List<String> allSpecs() {
        return List.of("ce", "weighted-ce", "weighted-ce(weights=cb,beta=0.99)", "focal", "focal(gamma=0.5,alpha=1,2,3)",
                "focal(gamma=0.5,alpha=1,2,3,normalize=weights)", "cb", "cb(base=focal,gamma=2)", "cb(base=sigmoid)",
                "cb(base=sigmoid,normalize=weights)", "ldam", "ldam(drw=0)", "elm", "elm(lambda=-1)", "mm",
                "mm(ldam=true)", "balanced-softmax", "logit-adjusted(tau=0.7)", "fnr-weighted-ce(alpha=0.2)");
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        SpecException e = assertThrows(SpecException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
