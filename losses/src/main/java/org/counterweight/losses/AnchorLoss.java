package org.counterweight.losses;

import java.util.Arrays;
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
    protected double trueClassShift(Batch b, int i) {
        return -margin;
    }

    @Override
    protected Result evaluate(Batch b, boolean withGradient) {
        Result r = super.evaluate(b, withGradient);
        if (pullWeight == 0) {
            return r;
        }
        long[] classRows = new long[b.k];
        for (int i = 0; i < b.n; i++) {
            if (b.weight[i] != 0) {
                classRows[b.y[i]]++;
            }
        }
        long present = Arrays.stream(classRows).filter(c -> c > 0).count();
        double[] zy = b.trueLogits();
        double[] c = new double[b.n];
        for (int i = 0; i < b.n; i++) {
            if (b.weight[i] != 0) {
                c[i] = b.weight[i] * pullWeight * b.n / ((double) present * classRows[b.y[i]]);
                // ‖h − φ_y‖² = −l_y: the pull term is −c·l_y, with gradient −c on the true class.
                r.scores[i] -= c[i] * zy[i];
            }
        }
        if (r.gradient != null) {
            r.gradient.subi(b.labels.mulColumnVector(b.column(c)));
        }
        return r;
    }

    @Override
    protected String describeExtra() {
        return ", margin=" + margin + ", beta=" + pullWeight;
    }
}
