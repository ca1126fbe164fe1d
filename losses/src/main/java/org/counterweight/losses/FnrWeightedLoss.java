package org.counterweight.losses;

import java.util.Arrays;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * FNR-weighted cross-entropy (METHODS §2 {@code fnr-weighted-ce}): loss = importance_y · CE, where
 * the per-class importance tracks the false-negative rate of each class with an exponential
 * moving average. Per training minibatch, with argmax predictions on the logits,
 * FNR_k = (rows of class k predicted as another class) / (rows of class k in the batch) and
 * importance_k ← α FNR_k + (1 − α) importance_k for the classes present; importance starts at 1.
 *
 * <p>When the update happens: DL4J computes a loss gradient only for a training step
 * ({@code computeGradient}/{@code computeGradientAndScore}); evaluation and {@code score()} only
 * call the score methods. So the update runs at the start of the gradient computation, exactly
 * once per training minibatch, and the gradient and the step's reported score both use the
 * updated importance. The importance and the step count are JSON state of this loss: they are
 * saved with the network configuration (ModelSerializer) and shipped with it to Spark executors.
 * Under Spark parameter averaging each worker continues from the driver's importance within an
 * averaging round; the driver's copy is not updated from the workers.
 */
public class FnrWeightedLoss extends SoftmaxLoss {
    private static final long serialVersionUID = 1L;

    @JsonProperty("alpha")
    private final double alpha;
    /** Current importance per class (mutable training state). */
    @JsonProperty("importance")
    private double[] importance;
    /** Training minibatches seen (mutable training state). */
    @JsonProperty("steps")
    private long steps;

    /**
     * @param alpha      EMA rate α in (0, 1]
     * @param importance current per-class importance (all ones for a fresh loss)
     * @param steps      training minibatches already seen
     */
    @JsonCreator
    public FnrWeightedLoss(@JsonProperty("alpha") double alpha, @JsonProperty("importance") double[] importance,
                           @JsonProperty("steps") long steps) {
        super(null, 0, null, 1, -1, false);
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("fnr-weighted-ce alpha=" + alpha + " must be in (0, 1]");
        }
        if (importance == null || importance.length < 2) {
            throw new IllegalArgumentException("fnr-weighted-ce needs an importance per class (at least 2)");
        }
        this.alpha = alpha;
        this.importance = importance.clone();
        this.steps = steps;
    }

    /** A fresh loss for {@code numClasses} classes: importance 1 everywhere. */
    public FnrWeightedLoss(double alpha, int numClasses) {
        this(alpha, filled(numClasses), 0);
    }

    private static double[] filled(int n) {
        double[] a = new double[n];
        Arrays.fill(a, 1.0);
        return a;
    }

    /** A copy of the current importance per class. */
    public double[] getImportance() {
        return importance.clone();
    }

    /** The number of training minibatches that updated the importance. */
    public long getSteps() {
        return steps;
    }

    public double getAlpha() {
        return alpha;
    }

    @Override
    protected double[] activeWeights() {
        return importance;
    }

    @Override
    protected int expectedClasses() {
        return importance.length;
    }

    @Override
    protected void onTrainingStep(Batch b) {
        int k = importance.length;
        long[] count = new long[k];
        long[] missed = new long[k];
        for (int i = 0; i < b.n; i++) {
            if (b.weight[i] == 0) {
                continue;
            }
            int y = b.y[i];
            count[y]++;
            int predicted = b.predicted()[i];
            if (predicted != y) {
                missed[y]++;
            }
        }
        for (int c = 0; c < k; c++) {
            if (count[c] > 0) {
                importance[c] = alpha * ((double) missed[c] / count[c]) + (1 - alpha) * importance[c];
            }
        }
        steps++;
    }

    @Override
    protected String describeExtra() {
        return ", alpha=" + alpha + ", importance=" + Arrays.toString(importance) + ", steps=" + steps;
    }
}
