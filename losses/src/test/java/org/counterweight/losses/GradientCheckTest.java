package org.counterweight.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.counterweight.losses.layers.AnchorOutputLayer;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's GradientCheckUtil (double precision, central differences) through a small network for
 * every loss with its default head (linear, or cosine for ldam/elm/mm) and both anchor layers,
 * with a label mask that hides some rows.
 */
class GradientCheckTest {
    static final long[] COUNTS = {400, 80, 20};
    static final int ROWS = 9;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static INDArray labelMask() {
        return Nd4j.create(new double[] {1, 1, 1, 0, 1, 1, 0, 1, 1}, new long[] {ROWS, 1}, DataType.DOUBLE);
    }

    static boolean check(MultiLayerNetwork net, INDArray mask, Set<String> exclude, long seed) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(Networks.features(ROWS, seed)).labels(Networks.labels(ROWS, COUNTS.length, seed))
                .labelMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .excludeParams(exclude).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @TestFactory
    Stream<DynamicTest> everyLossAndLayerPassesGradientCheck() {
        List<String> specs = new ArrayList<>(LossesTest.allSpecs());
        // mm detaches its margin (d, μ); its own check below freezes the margin instead.
        specs.removeIf(s -> s.startsWith("mm"));
        specs.add("ldam(head=linear)");
        specs.add("ce(head=cosine)");
        specs.add("fal");
        specs.add("fal(gamma=0,alpha=1,2,3,margin=0.5,beta=0.5)");
        specs.add("fal(alpha=effective,pull=row-mean,beta=0.5)");
        List<DynamicTest> tests = new ArrayList<>();
        for (String spec : specs) {
            for (INDArray mask : new INDArray[] {null, labelMask()}) {
                tests.add(DynamicTest.dynamicTest(spec + (mask == null ? "" : " masked"), () -> {
                    BaseOutputLayer out = OutputLayers.create(spec, Networks.HIDDEN, COUNTS);
                    MultiLayerNetwork net = Networks.net(Networks.conf(out, new NoOp(), 42));
                    assertTrue(check(net, mask, Set.of(), 7), spec);
                }));
            }
        }
        return tests.stream();
    }

    /**
     * FAML anchors get no gradient by design, so they are excluded; the check still covers the
     * gradient to the embedding (the hidden layer's parameters) through the anchor scores, with
     * anchors that the first training step initialised from the class means.
     */
    @Test
    void famlPassesGradientCheckOnEmbeddingParameters() {
        for (INDArray mask : new INDArray[] {null, labelMask()}) {
            BaseOutputLayer out = OutputLayers.create("faml(n=1,margin=0.7)", Networks.HIDDEN, COUNTS);
            MultiLayerNetwork net = Networks.net(Networks.conf(out, new NoOp(), 3));
            assertTrue(check(net, mask, Set.of("1_" + AnchorOutputLayer.ANCHORS), 11));
            assertEquals(1.0, net.getLayer(1).getParam(AnchorOutputLayer.FAML_STEP).getDouble(0), 0,
                    "the gradient check ran exactly one training step");
        }
    }

    /** A test-only MM whose margin is frozen at the first logits it sees (the papers detach it). */
    static final class FrozenMarginMm extends MaxMarginLoss {
        private double[] frozen;

        FrozenMarginMm(MaxMarginLoss mm, double[] classMargins) {
            super(classMargins, 1.528, mm.getScale(), null, -1, false, Normalization.MEAN);
        }

        @Override
        protected Result evaluate(Batch b, boolean withGradient) {
            if (frozen == null) {
                frozen = new double[b.n];
                for (int i = 0; i < b.n; i++) {
                    frozen[i] = super.trueClassShift(b, i);
                }
            }
            return super.evaluate(b, withGradient);
        }

        @Override
        protected double trueClassShift(Batch b, int i) {
            return frozen[i];
        }
    }

    @Test
    void mmGradientIsTheGradientWithTheMarginDetached() {
        for (boolean ldam : new boolean[] {false, true}) {
            double[] margins = new double[COUNTS.length];
            double[] delta = ClassProfile.of(COUNTS).ldamMargins(1.29);
            for (int k = 0; k < margins.length; k++) {
                margins[k] = 1.29 - (ldam ? delta[k] : 0);
            }
            MaxMarginLoss mm = (MaxMarginLoss) Losses.create("mm(ldam=" + ldam + ")", COUNTS);
            FrozenMarginMm frozen = new FrozenMarginMm(mm, margins);
            BaseOutputLayer out = new OutputLayer.Builder(frozen).nIn(Networks.HIDDEN).nOut(COUNTS.length)
                    .activation(new ActivationSoftmax()).build();
            MultiLayerNetwork net = Networks.net(Networks.conf(out, new NoOp(), 5));
            INDArray x = Networks.features(ROWS, 13);
            INDArray y = Networks.labels(ROWS, COUNTS.length, 13);
            // The real MM and a frozen copy agree at the network's logits (values and gradients) …
            INDArray h = net.feedForward(x, false).get(1);
            INDArray z = h.mmul(net.getLayer(1).getParam("W")).addiRowVector(net.getLayer(1).getParam("b"));
            FrozenMarginMm atBase = new FrozenMarginMm(mm, margins);
            TorchFixtures.assertClose(mm.computeGradient(y, z, new ActivationSoftmax(), null),
                    atBase.computeGradient(y, z, new ActivationSoftmax(), null), "mm gradient at base point");
            TorchFixtures.assertClose(mm.computeScoreArray(y, z, new ActivationSoftmax(), null),
                    atBase.computeScoreArray(y, z, new ActivationSoftmax(), null), "mm scores at base point");
            // … and the network's frozen copy (frozen by the check's first, unperturbed evaluation)
            // passes the gradient check.
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)));
        }
    }
}
