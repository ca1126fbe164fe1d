package org.counterweight.losses;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
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
 *   <li>Labels are one-hot rows; a row of zeros (no label) contributes nothing. A label mask is a
 *       column of per-example weights (usually 0/1); per-output masks are rejected (a softmax over
 *       a partly masked row is undefined).</li>
 *   <li>{@link #computeScoreArray} gives the per-example loss (masked rows 0);
 *       {@link #computeScore} sums it and divides by the number of rows (masked ones included)
 *       when averaging; {@link #computeGradient} returns the gradient of the summed loss with
 *       respect to the logits (DL4J divides by the minibatch size in the updater).</li>
 *   <li>With {@link Normalization#WEIGHTS} every example's score and gradient row is multiplied
 *       by the minibatch constant N / Σ_j m_j w_{y_j} (the class weights in force, m the mask),
 *       so the mean score is Σ m w ℓ / Σ m w and the updater's division by N gives the gradient
 *       of that weighted mean; score and gradient always use the same constant.</li>
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
    /** What the weighted sum is divided by (JSON of older models has none: {@code MEAN}). */
    @JsonProperty("normalization")
    protected final Normalization normalization;

    /**
     * @param classWeights  per-class weights w_k, or null for all ones
     * @param drwEpoch      first epoch with class weights, -1 = from the start
     * @param drwAuto       switch the weights on at ⌊0.8 · total epochs⌋
     * @param normalization {@code MEAN} or {@code WEIGHTS} (needs class weights); null = {@code MEAN}
     */
    protected LogitLoss(double[] classWeights, int drwEpoch, boolean drwAuto, Normalization normalization) {
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
        if (normalization == Normalization.WEIGHTS && classWeights == null) {
            throw new IllegalArgumentException("normalize=weights needs class weights");
        }
        this.classWeights = classWeights == null ? null : classWeights.clone();
        this.drwEpoch = drwEpoch;
        this.drwAuto = drwAuto;
        this.normalization = normalization == null ? Normalization.MEAN : normalization;
    }

    /** What the weighted sum of a minibatch is divided by. */
    public Normalization getNormalization() {
        return normalization;
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

    /**
     * One minibatch: the logits and labels as ND4J arrays for the dense, native part of a loss,
     * and the per-row quantities (label index, mask weight, and on demand the true-class logit,
     * the strongest rival and the predicted class) as Java arrays for the per-row part. A loss
     * does O(N·K) work in a few fused ND4J calls and its per-example logic in plain Java over N
     * values; that keeps each formula readable and the cost close to {@code LossMCXENT}
     * (BENCHMARKS.md).
     */
    protected static final class Batch {
        /** Rows N and classes K. */
        final int n;
        final int k;
        /** Logits (N×K). */
        final INDArray logits;
        /** One-hot labels (N×K) in the logits' data type. */
        final INDArray labels;
        /** Label index per row (argmax of the one-hot row). */
        final int[] y;
        /** Per-example mask weight (1 without a mask); 0 for rows without a label. */
        final double[] weight;
        private double[] trueLogits;
        private int[] rivals;
        private double[] rivalLogits;
        private int[] predicted;
        private double[] flatLogits;
        /** Row-major labels as Java values; read only for small batches (null otherwise). */
        private final double[] flatLabels;

        Batch(INDArray labels, INDArray logits, INDArray mask) {
            this.n = (int) logits.size(0);
            this.k = (int) logits.size(1);
            this.logits = logits;
            this.labels = labels.castTo(logits.dataType());
            double[] m = mask == null ? null : flat(mask);
            this.y = new int[n];
            this.weight = new double[n];
            double[] rowSum;
            if (small()) {
                // Small batch: one bulk copy is cheaper than two native reductions.
                double[] l = flat(this.labels);
                flatLabels = l;
                rowSum = new double[n];
                for (int i = 0; i < n; i++) {
                    int off = i * k;
                    for (int j = 0; j < k; j++) {
                        rowSum[i] += l[off + j];
                        if (l[off + j] > l[off + y[i]]) {
                            y[i] = j;
                        }
                    }
                }
            } else {
                flatLabels = null;
                System.arraycopy(Nd4j.argMax(this.labels, 1).toIntVector(), 0, y, 0, n);
                rowSum = this.labels.sum(1).toDoubleVector();
            }
            for (int i = 0; i < n; i++) {
                weight[i] = rowSum[i] == 0 ? 0 : (m == null ? 1 : m[i]);
            }
        }

        /** Batches up to this many entries are read into Java by one bulk copy. */
        static final long SMALL = 1 << 16;

        static double[] flat(INDArray a) {
            if (a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) && a.data().length() == a.length()) {
                // Contiguous row-major and exactly covering its buffer (fresh arrays, workspace
                // arrays, row-range views; ND4J M2 gives a view its own offset buffer): read the
                // buffer directly, as reshape + copy costs tens of µs per call (docs/training.md).
                return a.data().getDoublesAt(0, (int) a.length());
            }
            return a.reshape('c', new long[] {a.length()}).toDoubleVector();
        }

        /** a[i, y_i] per row. */
        double[] atLabels(INDArray a) {
            if (!small()) {
                return a.mul(labels).sum(1).toDoubleVector();
            }
            double[] flat = a == logits ? flatLogits() : flat(a);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = weight[i] == 0 ? 0 : flat[i * k + y[i]];
            }
            return out;
        }

        /** z_y per row. */
        double[] trueLogits() {
            if (trueLogits == null) {
                trueLogits = atLabels(logits);
            }
            return trueLogits;
        }

        /** argmax_{j≠y} z_j per row (the strongest rival class). */
        int[] rivals() {
            if (rivals == null) {
                rivals = small() ? scan(true).rivals : Nd4j.argMax(withoutTrueClass(), 1).toIntVector();
            }
            return rivals;
        }

        /** max_{j≠y} z_j per row. */
        double[] rivalLogits() {
            if (rivalLogits == null) {
                rivalLogits = small() ? scan(true).rivalLogits : withoutTrueClass().max(1).toDoubleVector();
            }
            return rivalLogits;
        }

        /** argmax_j z_j per row. */
        int[] predicted() {
            if (predicted == null) {
                predicted = small() ? scan(false).rivals : Nd4j.argMax(logits, 1).toIntVector();
            }
            return predicted;
        }

        /** True when labels and logits are (also) held as Java arrays: {@link #flatLabels()}, {@link #flatLogits()}. */
        boolean small() {
            return (long) n * k <= SMALL;
        }

        /** Row-major labels (N·K values); only for {@link #small()} batches. */
        double[] flatLabels() {
            if (flatLabels == null) {
                throw new IllegalStateException("labels are read into Java only for small batches");
            }
            return flatLabels;
        }

        /** Row-major logits (N·K values), read by one bulk copy on first use. */
        double[] flatLogits() {
            if (flatLogits == null) {
                flatLogits = flat(logits);
            }
            return flatLogits;
        }

        /** Row-wise argmax/max of the logits in Java, optionally skipping the true class. */
        private Scan scan(boolean skipTrueClass) {
            double[] z = flatLogits();
            Scan out = new Scan(n);
            for (int i = 0; i < n; i++) {
                int off = i * k;
                int best = -1;
                for (int j = 0; j < k; j++) {
                    if ((!skipTrueClass || j != y[i]) && (best < 0 || z[off + j] > z[off + best])) {
                        best = j;
                    }
                }
                out.rivals[i] = best;
                out.rivalLogits[i] = z[off + best];
            }
            return out;
        }

        /** Result of {@link #scan}. */
        private static final class Scan {
            final int[] rivals;
            final double[] rivalLogits;

            Scan(int n) {
                rivals = new int[n];
                rivalLogits = new double[n];
            }
        }

        private INDArray withoutTrueClass() {
            // Pushes the true class far below any logit; 1e30 is finite in float32.
            return logits.sub(labels.mul(1e30));
        }

        /** A per-row Java vector as an N×1 column in the logits' data type. */
        INDArray column(double[] values) {
            return Nd4j.create(values, new long[] {values.length, 1}, logits.dataType());
        }
    }

    /** Per-example scores (length N) and, if requested, the gradient (N×K) of their sum. */
    protected static final class Result {
        final double[] scores;
        final INDArray gradient;

        Result(double[] scores, INDArray gradient) {
            this.scores = scores;
            this.gradient = gradient;
        }
    }

    /**
     * Computes the per-example losses of a minibatch, already multiplied by each row's
     * {@link Batch#weight} (mask), and if {@code withGradient} the gradient of their sum w.r.t. z.
     */
    protected abstract Result evaluate(Batch batch, boolean withGradient);

    /** The number of classes this loss was built for (from its per-class arrays), or -1 if any. */
    protected int expectedClasses() {
        return classWeights == null ? -1 : classWeights.length;
    }

    /** Hook for state that changes once per training minibatch; called before the gradient. */
    protected void onTrainingStep(Batch batch) {
    }

    private Batch batch(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (!(activationFn instanceof ActivationIdentity || activationFn instanceof ActivationSoftmax
                || activationFn instanceof ScaledSoftmax)) {
            throw new IllegalStateException(name() + " works on logits: the output layer activation must be identity, "
                    + "softmax or ScaledSoftmax (used for inference only), got " + activationFn);
        }
        if (!Arrays.equals(labels.shape(), preOutput.shape()) || preOutput.rank() != 2) {
            throw new IllegalArgumentException(name() + ": labels " + Arrays.toString(labels.shape())
                    + " and logits " + Arrays.toString(preOutput.shape()) + " must both be [rows, classes]");
        }
        int expected = expectedClasses();
        if (expected >= 0 && expected != preOutput.size(1)) {
            throw new IllegalStateException(name() + ": built for " + expected + " classes, the output layer has "
                    + preOutput.size(1) + " outputs");
        }
        if (mask != null && (!mask.isColumnVectorOrScalar() || mask.length() != preOutput.size(0))) {
            throw new IllegalArgumentException(name() + ": per-output label masks are not supported by softmax losses; "
                    + "use a per-example mask of shape [rows, 1], got " + Arrays.toString(mask.shape()));
        }
        return new Batch(labels, preOutput, mask);
    }

    private static INDArray scoreColumn(Result r, INDArray preOutput) {
        return Nd4j.create(r.scores, new long[] {r.scores.length, 1}, preOutput.dataType());
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /**
     * The minibatch constant of {@link Normalization}: 1 for {@code MEAN}; N / Σ_i m_i w_{y_i}
     * for {@code WEIGHTS}, with the weights in force (all ones before a DRW switch). It does not
     * depend on the logits, so it scales the gradient exactly as the scores. A batch whose
     * weights sum to 0 has only zero scores; it keeps the constant 1.
     */
    private double normaliser(Batch b) {
        if (normalization == Normalization.MEAN) {
            return 1;
        }
        double[] w = activeWeights();
        double total = 0;
        for (int i = 0; i < b.n; i++) {
            total += b.weight[i] * (w == null ? 1 : w[b.y[i]]);
        }
        return total > 0 ? b.n / total : 1;
    }

    /** {@link #evaluate} followed by the normalisation: the one path of every score and gradient. */
    private Result normalised(Batch b, boolean withGradient) {
        Result r = evaluate(b, withGradient);
        double c = normaliser(b);
        if (c != 1) {
            for (int i = 0; i < r.scores.length; i++) {
                r.scores[i] *= c;
            }
            if (r.gradient != null) {
                r.gradient.muli(c);
            }
        }
        return r;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = sum(normalised(batch(labels, preOutput, activationFn, mask), false).scores);
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return scoreColumn(normalised(batch(labels, preOutput, activationFn, mask), false), preOutput);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Batch b = batch(labels, preOutput, activationFn, mask);
        onTrainingStep(b);
        return normalised(b, true).gradient;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        Batch b = batch(labels, preOutput, activationFn, mask);
        onTrainingStep(b);
        Result r = normalised(b, true);
        double sum = sum(r.scores);
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
        if (normalization != Normalization.MEAN) {
            w += ", normalize=" + normalization.specValue();
        }
        if (drwAuto) {
            return w + ", drw=auto";
        }
        return drwEpoch >= 0 ? w + ", drw=" + drwEpoch : w;
    }
}
