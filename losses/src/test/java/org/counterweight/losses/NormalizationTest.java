package org.counterweight.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.JsonNode;

import static org.counterweight.losses.TorchFixtures.assertClose;
import static org.counterweight.losses.TorchFixtures.matrix;
import static org.counterweight.losses.TorchFixtures.oneHot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code normalize=mean|weights} of every class-weighted loss (METHODS §2) against PyTorch
 * autograd (tools/fixtures/losses/make_normalize_fixtures.py): per-example scores, their gradient,
 * the minibatch loss and each spec's default, on a minibatch with every class present and one with
 * a class absent and two rows masked.
 */
class NormalizationTest {

    @TestFactory
    Stream<DynamicTest> everyWeightedLossMatchesTorchForBothNormalisations() {
        JsonNode root = TorchFixtures.normalize();
        long[] counts = TorchFixtures.longs(root.get("counts"));
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode batch : root.get("batches")) {
            INDArray labels = oneHot(batch.get("labels"), counts.length);
            double[] m = TorchFixtures.vector(batch.get("mask"));
            // A mask of ones goes in as no mask: the unmasked path is checked too.
            INDArray mask = Nd4j.create(m).minNumber().doubleValue() == 1 ? null
                    : Nd4j.create(m, new long[] {m.length, 1}, DataType.DOUBLE);
            for (JsonNode c : batch.get("cases")) {
                String spec = c.get("spec").asText();
                tests.add(DynamicTest.dynamicTest(batch.get("name").asText() + " " + spec, () -> {
                    INDArray logits = matrix(root.get(c.get("input").asText()));
                    LogitLoss loss = (LogitLoss) Losses.create(spec, counts);
                    assertEquals(Normalization.valueOf(c.get("normalize").asText().toUpperCase()),
                            loss.getNormalization(), spec + " normalisation");
                    INDArray grads = matrix(c.get("grads"));
                    double expectedLoss = c.get("loss").asDouble();
                    assertClose(TorchFixtures.column(c.get("scores")),
                            loss.computeScoreArray(labels, logits, new ActivationIdentity(), mask), spec + " scores");
                    assertClose(grads, loss.computeGradient(labels, logits, new ActivationIdentity(), mask),
                            spec + " gradient");
                    assertEquals(expectedLoss, loss.computeScore(labels, logits, new ActivationIdentity(), mask, true),
                            1e-9 * Math.max(1, Math.abs(expectedLoss)), spec + " minibatch loss");
                    Pair<Double, INDArray> both = loss.computeGradientAndScore(labels, logits,
                            new ActivationIdentity(), mask, true);
                    assertEquals(expectedLoss, both.getFirst(), 1e-9 * Math.max(1, Math.abs(expectedLoss)),
                            spec + " score with the gradient");
                    assertClose(grads, both.getSecond(), spec + " gradient with the score");
                }));
            }
        }
        return tests.stream();
    }

    /** Before the DRW switch every weight is 1: without masked rows both normalisations coincide. */
    @Test
    void beforeTheDrwSwitchBothNormalisationsCoincide() {
        INDArray z = LossesTest.logits(8, 3, 6).muli(0.3);
        INDArray y = LossesTest.labels(8, 3);
        LogitLoss mean = (LogitLoss) Losses.create("ldam(drw=2,normalize=mean)", LossesTest.COUNTS);
        LogitLoss weights = (LogitLoss) Losses.create("ldam(drw=2)", LossesTest.COUNTS);
        for (int epoch = 0; epoch < 4; epoch++) {
            mean.onEpoch(epoch, 4);
            weights.onEpoch(epoch, 4);
            INDArray sm = mean.computeScoreArray(y, z, new ActivationIdentity(), null);
            INDArray sw = weights.computeScoreArray(y, z, new ActivationIdentity(), null);
            INDArray gm = mean.computeGradient(y, z, new ActivationIdentity(), null);
            INDArray gw = weights.computeGradient(y, z, new ActivationIdentity(), null);
            // From the switch on, weights = mean · N / Σ w_y (the minibatch's learning-rate factor).
            double factor = epoch < 2 ? 1 : LossesTest.normaliser(weights, y, null);
            assertClose(sm.mul(factor), sw, "epoch " + epoch + " scores");
            assertClose(gm.mul(factor), gw, "epoch " + epoch + " gradient");
            assertTrue(epoch < 2 || Math.abs(factor - 1) > 0.05, "the switch changes the scale: " + factor);
        }
    }

    /** A minibatch whose class weights sum to 0 (only classes with α = 0) has zero loss, not 0/0. */
    @Test
    void aMinibatchWithZeroWeightSumScoresZero() {
        ILossFunction loss = Losses.create("focal(gamma=1,alpha=0,1,1,normalize=weights)", LossesTest.COUNTS);
        INDArray z = LossesTest.logits(4, 3, 7);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        y.getColumn(0).assign(1);
        assertEquals(0.0, loss.computeScore(y, z, new ActivationIdentity(), null, true), 0);
        assertEquals(0.0, loss.computeGradient(y, z, new ActivationIdentity(), null).amaxNumber().doubleValue(), 0);
    }
}
