package org.counterweight.losses;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The one engine behind every softmax loss of METHODS §2: a (focal) cross-entropy with per-class
 * weights on transformed logits
 * <pre>
 *   u = s · (z + b + δ·e_y)        (b: per-class shift, δ: per-row shift of the true class)
 *   loss = −w_y (1 − p_y)^γ log p_y,   p = softmax(u)
 * </pre>
 * The shifts carry no gradient (they are constants or, for ELM/MM, functions of z that the papers
 * detach), so ∂loss/∂z = s · g · (p − e_y) with g = w_y [(1−p_y)^γ − γ (1−p_y)^{γ−1} p_y log p_y].
 *
 * <p>This class is itself {@code ce} (all defaults), {@code weighted-ce} and {@code cb} with base
 * {@code ce} (weights), {@code focal} and {@code cb} with base {@code focal} (γ and weights),
 * {@code balanced-softmax} (b = log n_k, Ren et al. 2020) and {@code logit-adjusted}
 * (b = τ log π_k, Menon et al. 2021). Subclasses only choose δ ({@link LdamLoss},
 * {@link ElmLoss}, {@link MaxMarginLoss}, {@link AnchorLoss}) or the weights
 * ({@link FnrWeightedLoss}). Build instances with {@link Losses#create}.
 */
public class SoftmaxLoss extends LogitLoss {
    private static final long serialVersionUID = 1L;

    /** Logit scale s (1 for the plain losses). */
    @JsonProperty("scale")
    protected final double scale;
    /** Focal exponent γ (0 = cross-entropy). */
    @JsonProperty("gamma")
    protected final double gamma;
    /** Per-class logit shift b (null = none). */
    @JsonProperty("logitShift")
    protected final double[] logitShift;

    /**
     * @param classWeights per-class weights w_k (null = all ones)
     * @param gamma        focal exponent γ ≥ 0 (0 = cross-entropy)
     * @param logitShift   per-class shift b added to the logits in training (null = none)
     * @param scale        logit scale s &gt; 0
     * @param drwEpoch     first epoch with class weights, -1 = from the start
     * @param drwAuto      switch the weights on at ⌊0.8 · total epochs⌋
     */
    @JsonCreator
    public SoftmaxLoss(@JsonProperty("classWeights") double[] classWeights, @JsonProperty("gamma") double gamma,
                       @JsonProperty("logitShift") double[] logitShift, @JsonProperty("scale") double scale,
                       @JsonProperty("drwEpoch") int drwEpoch, @JsonProperty("drwAuto") boolean drwAuto) {
        super(classWeights, drwEpoch, drwAuto);
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma=" + gamma + " must be finite and >= 0");
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale=" + scale + " must be finite and > 0");
        }
        if (logitShift != null) {
            for (double b : logitShift) {
                if (!Double.isFinite(b)) {
                    throw new IllegalArgumentException("logit shift " + Arrays.toString(logitShift) + " must be finite");
                }
            }
        }
        this.gamma = gamma;
        this.scale = scale;
        this.logitShift = logitShift == null ? null : logitShift.clone();
    }

    /** Plain cross-entropy: {@code ce}. */
    public SoftmaxLoss() {
        this(null, 0, null, 1, -1, false);
    }

    public double getScale() {
        return scale;
    }

    public double getGamma() {
        return gamma;
    }

    /**
     * The per-row shift δ_i added to the true-class logit before scaling (METHODS §2 margins),
     * or null for none. It must not depend on the labels' masking and carries no gradient.
     *
     * @param logits N×K logits
     * @param labels N×K one-hot labels
     * @param y      the label index of each row
     */
    protected double[] trueClassShift(INDArray logits, INDArray labels, int[] y) {
        return null;
    }

    @Override
    protected Result evaluate(INDArray labels, INDArray z, INDArray mask, boolean withGradient) {
        DataType dt = z.dataType();
        int n = (int) z.size(0);
        int[] y = labelIndexes(labels);
        double[] shift = trueClassShift(z, labels, y);
        INDArray u = z.dup();
        if (logitShift != null) {
            u.addiRowVector(Nd4j.create(logitShift, new long[] {1, logitShift.length}, dt));
        }
        if (shift != null) {
            u.addi(labels.mulColumnVector(column(shift, dt)));
        }
        if (scale != 1) {
            u.muli(scale);
        }
        INDArray logp = logSoftmaxInPlace(u);
        double[] logpy = logp.mul(labels).sum(1).toDoubleVector();
        double[] w = activeWeights();
        double[] scores = new double[n];
        double[] g = withGradient ? new double[n] : null;
        for (int i = 0; i < n; i++) {
            double wi = w == null ? 1 : w[y[i]];
            double lp = logpy[i];
            if (gamma == 0) {
                scores[i] = -wi * lp;
                if (g != null) {
                    g[i] = wi * scale;
                }
                continue;
            }
            // 1 − p_y = −expm1(log p_y) keeps precision when p_y → 1.
            double q = -Math.expm1(lp);
            double f = Math.pow(q, gamma);
            scores[i] = -wi * f * lp;
            if (g != null) {
                // (1−p)^{γ−1} p log p → 0 as p → 1 for any γ > 0; avoid 0 · ∞ at q = 0.
                double focalTerm = q > 0 ? gamma * Math.pow(q, gamma - 1) * Math.exp(lp) * lp : 0;
                g[i] = wi * (f - focalTerm) * scale;
            }
        }
        INDArray gradient = null;
        if (withGradient) {
            gradient = Transforms.exp(logp, false).subi(labels).muliColumnVector(column(g, dt));
        }
        return new Result(column(scores, dt), gradient);
    }

    /** log-softmax over rows, computed in place as u − max − log Σ exp(u − max). */
    static INDArray logSoftmaxInPlace(INDArray u) {
        u.subiColumnVector(u.max(true, 1));
        INDArray logSumExp = Transforms.log(Transforms.exp(u, true).sum(true, 1), false);
        return u.subiColumnVector(logSumExp);
    }

    /** The class index of each one-hot label row (0 for an all-zero, masked row). */
    static int[] labelIndexes(INDArray labels) {
        return Nd4j.argMax(labels, 1).toIntVector();
    }

    static INDArray column(double[] values, DataType dt) {
        return Nd4j.create(values, new long[] {values.length, 1}, dt);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(getClass().getSimpleName()).append('(');
        s.append("gamma=").append(gamma).append(", scale=").append(scale);
        if (logitShift != null) {
            s.append(", logitShift=").append(Arrays.toString(logitShift));
        }
        String w = weightsDescription();
        if (!w.isEmpty()) {
            s.append(", ").append(w);
        }
        return s.append(describeExtra()).append(')').toString();
    }

    /** Subclass parameters for {@link #toString()}, starting with ", ". */
    protected String describeExtra() {
        return "";
    }
}
