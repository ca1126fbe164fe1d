package org.counterweight.resample;

/**
 * Counter-based randomness: every random number is a pure function of (seed, stream, keys), so
 * a draw does not depend on partitioning or on the order rows are visited (METHODS.md §1, last
 * paragraph). The mixing function is SplitMix64's finalizer (Steele, Lea &amp; Flood, "Fast
 * splittable pseudorandom number generators", OOPSLA 2014), applied once per key.
 */
final class RowRandom {
    /** Stream ids keep the different uses of one seed independent. */
    static final long UNDER_KEY = 0x51A7E0L;
    static final long OVER_DRAW = 0x0FE4L;
    static final long SMOTE_BASE = 0x5B05EL;
    static final long SMOTE_NEIGHBOUR = 0x5BE16L;
    static final long SMOTE_GAP = 0x5B6A9L;
    static final long ADASYN_NEIGHBOUR = 0xADA5EL;
    static final long ADASYN_GAP = 0xADA6AL;
    static final long SMOTENC_CATEGORY = 0x5BCA7L;
    static final long EPOCH_CLASS = 0xE9C1L;
    static final long EPOCH_ROW = 0xE9B0L;

    private RowRandom() {
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A 64-bit hash of the seed, a stream id and up to three keys. */
    static long hash(long seed, long stream, long a, long b, long c) {
        long h = mix(seed + 0x9E3779B97F4A7C15L * (stream + 1));
        h = mix(h ^ (a + 0x9E3779B97F4A7C15L));
        h = mix(h ^ (b + 0x632BE59BD9B4E019L));
        return mix(h ^ (c + 0x85157AF5L));
    }

    /** Uniform double in [0, 1) from the top 53 bits. */
    static double uniform(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, n) (bias below n / 2^53, negligible for any row count). */
    static long below(long n, long h) {
        return Math.min(n - 1, (long) (uniform(h) * n));
    }
}
