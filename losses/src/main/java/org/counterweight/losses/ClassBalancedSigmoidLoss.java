package org.counterweight.losses;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Class-balanced sigmoid loss (Cui et al., CVPR 2019; METHODS §2 {@code cb(base=sigmoid)}): each
 * class is a one-vs-rest binary problem, loss_i = w_{y_i} Σ_k BCE(σ(z_ik), y_ik) with the
 * class-balanced weight of the row's class; summed over classes and averaged over rows, as the
 * authors' code normalises by the number of positive labels. Gradient: w_y (σ(z) − y).
 * Predictions use softmax(z) like every other loss here (same argmax as σ(z)).
 */
public class ClassBalancedSigmoidLoss extends LogitLoss {
    private static final long serialVersionUID = 1L;

    @JsonCreator
    public ClassBalancedSigmoidLoss(@JsonProperty("classWeights") double[] classWeights,
                                    @JsonProperty("drwEpoch") int drwEpoch, @JsonProperty("drwAuto") boolean drwAuto) {
        super(classWeights, drwEpoch, drwAuto);
    }

    @Override
    protected Result evaluate(INDArray labels, INDArray z, INDArray mask, boolean withGradient) {
        DataType dt = z.dataType();
        int[] y = SoftmaxLoss.labelIndexes(labels);
        double[] w = activeWeights();
        double[] rowWeight = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            rowWeight[i] = w == null ? 1 : w[y[i]];
        }
        INDArray rw = SoftmaxLoss.column(rowWeight, dt);
        // BCE with logits, stable form: max(z,0) − z·y + log(1 + exp(−|z|)).
        INDArray bce = Transforms.relu(z, true).subi(z.mul(labels))
                .addi(Transforms.log(Transforms.exp(Transforms.abs(z, true).negi(), false).addi(1.0), false));
        INDArray scores = bce.sum(true, 1).muli(rw);
        INDArray gradient = withGradient ? Transforms.sigmoid(z, true).subi(labels).muliColumnVector(rw) : null;
        return new Result(scores, gradient);
    }

    @Override
    public String toString() {
        return "ClassBalancedSigmoidLoss(" + weightsDescription() + ")";
    }

}
