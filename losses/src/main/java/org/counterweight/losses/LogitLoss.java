package org.counterweight.losses;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Base of every Counterweight loss: a DL4J {@link ILossFunction} on logits with optional
 * per-class weights and the deferred re-weighting schedule (METHODS §2, {@code drw}).
 *
 * <p>Conventions (the same as DL4J's {@code LossMCXENT} with a softmax output):
 * <ul>
 *   <li>{@code preOutput} holds the logits z; the loss applies its own numerically stable
 *       log-softmax. The output layer's activation is only used for inference output and must be
 *       identity, softmax or {@link ScaledSoftmax}; anything else is rejected, because the loss
 *       would silently ignore it.</li>
 *   <li>Labels are one-hot rows. A label mask is a column of per-example weights (usually 0/1);
 *       per-output masks are rejected (a softmax over a partly masked row is undefined).</li>
 *   <li>{@link #computeScoreArray} gives the per-example loss (masked rows 0);
 *       {@link #computeScore} sums it and divides by the number of rows (masked ones included)
 *       when averaging; {@link #computeGradient} returns the gradient of the summed loss with
 *       respect to the logits (DL4J divides by the minibatch size in the updater).</li>
 *   <li>{@link #computeGradient} and {@link #computeGradientAndScore} are only called for a
 *       training step, so state that must change once per training minibatch (FNR importance)
 *       changes there, through {@link #onTrainingStep}; score-only calls never change state.</li>
 * </ul>
 *
 * <p>Deferred re-weighting: with {@code drwEpoch = E} the class weights are all 1 before epoch E
 * and the configured weights from epoch E on (Cao et al. 2019 switch at 160 of 200 epochs);
 * {@code drwAuto} switches at ⌊0.8 · totalEpochs⌋. The current epoch is part of the JSON state.
 */
public abstract class LogitLoss implements ILossFunction, EpochAware {
    private static final long serialVersionUID = 1L;

    /** Per-class weights w_k, or null for all ones. */
    @JsonProperty("classWeights")
    protected final double[] classWeights;
    /** First epoch (0-based) with class weights; -1 = weights from the start. */
    @JsonProperty("drwEpoch")
    protected final int drwEpoch;
    /** Switch at ⌊0.8 · totalEpochs⌋ instead of a fixed epoch. */
    @JsonProperty("drwAuto")
    protected final boolean drwAuto;
    /** Current epoch (0-based), set by {@link #onEpoch}. */
    @JsonProperty("epoch")
    protected int epoch;
    /** Total epochs of the run, set by {@link #onEpoch}; 0 until known. */
    @JsonProperty("totalEpochs")
    protected int totalEpochs;

    protected LogitLoss(double[] classWeights, int drwEpoch, boolean drwAuto) {
        if (classWeights != null) {
            for (int k = 0; k < classWeights.length; k++) {
                if (!(classWeights[k] >= 0) || Double.isInfinite(classWeights[k])) {
                    throw new IllegalArgumentException("class weight " + k + " = " + classWeights[k]
                            + " must be finite and >= 0");
                }
            }
        }
        if ((drwEpoch >= 0 || drwAuto) && classWeights == null) {
            throw new IllegalArgumentException("deferred re-weighting (drw) needs class weights");
        }
        if (drwEpoch < -1) {
            throw new IllegalArgumentException("drw epoch " + drwEpoch + " must be >= 0");
        }
        this.classWeights = classWeights == null ? null : classWeights.clone();
        this.drwEpoch = drwEpoch;
        this.drwAuto = drwAuto;
    }

    @Override
    public void onEpoch(int epoch, int totalEpochs) {
        this.epoch = epoch;
        this.totalEpochs = totalEpochs;
    }

    /** The epoch from which class weights apply; 0 without a schedule. */
    public int weightsFromEpoch() {
        if (drwAuto) {
            return (int) Math.floor(0.8 * totalEpochs);
        }
        return Math.max(drwEpoch, 0);
    }

    /** The class weights in force at the current epoch, or null for all ones. */
    protected double[] activeWeights() {
        if (classWeights == null || epoch < weightsFromEpoch()) {
            return null;
        }
        return classWeights;
    }

    /** A copy of the configured class weights (null = none), regardless of the schedule. */
    public double[] getClassWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /** Per-example scores (unmasked, N×1) and, if requested, the gradient (N×K) of their sum. */
    protected static final class Result {
        final INDArray scores;
        final INDArray gradient;

        Result(INDArray scores, INDArray gradient) {
            this.scores = scores;
            this.gradient = gradient;
        }
    }

    /**
     * Computes per-example losses on logits {@code logits} (N×K) for one-hot {@code labels};
     * {@code mask} (N×1 or null) is given for losses whose terms depend on the batch
     * composition and is applied to the result by the caller.
     */
    protected abstract Result evaluate(INDArray labels, INDArray logits, INDArray mask, boolean withGradient);

    /** Hook for state that changes once per training minibatch; called before the gradient. */
    protected void onTrainingStep(INDArray labels, INDArray logits, INDArray mask) {
    }

    private Result checkedEvaluate(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                   boolean withGradient) {
        if (!(activationFn instanceof ActivationIdentity || activationFn instanceof ActivationSoftmax
                || activationFn instanceof ScaledSoftmax)) {
            throw new IllegalStateException(name() + " works on logits: the output layer activation must be identity, "
                    + "softmax or ScaledSoftmax (used for inference only), got " + activationFn);
        }
        if (!Arrays.equals(labels.shape(), preOutput.shape()) || preOutput.rank() != 2) {
            throw new IllegalArgumentException(name() + ": labels " + Arrays.toString(labels.shape())
                    + " and logits " + Arrays.toString(preOutput.shape()) + " must both be [rows, classes]");
        }
        if (classWeights != null && classWeights.length != preOutput.size(1)) {
            throw new IllegalStateException(name() + ": " + classWeights.length + " class weights for "
                    + preOutput.size(1) + " outputs");
        }
        if (mask != null && !mask.isColumnVectorOrScalar()) {
            throw new IllegalArgumentException(name() + ": per-output label masks are not supported by softmax losses; "
                    + "use a per-example mask of shape [rows, 1], got " + Arrays.toString(mask.shape()));
        }
        INDArray m = mask == null ? null : mask.castTo(preOutput.dataType()).reshape(preOutput.size(0), 1);
        INDArray y = labels.castTo(preOutput.dataType());
        Result r = evaluate(y, preOutput, m, withGradient);
        if (m != null) {
            r.scores.muli(m);
            if (r.gradient != null) {
                r.gradient.muliColumnVector(m);
            }
        }
        return r;
    }

    private INDArray trainingMask(INDArray preOutput, INDArray mask) {
        return mask == null ? null : mask.castTo(preOutput.dataType()).reshape(preOutput.size(0), 1);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = checkedEvaluate(labels, preOutput, activationFn, mask, false).scores.sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return checkedEvaluate(labels, preOutput, activationFn, mask, false).scores;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        onTrainingStep(labels.castTo(preOutput.dataType()), preOutput, trainingMask(preOutput, mask));
        return checkedEvaluate(labels, preOutput, activationFn, mask, true).gradient;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        onTrainingStep(labels.castTo(preOutput.dataType()), preOutput, trainingMask(preOutput, mask));
        Result r = checkedEvaluate(labels, preOutput, activationFn, mask, true);
        double sum = r.scores.sumNumber().doubleValue();
        return new Pair<>(average ? sum / preOutput.size(0) : sum, r.gradient);
    }

    @Override
    public String name() {
        return toString();
    }

    /** Describes the schedule for {@link #toString()}. */
    protected String weightsDescription() {
        if (classWeights == null) {
            return "";
        }
        String w = "weights=" + Arrays.toString(classWeights);
        if (drwAuto) {
            return w + ", drw=auto";
        }
        return drwEpoch >= 0 ? w + ", drw=" + drwEpoch : w;
    }
}
