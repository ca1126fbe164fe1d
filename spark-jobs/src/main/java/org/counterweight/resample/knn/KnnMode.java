package org.counterweight.resample.knn;

import java.util.Locale;

/**
 * How a k-NN resampler searches (its {@code knn} param): {@code exact} ({@link KnnSearch}),
 * {@code approx} ({@link ApproxKnnSearch}) or {@code auto}, exact while the number of
 * query × reference distance pairs is at most a threshold and approximate beyond it.
 */
public enum KnnMode {
    EXACT,
    APPROX,
    AUTO;

    /** The lower-case name used in params, specs and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code text} (case-insensitive); an error naming {@code knn} otherwise. */
    public static KnnMode parse(String text) {
        String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (KnnMode m : values()) {
            if (m.name().equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("knn must be exact, approx or auto, got '" + text + "'");
    }

    /**
     * {@code auto} stays exact while the reference side has fewer than this many rows per
     * approximate candidate: a candidate costs about 3–4 exact pairs (the tree walk plus a GEMM
     * on 128-row leaves against ≈ 1 ns per pair for the exact kernel; measured in the same run,
     * the approximate search was already cheaper at 2.9 reference rows per candidate,
     * docs/resampling.md), so it only saves time when it skips most of the reference side.
     */
    public static final int MIN_REFS_PER_CANDIDATE = 4;

    /**
     * The search to run for {@code queryCount × refCount} distance pairs: this mode unless it is
     * {@code auto}, which is exact for at most {@code maxExactPairs} pairs or fewer than
     * {@link #MIN_REFS_PER_CANDIDATE} reference rows per candidate, and approximate otherwise.
     */
    public KnnMode resolve(long queryCount, long refCount, long maxExactPairs, int candidates) {
        if (this != AUTO) {
            return this;
        }
        boolean small = (double) queryCount * refCount <= maxExactPairs
                || refCount < (long) MIN_REFS_PER_CANDIDATE * candidates;
        return small ? EXACT : APPROX;
    }
}
