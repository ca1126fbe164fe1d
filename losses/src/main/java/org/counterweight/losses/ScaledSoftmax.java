package org.counterweight.losses;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * softmax(s · z): the inference output of the scaled margin losses (LDAM, ELM, MM; METHODS §2
 * "predictions are softmax(z) times the scale s where the loss uses one"). The losses of this
 * package ignore the activation in training; {@link #backprop} is still exact for other uses.
 */
public class ScaledSoftmax extends BaseActivationFunction {
    private static final long serialVersionUID = 1L;

    @JsonProperty("scale")
    private final double scale;

    @JsonCreator
    public ScaledSoftmax(@JsonProperty("scale") double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("ScaledSoftmax scale=" + scale + " must be finite and > 0");
        }
        this.scale = scale;
    }

    public double getScale() {
        return scale;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return new ActivationSoftmax().getActivation(in.muli(scale), training);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        Pair<INDArray, INDArray> p = new ActivationSoftmax().backprop(in.mul(scale), epsilon);
        p.getFirst().muli(scale);
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScaledSoftmax && ((ScaledSoftmax) o).scale == scale;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(scale);
    }

    @Override
    public String toString() {
        return "scaledsoftmax(" + scale + ")";
    }
}
