package org.counterweight.losses;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * BBN's cumulative learning loss (Zhou et al., CVPR 2020, §3.3; METHODS §4): row i of a minibatch
 * is a pair — a conventional example with label y_c and a re-balancing example with label y_r —
 * whose mixed logits z the network computed ({@link org.counterweight.losses.layers.BilateralBranchLayer}),
 * and
 * <pre>
 *   L = α CE(z, y_c) + (1 − α) CE(z, y_r),   α = {@link CumulativeLearning#alpha}(epoch, epochs)
 * </pre>
 * which is the cross-entropy with the soft target t = α e_{y_c} + (1 − α) e_{y_r}:
 * L = −Σ_k t_k log p_k with p = softmax(z), and ∂L/∂z = p Σ_k t_k − t.
 *
 * <p>Labels are [N, 2K]: the one-hot y_c in the first K columns and the one-hot y_r in the last K
 * (the layout {@code BilateralDraw}'s minibatch files have). Plain [N, K] labels mean y_c = y_r,
 * where the loss is CE(z, y) whatever α (scoring a network on ordinary labelled data). A label mask
 * is a column of per-pair weights; a row of zeros contributes nothing. The logits' softmax is
 * computed here in double precision by log-sum-exp; the output layer's activation (softmax) is
 * only used for inference. Scores and gradients follow DL4J's conventions ({@link LogitLoss}).
 */
public class BilateralLoss implements ILossFunction, EpochAware {
    private static final long serialVersionUID = 1L;

    /** Current epoch (0-based), set by {@link #onEpoch}. */
    @JsonProperty("epoch")
    private int epoch;
    /** Total epochs of the run, set by {@link #onEpoch}; 0 until known (α = 1). */
    @JsonProperty("totalEpochs")
    private int totalEpochs;

    @Override
    public void onEpoch(int epoch, int totalEpochs) {
        this.epoch = epoch;
        this.totalEpochs = totalEpochs;
    }

    /** The conventional branch's weight α in force. */
    public double alpha() {
        return CumulativeLearning.alpha(epoch, totalEpochs);
    }

    /** Per-row losses (masked) and, on request, the gradient of their sum. */
    private Pair<double[], INDArray> evaluate(INDArray labels, INDArray preOutput, IActivation activationFn,
                                              INDArray mask, boolean withGradient) {
        if (!(activationFn instanceof ActivationSoftmax || activationFn instanceof ActivationIdentity)) {
            throw new IllegalStateException("bbn works on logits: the output layer activation must be softmax or identity "
                    + "(used for inference only), got " + activationFn);
        }
        if (preOutput.rank() != 2 || labels.rank() != 2 || labels.size(0) != preOutput.size(0)
                || (labels.size(1) != preOutput.size(1) && labels.size(1) != 2 * preOutput.size(1))) {
            throw new IllegalArgumentException("bbn: labels " + Arrays.toString(labels.shape()) + " must be [rows, 2K] "
                    + "(conventional | re-balancing one-hot) or [rows, K] for logits " + Arrays.toString(preOutput.shape()));
        }
        if (mask != null && (!mask.isColumnVectorOrScalar() || mask.length() != preOutput.size(0))) {
            throw new IllegalArgumentException("bbn: label masks must be per example, [rows, 1]; got "
                    + Arrays.toString(mask.shape()));
        }
        int n = (int) preOutput.size(0);
        int k = (int) preOutput.size(1);
        boolean paired = labels.size(1) == 2L * k;
        double a = alpha();
        double[][] z = preOutput.toDoubleMatrix();
        double[][] y = labels.toDoubleMatrix();
        double[] m = mask == null ? null : mask.toDoubleVector();
        double[] scores = new double[n];
        double[][] grad = withGradient ? new double[n][k] : null;
        double[] t = new double[k];
        double[] logp = new double[k];
        for (int i = 0; i < n; i++) {
            double w = m == null ? 1 : m[i];
            if (w == 0) {
                continue;
            }
            double tSum = 0;
            for (int j = 0; j < k; j++) {
                t[j] = paired ? a * y[i][j] + (1 - a) * y[i][k + j] : y[i][j];
                tSum += t[j];
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[i][j]);
            }
            double sumExp = 0;
            for (int j = 0; j < k; j++) {
                sumExp += Math.exp(z[i][j] - max);
            }
            double logSum = max + Math.log(sumExp);
            double s = 0;
            for (int j = 0; j < k; j++) {
                logp[j] = z[i][j] - logSum;
                if (t[j] != 0) {
                    s -= t[j] * logp[j];
                }
            }
            scores[i] = w * s;
            if (withGradient) {
                for (int j = 0; j < k; j++) {
                    grad[i][j] = w * (Math.exp(logp[j]) * tSum - t[j]);
                }
            }
        }
        INDArray g = withGradient ? Nd4j.create(grad).castTo(preOutput.dataType()) : null;
        return new Pair<>(scores, g);
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double s = sum(evaluate(labels, preOutput, activationFn, mask, false).getFirst());
        return average ? s / preOutput.size(0) : s;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] scores = evaluate(labels, preOutput, activationFn, mask, false).getFirst();
        return Nd4j.create(scores, new long[] {scores.length, 1}, preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return evaluate(labels, preOutput, activationFn, mask, true).getSecond();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        Pair<double[], INDArray> r = evaluate(labels, preOutput, activationFn, mask, true);
        double s = sum(r.getFirst());
        return new Pair<>(average ? s / preOutput.size(0) : s, r.getSecond());
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public String toString() {
        return "BilateralLoss(epoch=" + epoch + ", totalEpochs=" + totalEpochs + ", alpha=" + alpha() + ")";
    }
}
