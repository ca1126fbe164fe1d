package org.counterweight.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.JsonNode;

import static org.counterweight.losses.TorchFixtures.assertClose;
import static org.counterweight.losses.TorchFixtures.matrix;
import static org.counterweight.losses.TorchFixtures.oneHot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every logit loss against PyTorch autograd (per-example values and gradients) on random
 * logits for three class-count profiles, K = 2, 3 and 10 (CIFAR-10-LT).
 */
class TorchReferenceTest {

    @TestFactory
    Stream<DynamicTest> everyLossMatchesTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode profile : TorchFixtures.root().get("profiles")) {
            long[] counts = TorchFixtures.longs(profile.get("counts"));
            INDArray labels = oneHot(profile.get("labels"), counts.length);
            for (JsonNode c : profile.get("cases")) {
                String spec = c.get("spec").asText();
                tests.add(DynamicTest.dynamicTest(profile.get("name").asText() + " " + spec, () -> {
                    INDArray logits = matrix(profile.get(c.get("input").asText()));
                    ILossFunction loss = Losses.create(spec, counts);
                    INDArray expectedScores = TorchFixtures.column(c.get("scores"));
                    // Either activation is accepted; both mean "preOutput are logits".
                    INDArray scores = loss.computeScoreArray(labels, logits, new ActivationIdentity(), null);
                    assertClose(expectedScores, scores, spec + " scores");
                    INDArray grads = loss.computeGradient(labels, logits, new ActivationSoftmax(), null);
                    assertClose(matrix(c.get("grads")), grads, spec + " gradient");
                    double mean = loss.computeScore(labels, logits, new ActivationIdentity(), null, true);
                    assertEquals(expectedScores.meanNumber().doubleValue(), mean, 1e-9, spec + " mean score");
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> fnrImportanceFollowsTorchStepByStep() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode profile : TorchFixtures.root().get("profiles")) {
            long[] counts = TorchFixtures.longs(profile.get("counts"));
            JsonNode fnr = profile.get("fnr");
            tests.add(DynamicTest.dynamicTest(profile.get("name").asText() + " " + fnr.get("spec").asText(), () -> {
                FnrWeightedLoss loss = (FnrWeightedLoss) Losses.create(fnr.get("spec").asText(), counts);
                int step = 0;
                for (JsonNode s : fnr.get("steps")) {
                    INDArray logits = matrix(s.get("logits"));
                    INDArray labels = oneHot(s.get("labels"), counts.length);
                    INDArray grads = loss.computeGradient(labels, logits, new ActivationIdentity(), null);
                    step++;
                    assertEquals(step, loss.getSteps());
                    assertArrayEquals(TorchFixtures.vector(s.get("importance")), loss.getImportance(), 1e-12);
                    assertClose(matrix(s.get("grads")), grads, "gradient step " + step);
                    // Score-only calls (evaluation) read the importance but never update it.
                    INDArray scores = loss.computeScoreArray(labels, logits, new ActivationIdentity(), null);
                    loss.computeScore(labels, logits, new ActivationIdentity(), null, true);
                    assertClose(TorchFixtures.column(s.get("scores")), scores, "scores step " + step);
                    assertEquals(step, loss.getSteps());
                    assertArrayEquals(TorchFixtures.vector(s.get("importance")), loss.getImportance(), 1e-12);
                }
            }));
        }
        return tests.stream();
    }
}
