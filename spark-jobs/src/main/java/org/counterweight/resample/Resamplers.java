package org.counterweight.resample;

import java.util.List;
import org.counterweight.spec.Spec;

/**
 * Builds a resampler from a spec string in imbalanced-learn's vocabulary, the one place the
 * experiment runner (and any other caller with a spec) turns text into a stage:
 * {@code smote(k_neighbors=5, sampling_strategy=auto)}, {@code nearmiss(version=1, n_neighbors=3,
 * n_neighbors_ver3=3)}, {@code random-over}, {@code random-under}. Defaults are the stages'.
 */
public final class Resamplers {
    /** Known resampler names. */
    public static final List<String> NAMES = List.of("random-over", "random-under", "smote", "nearmiss");

    private Resamplers() {
    }

    /** The resampler for {@code spec}, seeded with {@code seed}. */
    public static Resampler create(String spec, long seed) {
        Spec s = Spec.parse(spec);
        Resampler r;
        switch (s.name()) {
            case "random-over":
                s.requireOnly("sampling_strategy");
                r = new RandomOverSampler();
                break;
            case "random-under":
                s.requireOnly("sampling_strategy");
                r = new RandomUnderSampler();
                break;
            case "smote":
                s.requireOnly("sampling_strategy", "k_neighbors");
                r = new Smote().setKNeighbors(s.getInt("k_neighbors", 5, 1, 10_000));
                break;
            case "nearmiss":
                s.requireOnly("sampling_strategy", "version", "n_neighbors", "n_neighbors_ver3");
                r = new NearMiss().setVersion(s.getInt("version", 1, 1, 3))
                        .setNNeighbors(s.getInt("n_neighbors", 3, 1, 10_000))
                        .setNNeighborsVer3(s.getInt("n_neighbors_ver3", 3, 1, 10_000));
                break;
            default:
                throw s.unknownName("resampler", NAMES);
        }
        r.setSeed(seed);
        if (s.has("sampling_strategy")) {
            r.setSamplingStrategy(s.getString("sampling_strategy", "auto"));
        }
        return r;
    }
}
