package org.counterweight.losses;

import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * ELM, enlarged large margin loss (Kato &amp; Hotta 2023; METHODS §2 {@code elm}): with the LDAM
 * margins Δ and j* = argmax_{j≠y} z_j, z'_y = z_y − Δ_y + λ Δ_{j*} and the loss is CE(s · z', y).
 * This follows the authors' code; the sign of the λ term is ambiguous in the paper's text, so a
 * negative λ gives the other reading. j* is a piecewise-constant function of z and carries no
 * gradient.
 */
public class ElmLoss extends LdamLoss {
    private static final long serialVersionUID = 1L;

    @JsonProperty("lambda")
    private final double lambda;

    @JsonCreator
    public ElmLoss(@JsonProperty("margins") double[] margins, @JsonProperty("scale") double scale,
                   @JsonProperty("lambda") double lambda, @JsonProperty("classWeights") double[] classWeights,
                   @JsonProperty("drwEpoch") int drwEpoch, @JsonProperty("drwAuto") boolean drwAuto,
                   @JsonProperty("normalization") Normalization normalization) {
        super(margins, scale, classWeights, drwEpoch, drwAuto, normalization);
        if (!Double.isFinite(lambda)) {
            throw new IllegalArgumentException("ELM lambda=" + lambda + " must be finite");
        }
        this.lambda = lambda;
    }

    public double getLambda() {
        return lambda;
    }

    @Override
    protected double trueClassShift(Batch b, int i) {
        return -margins[b.y[i]] + lambda * margins[b.rivals()[i]];
    }

    @Override
    protected String describeExtra() {
        return super.describeExtra() + ", lambda=" + lambda;
    }
}
