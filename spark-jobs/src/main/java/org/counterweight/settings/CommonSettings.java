package org.counterweight.settings;

/** Settings that every stage shares, declared once. */
public final class CommonSettings {
    private CommonSettings() {
    }

    /**
     * The random seed of every command and stage (generate, split, resample, train, experiment
     * cells): the same seed and input give the same output.
     */
    public static final Setting<Long> SEED = Setting.longInteger("seed",
            "Random seed: the same seed and input give the same output.", 1L, Long.MIN_VALUE, Long.MAX_VALUE);
}
