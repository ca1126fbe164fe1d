package org.counterweight.losses;

import java.util.Arrays;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * MM, the adaptive maximum-margin loss of Kang, Vu &amp; Yoo (ICIP 2021; METHODS §2 {@code mm}).
 * Per row, d = z_y − max_{j≠y} z_j (no gradient through d) and the margin is
 * μ = exp(−d − γ M_y) if d &gt; 0, exp(−|d| − M_y) if d &lt; 0, 0 if d = 0; then z'_y = z_y − μ and
 * the loss is CE(s · z', y). M_y is {@code max_margin} for every class, or
 * {@code max_margin − Δ_y} with the LDAM margins when {@code ldam=true}. Each row uses its own
 * label.
 */
public class MaxMarginLoss extends SoftmaxLoss {
    private static final long serialVersionUID = 1L;

    /** M_y per class. */
    @JsonProperty("classMargins")
    private final double[] classMargins;
    /** γ of the positive-side margin. */
    @JsonProperty("marginGamma")
    private final double marginGamma;

    @JsonCreator
    public MaxMarginLoss(@JsonProperty("classMargins") double[] classMargins,
                         @JsonProperty("marginGamma") double marginGamma, @JsonProperty("scale") double scale,
                         @JsonProperty("classWeights") double[] classWeights, @JsonProperty("drwEpoch") int drwEpoch,
                         @JsonProperty("drwAuto") boolean drwAuto,
                         @JsonProperty("normalization") Normalization normalization) {
        super(classWeights, 0, null, scale, drwEpoch, drwAuto, normalization);
        if (classMargins == null || classMargins.length < 2) {
            throw new IllegalArgumentException("MM needs one margin M_y per class (at least 2)");
        }
        for (double m : classMargins) {
            if (!Double.isFinite(m)) {
                throw new IllegalArgumentException("MM margins " + Arrays.toString(classMargins) + " must be finite");
            }
        }
        if (!Double.isFinite(marginGamma)) {
            throw new IllegalArgumentException("MM gamma=" + marginGamma + " must be finite");
        }
        this.classMargins = classMargins.clone();
        this.marginGamma = marginGamma;
    }

    @Override
    protected double trueClassShift(Batch b, int i) {
        double d = b.trueLogits()[i] - b.rivalLogits()[i];
        double m = classMargins[b.y[i]];
        double mu = d > 0 ? Math.exp(-d - marginGamma * m) : d < 0 ? Math.exp(-Math.abs(d) - m) : 0;
        return -mu;
    }

    @Override
    protected int expectedClasses() {
        return classMargins.length;
    }

    @Override
    protected String describeExtra() {
        return ", classMargins=" + Arrays.toString(classMargins) + ", marginGamma=" + marginGamma;
    }
}
