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
 * The dense part is a fused native softmax; the per-row logic is plain Java over N values.
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
     * @param classWeights  per-class weights w_k (null = all ones)
     * @param gamma         focal exponent γ ≥ 0 (0 = cross-entropy)
     * @param logitShift    per-class shift b added to the logits in training (null = none)
     * @param scale         logit scale s &gt; 0
     * @param drwEpoch      first epoch with class weights, -1 = from the start
     * @param drwAuto       switch the weights on at ⌊0.8 · total epochs⌋
     * @param normalization what the weighted sum is divided by (null = {@code MEAN})
     */
    @JsonCreator
    public SoftmaxLoss(@JsonProperty("classWeights") double[] classWeights, @JsonProperty("gamma") double gamma,
                       @JsonProperty("logitShift") double[] logitShift, @JsonProperty("scale") double scale,
                       @JsonProperty("drwEpoch") int drwEpoch, @JsonProperty("drwAuto") boolean drwAuto,
                       @JsonProperty("normalization") Normalization normalization) {
        super(classWeights, drwEpoch, drwAuto, normalization);
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

    /** As the full constructor with {@link Normalization#MEAN} (the anchor, FNR and unweighted losses). */
    public SoftmaxLoss(double[] classWeights, double gamma, double[] logitShift, double scale, int drwEpoch,
                       boolean drwAuto) {
        this(classWeights, gamma, logitShift, scale, drwEpoch, drwAuto, Normalization.MEAN);
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
     * The shift δ_i added to the true-class logit of row i before scaling (METHODS §2 margins);
     * 0 for none. It carries no gradient (a constant, or detached as in the papers' code).
     */
    protected double trueClassShift(Batch b, int i) {
        return 0;
    }

    /**
     * u = s·(z + b + δ e_y), p = softmax(u), log p_y per row; then per row in Java the focal
     * factor, weights and masks; gradient (p − e_y)·g. The softmax runs in Java on the bulk copy
     * for small batches ({@link Batch#small()}) and as fused native ops for large ones: for a
     * 64×2 minibatch the native path's half a dozen ND4J calls (each with its own
     * per-call overhead; ND4J 1.0.0-M2's softmax op also starts an OpenMP team whatever
     * OMP_NUM_THREADS says) cost several times the arithmetic (docs/training.md, "Speed").
     */
    @Override
    protected Result evaluate(Batch b, boolean withGradient) {
        double[] shift = new double[b.n];
        for (int i = 0; i < b.n; i++) {
            shift[i] = b.weight[i] == 0 ? 0 : trueClassShift(b, i);
        }
        Softmax sm = b.small() ? new JavaSoftmax(b, shift) : new NativeSoftmax(b, shift);
        double[] logpy = sm.trueLogProbability();
        double[] w = activeWeights();
        double[] scores = new double[b.n];
        double[] g = new double[b.n];
        for (int i = 0; i < b.n; i++) {
            double mask = b.weight[i];
            if (mask == 0) {
                continue;
            }
            double lp = logpy[i];
            double wy = (w == null ? 1 : w[b.y[i]]) * mask;
            if (gamma == 0) {
                scores[i] = -wy * lp;
                g[i] = wy * scale;
                continue;
            }
            // 1 − p_y = −expm1(log p_y) keeps precision when p_y → 1.
            double q = -Math.expm1(lp);
            // (1−p)^{γ−1} p log p → 0 as p → 1 for any γ > 0; avoid 0 · ∞ at q = 0.
            double qPowGammaMinus1 = q > 0 ? Math.pow(q, gamma - 1) : 0;
            double f = q * qPowGammaMinus1;
            scores[i] = -wy * f * lp;
            if (withGradient) {
                double focalTerm = gamma * qPowGammaMinus1 * Math.exp(lp) * lp;
                g[i] = wy * (f - focalTerm) * scale;
            }
        }
        return new Result(scores, withGradient ? sm.gradient(g) : null);
    }

    /** softmax(u) of one minibatch: log p_y per row and the gradient rows (p − e_y)·g_i. */
    private interface Softmax {
        double[] trueLogProbability();

        INDArray gradient(double[] g);
    }

    /** In Java on the batch's bulk copies, in double precision, by log-sum-exp per row. */
    private final class JavaSoftmax implements Softmax {
        private final Batch b;
        private final double[] p;
        private final double[] logpy;

        JavaSoftmax(Batch b, double[] shift) {
            this.b = b;
            double[] z = b.flatLogits();
            double[] l = b.flatLabels();
            int k = b.k;
            p = new double[b.n * k];
            logpy = new double[b.n];
            for (int i = 0; i < b.n; i++) {
                int off = i * k;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    double u = scale * (z[off + j] + (logitShift == null ? 0 : logitShift[j]) + shift[i] * l[off + j]);
                    p[off + j] = u;
                    max = Math.max(max, u);
                }
                double uyShifted = p[off + b.y[i]] - max;
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    double e = Math.exp(p[off + j] - max);
                    p[off + j] = e;
                    sum += e;
                }
                // log p_y = (u_y − max) − log Σ exp(u − max): exact even where p_y underflows.
                logpy[i] = uyShifted - Math.log(sum);
                for (int j = 0; j < k; j++) {
                    p[off + j] /= sum;
                }
            }
        }

        @Override
        public double[] trueLogProbability() {
            return logpy;
        }

        @Override
        public INDArray gradient(double[] g) {
            double[] l = b.flatLabels();
            double[] out = new double[p.length];
            for (int i = 0; i < b.n; i++) {
                int off = i * b.k;
                for (int j = 0; j < b.k; j++) {
                    out[off + j] = (p[off + j] - l[off + j]) * g[i];
                }
            }
            return Nd4j.create(out, new long[] {b.n, b.k}, b.logits.dataType());
        }
    }

    /** As fused native ops on the ND4J arrays, for large batches. */
    private final class NativeSoftmax implements Softmax {
        private final Batch b;
        private final INDArray u;
        private final INDArray p;

        NativeSoftmax(Batch b, double[] shift) {
            this.b = b;
            boolean shifted = false;
            for (double d : shift) {
                shifted |= d != 0;
            }
            INDArray v = b.logits;
            if (logitShift != null) {
                v = v.addRowVector(Nd4j.create(logitShift, new long[] {1, logitShift.length}, v.dataType()));
            }
            if (shifted) {
                INDArray delta = b.labels.mulColumnVector(b.column(shift));
                v = v == b.logits ? v.add(delta) : v.addi(delta);
            }
            if (scale != 1) {
                v = v == b.logits ? v.mul(scale) : v.muli(scale);
            }
            u = v;
            p = Transforms.softmax(u, true);
        }

        /**
         * log softmax(u)_y per row. From the fused softmax p when every p_y is a normal number of
         * the network's precision; otherwise (a confidently wrong row: in float32 p_y underflows
         * for a logit gap of ~85) exactly, as (u_y − max) − log Σ exp(u − max), for the whole
         * batch. ND4J 1.0.0-M2's LogSoftMax op is not used: it returns −∞ for such rows.
         */
        @Override
        public double[] trueLogProbability() {
            double[] py = b.atLabels(p);
            // Above 10× the smallest normal number p_y keeps its full relative precision.
            DataType dt = u.dataType();
            double tiny = dt == DataType.DOUBLE ? 1e-300 : dt == DataType.HALF ? 1e-3 : 1e-37;
            boolean exact = true;
            for (int i = 0; i < b.n && exact; i++) {
                exact = b.weight[i] == 0 || py[i] >= tiny;
            }
            double[] out = new double[b.n];
            if (exact) {
                for (int i = 0; i < b.n; i++) {
                    out[i] = Math.log(py[i]);
                }
                return out;
            }
            INDArray shifted = u.subColumnVector(u.max(true, 1));
            double[] sumExp = Transforms.exp(shifted, true).sum(1).toDoubleVector();
            double[] trueShifted = shifted.muli(b.labels).sum(1).toDoubleVector();
            for (int i = 0; i < b.n; i++) {
                out[i] = trueShifted[i] - Math.log(sumExp[i]);
            }
            return out;
        }

        @Override
        public INDArray gradient(double[] g) {
            return p.subi(b.labels).muliColumnVector(b.column(g));
        }
    }

    @Override
    protected int expectedClasses() {
        int k = super.expectedClasses();
        return k >= 0 || logitShift == null ? k : logitShift.length;
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
