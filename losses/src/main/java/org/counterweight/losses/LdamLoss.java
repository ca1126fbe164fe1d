package org.counterweight.losses;

import java.util.Arrays;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * LDAM, label-distribution-aware margin loss (Cao et al., NeurIPS 2019; METHODS §2 {@code ldam}):
 * z'_y = z_y − Δ_y with Δ_k = C / n_k^{1/4} (see {@link ClassProfile#ldamMargins}), loss
 * CE(s · z', y). Meant for the cosine head (logits in [−1, 1]); inference uses softmax(s · z)
 * through {@link ScaledSoftmax}. With class weights and {@code drw} it is LDAM-DRW.
 */
public class LdamLoss extends SoftmaxLoss {
    private static final long serialVersionUID = 1L;

    /** Per-class margins Δ_k. */
    @JsonProperty("margins")
    protected final double[] margins;

    @JsonCreator
    public LdamLoss(@JsonProperty("margins") double[] margins, @JsonProperty("scale") double scale,
                    @JsonProperty("classWeights") double[] classWeights, @JsonProperty("drwEpoch") int drwEpoch,
                    @JsonProperty("drwAuto") boolean drwAuto, @JsonProperty("normalization") Normalization normalization) {
        super(classWeights, 0, null, scale, drwEpoch, drwAuto, normalization);
        if (margins == null || margins.length < 2) {
            throw new IllegalArgumentException("LDAM needs one margin per class (at least 2)");
        }
        for (double m : margins) {
            if (!(m >= 0) || Double.isInfinite(m)) {
                throw new IllegalArgumentException("LDAM margins " + Arrays.toString(margins) + " must be finite and >= 0");
            }
        }
        this.margins = margins.clone();
    }

    /** A copy of the margins Δ_k. */
    public double[] getMargins() {
        return margins.clone();
    }

    @Override
    protected double trueClassShift(Batch b, int i) {
        return -margins[b.y[i]];
    }

    @Override
    protected int expectedClasses() {
        return margins.length;
    }

    @Override
    protected String describeExtra() {
        return ", margins=" + Arrays.toString(margins);
    }
}
