package org.counterweight.resample;

/**
 * Whether a sampler adds rows (over-sampling), removes them down to a count (under-sampling) or
 * removes the rows a rule flags (cleaning). The sampling
 * strategy means different things for each (METHODS.md §1), as in imbalanced-learn's
 * {@code sampling_type}.
 */
public enum SamplerKind {
    /** Adds rows: targets are at least the current counts. */
    OVER,
    /** Removes rows: targets are at most the current counts. */
    UNDER,
    /**
     * Cleans: removes the rows its rule flags in the targeted classes; the strategy only names
     * those classes (imbalanced-learn's {@code clean-sampling}).
     */
    CLEAN
}
