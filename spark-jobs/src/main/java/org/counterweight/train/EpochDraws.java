package org.counterweight.train;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.resample.EpochSampler;

/**
 * The training-time samplers of METHODS §1 as {@link EpochDraw}s: {@code none} (natural
 * sampling, the same rows every epoch) and the {@code resample} module's {@link EpochSampler}
 * for {@code class-balanced} and {@code sqrt} (a fresh draw of the training-set size each epoch,
 * a function of (seed, epoch) only).
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
        return new Resampled(EpochSampler.Mode.parse(n));
    }

    /**
     * The draw of a training run: BBN's pairs ({@link BilateralDraw}) for the loss {@code bbn}
     * (whose sampler is {@code none}, {@link Bbn#check}), else the sampler's ({@link #forName}).
     */
    public static EpochDraw forRun(String sampler, String lossSpec) {
        return Bbn.applies(lossSpec) ? new BilateralDraw() : forName(sampler);
    }

    /** Natural sampling: every epoch sees the training rows once. */
    public static final EpochDraw NATURAL = new EpochDraw() {
        private static final long serialVersionUID = 1L;

        @Override
        public Dataset<Row> draw(Dataset<Row> train, long seed, int epoch) {
            return train;
        }

        @Override
        public boolean isStatic() {
            return true;
        }
    };

    /** A fresh {@link EpochSampler} draw every epoch. */
    private static final class Resampled implements EpochDraw {
        private static final long serialVersionUID = 1L;
        private final EpochSampler.Mode mode;

        Resampled(EpochSampler.Mode mode) {
            this.mode = mode;
        }

        @Override
        public Dataset<Row> draw(Dataset<Row> train, long seed, int epoch) {
            return new EpochSampler(mode, seed).draw(train, epoch);
        }

        @Override
        public boolean isStatic() {
            return false;
        }
    }
}
