package org.counterweight.experiment;

import java.util.List;
import org.counterweight.spec.Spec;
import org.counterweight.split.StratifiedSplitter;

/**
 * How each dataset is split per seed: {@code holdout(test=0.2, validation=0.1)} (one cell per
 * seed, fold 0) or {@code kfold(k=10, validation=0.1)} (k cells per seed; the validation part,
 * when asked for, is carved from each fold's training part, stratified).
 *
 * @param kind               {@code holdout} or {@code kfold}
 * @param testFraction       holdout test fraction
 * @param validationFraction validation fraction (of the data for holdout, of the fold's training part for kfold)
 * @param folds              k for kfold, 1 for holdout
 */
public record Protocol(String kind, double testFraction, double validationFraction, int folds) {
    /** Parses a protocol spec; errors name the allowed forms. */
    public static Protocol parse(String text) {
        Spec s = Spec.parse(text);
        switch (s.name()) {
            case "holdout": {
                s.requireOnly(List.of("test", "validation"));
                double t = s.getDouble("test", 0.2, v -> v > 0 && v < 1, "in (0, 1)");
                double v = s.getDouble("validation", 0.1, x -> x >= 0 && x < 1, "in [0, 1)");
                StratifiedSplitter.validateHoldout(t, v);
                return new Protocol("holdout", t, v, 1);
            }
            case "kfold": {
                s.requireOnly(List.of("k", "validation"));
                int k = s.getInt("k", 10, 2, 1000);
                double v = s.getDouble("validation", 0.1, x -> x >= 0 && x < 1, "in [0, 1)");
                return new Protocol("kfold", 0, v, k);
            }
            default:
                throw s.unknownName("protocol", List.of("holdout", "kfold"));
        }
    }

    @Override
    public String toString() {
        return kind.equals("holdout") ? "holdout(test=" + testFraction + ",validation=" + validationFraction + ")"
                : "kfold(k=" + folds + ",validation=" + validationFraction + ")";
    }
}
