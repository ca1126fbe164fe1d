package org.counterweight.train;

import java.util.List;
import java.util.Locale;
import org.counterweight.resample.EpochSampler;

/**
 * The training-time samplers of METHODS §1 as {@link EpochDraw}s: {@code none} (natural
 * sampling, every row once per epoch in a fresh order) and the {@code resample} module's
 * {@link EpochSampler} for {@code class-balanced} and {@code sqrt} (a fresh draw of the
 * training-set size each epoch, a function of (seed, epoch) only), plus BBN's pairs.
 */
public final class EpochDraws {
    /** Sampler names accepted by {@link #forName}. */
    public static final List<String> NAMES = List.of("none", "class-balanced", "sqrt");

    private EpochDraws() {
    }

    /** The draw for a sampler name; an {@link IllegalArgumentException} lists the known names. */
    public static EpochDraw forName(String name) {
        String n = name == null ? "none" : name.strip().toLowerCase(Locale.ROOT);
        if (n.equals("none")) {
            return NATURAL;
        }
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException("unknown sampler '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
        return new Resampled(n);
    }

    /**
     * The draw of a training run: BBN's pairs ({@link BilateralDraw}) for the loss {@code bbn}
     * (whose sampler is {@code none}, {@link Bbn#check}), else the sampler's ({@link #forName}).
     */
    public static EpochDraw forRun(String sampler, String lossSpec) {
        return Bbn.applies(lossSpec) ? new BilateralDraw() : forName(sampler);
    }

    /** The draw whose {@link EpochDraw#name()} is {@code name} (a sampler's, or BBN's pairs). */
    static EpochDraw named(String name) {
        return name.equals(BilateralDraw.NAME) ? new BilateralDraw() : forName(name);
    }

    /** Natural sampling: every epoch sees the training rows once. */
    public static final EpochDraw NATURAL = new EpochDraw() {
        private static final long serialVersionUID = 1L;

        @Override
        public String name() {
            return "none";
        }

        @Override
        public boolean isStatic() {
            return true;
        }

        @Override
        public EpochDeal deal(int[] labels, int rows, int batchSize, long seed, int epoch) {
            return EpochDeal.natural(rows, batchSize, seed, epoch);
        }
    };

    /** A fresh {@link EpochSampler} draw every epoch, dealt in its own order. */
    private static final class Resampled implements EpochDraw {
        private static final long serialVersionUID = 1L;
        private final String name;

        Resampled(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isStatic() {
            return false;
        }

        @Override
        public EpochDeal deal(int[] labels, int rows, int batchSize, long seed, int epoch) {
            return EpochDeal.of(new EpochSampler(EpochSampler.Mode.parse(name), seed).draw(labels, epoch), batchSize, seed,
                    epoch);
        }
    }
}
