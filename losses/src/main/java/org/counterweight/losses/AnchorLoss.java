package org.counterweight.losses;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The loss of the Focused Anchors layers (Baloch et al., ACML 2019; METHODS §3), on the anchor
 * scores l_k = −‖h − φ_k‖² that {@link org.counterweight.losses.layers.AnchorOutputLayer}
 * emits as its pre-output:
 * <pre>
 *   score_i = −α_y (1 − p_y)^γ log p_y  +  β · N · ‖h_i − φ_y‖² / (C · n_y),   p = softmax(l − m e_y)
 * </pre>
 * with N the rows of the minibatch, C the classes present (unmasked) and n_y the unmasked rows of
 * class y, so the mean of the scores is the minibatch loss "focal + β · L_lkd" where L_lkd
 * averages the per-class mean squared distance over the classes present. Since
 * ‖h_i − φ_y‖² = −l_{i,y}, both terms are functions of the pre-output; the layer back-propagates
 * the gradient to h and (FAL) to the anchors. The margin m is a training-time term: inference
 * output is softmax(l).
 */
public class AnchorLoss extends SoftmaxLoss {
    private static final long serialVersionUID = 1L;

    @JsonProperty("margin")
    private final double margin;
    /** β, the weight of the pull-to-anchor term. */
    @JsonProperty("pullWeight")
    private final double pullWeight;

    /**
     * @param alpha      per-class α (null = all ones)
     * @param gamma      focal exponent γ ≥ 0
     * @param margin     margin m ≥ 0 on the true class in training
     * @param pullWeight β ≥ 0
     */
    @JsonCreator
    public AnchorLoss(@JsonProperty("classWeights") double[] alpha, @JsonProperty("gamma") double gamma,
                      @JsonProperty("margin") double margin, @JsonProperty("pullWeight") double pullWeight) {
        super(alpha, gamma, null, 1, -1, false);
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("anchor margin m=" + margin + " must be finite and >= 0");
        }
        if (!(pullWeight >= 0) || Double.isInfinite(pullWeight)) {
            throw new IllegalArgumentException("anchor pull weight beta=" + pullWeight + " must be finite and >= 0");
        }
        this.margin = margin;
        this.pullWeight = pullWeight;
    }

    public double getMargin() {
        return margin;
    }

    public double getPullWeight() {
        return pullWeight;
    }

    @Override
    protected double[] trueClassShift(INDArray logits, INDArray labels, int[] y) {
        double[] shift = new double[y.length];
        Arrays.fill(shift, -margin);
        return shift;
    }

    @Override
    protected Result evaluate(INDArray labels, INDArray scores, INDArray mask, boolean withGradient) {
        Result focal = super.evaluate(labels, scores, mask, withGradient);
        if (pullWeight == 0) {
            return focal;
        }
        int n = (int) scores.size(0);
        int[] y = labelIndexes(labels);
        double[] rowWeight = labels.sum(1).toDoubleVector();
        double[] m = mask == null ? null : mask.toDoubleVector();
        long[] classRows = new long[(int) scores.size(1)];
        for (int i = 0; i < n; i++) {
            if (rowWeight[i] != 0 && (m == null || m[i] != 0)) {
                classRows[y[i]]++;
            }
        }
        long present = Arrays.stream(classRows).filter(c -> c > 0).count();
        double[] coefficient = new double[n];
        for (int i = 0; i < n; i++) {
            if (rowWeight[i] != 0 && (m == null || m[i] != 0)) {
                coefficient[i] = pullWeight * n / ((double) present * classRows[y[i]]);
            }
        }
        INDArray c = column(coefficient, scores.dataType());
        INDArray pullRows = labels.mulColumnVector(c);
        // ‖h − φ_y‖² = −l_y, so the pull term is −c_i l_{i,y} with gradient −c_i e_y.
        focal.scores.subi(scores.mul(pullRows).sum(true, 1));
        if (withGradient) {
            focal.gradient.subi(pullRows);
        }
        return focal;
    }

    @Override
    protected String describeExtra() {
        return ", margin=" + margin + ", beta=" + pullWeight;
    }
}
