package org.counterweight.resample;

/**
 * Whether a sampler adds rows (over-sampling) or removes them (under-sampling). The sampling
 * strategy means different things for each (METHODS.md §1), as in imbalanced-learn's
 * {@code sampling_type}.
 */
public enum SamplerKind {
    /** Adds rows: targets are at least the current counts. */
    OVER,
    /** Removes rows: targets are at most the current counts. */
    UNDER
}
