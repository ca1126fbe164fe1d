package org.counterweight.losses;

import java.util.Arrays;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The loss of the Focused Anchors layers (Baloch et al., ACML 2019; METHODS §3), on the anchor
 * scores l_k = −‖h − φ_k‖² that {@link org.counterweight.losses.layers.AnchorOutputLayer}
 * emits as its pre-output. Per example, with p = softmax(l − m e_y):
 * <pre>
 *   score_i = −α_y (1 − p_y)^γ log p_y  +  β · pull_i
 *   pull=class-mean:  pull_i = N · ‖h_i − φ_y‖² / (C · n_y)
 *   pull=row-mean:    pull_i = ½ ‖h_i − φ_y‖²
 * </pre>
 * N the rows of the minibatch, C the classes present (unmasked) and n_y the unmasked rows of
 * class y. The mean of the scores is the minibatch loss "focal + β · L_lkd": with
 * {@code class-mean} L_lkd averages each present class's mean squared distance over the classes
 * present (so large classes do not dominate); with {@code row-mean} it is L-GM's
 * mean_i ½‖h_i − φ_{y_i}‖² (Wan et al., CVPR 2018), the term FAL builds on. α is the focal loss's
 * α_t: it weights the classification part only, never the pull. Since ‖h_i − φ_y‖² = −l_{i,y},
 * both terms are functions of the pre-output; the layer back-propagates the gradient to h and
 * (FAL) to the anchors. The margin m is a training-time term: inference output is softmax(l).
 */
public class AnchorLoss extends SoftmaxLoss {
    private static final long serialVersionUID = 1L;

    @JsonProperty("margin")
    private final double margin;
    /** β, the weight of the pull-to-anchor term. */
    @JsonProperty("pullWeight")
    private final double pullWeight;
    @JsonProperty("pull")
    private final Pull pull;

    /** How the pull-to-anchor term L_lkd is normalised over the minibatch. */
    public enum Pull {
        /** Mean over the classes present of each class's mean ‖h − φ_y‖² (METHODS §3 default). */
        CLASS_MEAN,
        /** mean_i ½‖h_i − φ_{y_i}‖², as in L-GM. */
        ROW_MEAN
    }

    /**
     * @param alpha      per-class α (null = all ones)
     * @param gamma      focal exponent γ ≥ 0
     * @param margin     margin m ≥ 0 on the true class in training
     * @param pullWeight β ≥ 0
     * @param pull       normalisation of the pull term (null = {@link Pull#CLASS_MEAN}, for configurations saved before it was a choice)
     */
    @JsonCreator
    public AnchorLoss(@JsonProperty("classWeights") double[] alpha, @JsonProperty("gamma") double gamma,
                      @JsonProperty("margin") double margin, @JsonProperty("pullWeight") double pullWeight,
                      @JsonProperty("pull") Pull pull) {
        super(alpha, gamma, null, 1, -1, false);
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new IllegalArgumentException("anchor margin m=" + margin + " must be finite and >= 0");
        }
        if (!(pullWeight >= 0) || Double.isInfinite(pullWeight)) {
            throw new IllegalArgumentException("anchor pull weight beta=" + pullWeight + " must be finite and >= 0");
        }
        this.margin = margin;
        this.pullWeight = pullWeight;
        this.pull = pull == null ? Pull.CLASS_MEAN : pull;
    }

    public double getMargin() {
        return margin;
    }

    public double getPullWeight() {
        return pullWeight;
    }

    public Pull getPull() {
        return pull;
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
        double[] perRow = pull == Pull.ROW_MEAN ? rowMeanFactors(b) : classMeanFactors(b);
        double[] zy = b.trueLogits();
        double[] c = new double[b.n];
        for (int i = 0; i < b.n; i++) {
            c[i] = b.weight[i] * pullWeight * perRow[i];
            // ‖h − φ_y‖² = −l_y: the pull term is −c·l_y, with gradient −c on the true class.
            r.scores[i] -= c[i] * zy[i];
        }
        if (r.gradient != null) {
            r.gradient.subi(b.labels.mulColumnVector(b.column(c)));
        }
        return r;
    }

    /** N / (C · n_{y_i}) per unmasked row: the class-mean normalisation. */
    private static double[] classMeanFactors(Batch b) {
        long[] classRows = new long[b.k];
        for (int i = 0; i < b.n; i++) {
            if (b.weight[i] != 0) {
                classRows[b.y[i]]++;
            }
        }
        long present = Arrays.stream(classRows).filter(c -> c > 0).count();
        double[] f = new double[b.n];
        for (int i = 0; i < b.n; i++) {
            f[i] = b.weight[i] == 0 ? 0 : b.n / ((double) present * classRows[b.y[i]]);
        }
        return f;
    }

    /** ½ per row: the row-mean normalisation (the mean over N rows is taken by the caller). */
    private static double[] rowMeanFactors(Batch b) {
        double[] f = new double[b.n];
        Arrays.fill(f, 0.5);
        return f;
    }

    @Override
    protected String describeExtra() {
        return ", margin=" + margin + ", beta=" + pullWeight + ", pull=" + pull;
    }
}
