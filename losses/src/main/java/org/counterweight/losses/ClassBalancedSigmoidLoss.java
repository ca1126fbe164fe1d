package org.counterweight.losses;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Class-balanced sigmoid loss (Cui et al., CVPR 2019; METHODS §2 {@code cb(base=sigmoid)}): each
 * class is a one-vs-rest binary problem, loss_i = w_{y_i} Σ_k BCE(σ(z_ik), y_ik) with the
 * class-balanced weight of the row's class; summed over classes and, with the default
 * {@code normalize=mean}, averaged over rows, as the authors' code divides the weighted sum by
 * the number of positive labels (one per row). Gradient: w_y (σ(z) − y).
 * Predictions use softmax(z) like every other loss here (same argmax as σ(z)).
 */
public class ClassBalancedSigmoidLoss extends LogitLoss {
    private static final long serialVersionUID = 1L;

    @JsonCreator
    public ClassBalancedSigmoidLoss(@JsonProperty("classWeights") double[] classWeights,
                                    @JsonProperty("drwEpoch") int drwEpoch, @JsonProperty("drwAuto") boolean drwAuto,
                                    @JsonProperty("normalization") Normalization normalization) {
        super(classWeights, drwEpoch, drwAuto, normalization);
    }

    @Override
    protected Result evaluate(Batch b, boolean withGradient) {
        INDArray z = b.logits;
        // Σ_k BCE(z_k, t_k) = Σ_k softplus(z_k) − z_y, softplus(z) = max(z, 0) + log1p(exp(−|z|)).
        INDArray softplus = Transforms.relu(z, true)
                .addi(Transforms.log1p(Transforms.exp(Transforms.abs(z, true).negi(), false), false));
        double[] rowSoftplus = softplus.sum(1).toDoubleVector();
        double[] zy = b.trueLogits();
        double[] w = activeWeights();
        double[] scores = new double[b.n];
        double[] rowWeight = new double[b.n];
        for (int i = 0; i < b.n; i++) {
            rowWeight[i] = (w == null ? 1 : w[b.y[i]]) * b.weight[i];
            scores[i] = rowWeight[i] == 0 ? 0 : rowWeight[i] * (rowSoftplus[i] - zy[i]);
        }
        INDArray gradient = withGradient
                ? Transforms.sigmoid(z, true).subi(b.labels).muliColumnVector(b.column(rowWeight)) : null;
        return new Result(scores, gradient);
    }

    @Override
    public String toString() {
        return "ClassBalancedSigmoidLoss(" + weightsDescription() + ")";
    }

}
