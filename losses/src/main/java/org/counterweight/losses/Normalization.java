package org.counterweight.losses;

import java.util.Locale;

/**
 * What the weighted sum of a minibatch's losses is divided by: the {@code normalize=mean|weights}
 * parameter of every loss with class weights (METHODS §2, "Normalisation of weighted losses").
 *
 * <p>With per-example losses ℓ_i, class weights w and mask weights m_i (1 without a mask):
 * <ul>
 *   <li>{@link #MEAN}: Σ_i m_i w_{y_i} ℓ_i / N, N the rows of the minibatch (masked ones
 *       included, as DL4J's {@code LossMCXENT}; TensorFlow's {@code SUM_BY_NONZERO_WEIGHTS}
 *       without masks).</li>
 *   <li>{@link #WEIGHTS}: Σ_i m_i w_{y_i} ℓ_i / Σ_i m_i w_{y_i}, the weighted mean of PyTorch's
 *       {@code F.cross_entropy(weight=w)} with {@code reduction='mean'} (masked rows are
 *       {@code ignore_index} rows there).</li>
 * </ul>
 * The two differ by the minibatch constant Σ_i m_i w_{y_i} / N, so under plain SGD {@code mean}
 * with learning rate η is {@code weights} with η · Σw/N (per minibatch). With all weights 1 (DRW
 * before its switch) and no masked rows they coincide.
 */
public enum Normalization {
    /** Divide by the number of rows N. */
    MEAN,
    /** Divide by the sum of the rows' class (and mask) weights. */
    WEIGHTS;

    /** The spec value: {@code mean} or {@code weights}. */
    public String specValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant for a spec value ({@code mean|weights}). */
    static Normalization ofSpecValue(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
