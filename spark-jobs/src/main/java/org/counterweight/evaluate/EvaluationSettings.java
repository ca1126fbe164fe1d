package org.counterweight.evaluate;

import org.counterweight.settings.Setting;

/** Settings of evaluation, declared once: the metric that ranks methods. */
public final class EvaluationSettings {
    private EvaluationSettings() {
    }

    /**
     * The overall metric that sorts leaderboards and is ranked across datasets: the experiment's
     * leaderboard and (stored with each cell of a run) its report's default. Balanced accuracy:
     * the mean per-class recall, the measure the compared papers use on imbalanced test sets.
     */
    public static final Setting<String> METRIC = Setting.text("metric",
            "Overall metric that ranks methods in leaderboards, tests and the critical-difference diagram "
                + "(docs/evaluation.md); a report without it uses the one its run's experiment config names, else this default.",
            "balanced_accuracy", name -> {
                if (MetricTable.OVERALL.stream().noneMatch(m -> m.name().equals(name))) {
                    throw new IllegalArgumentException("'" + name + "' is not an overall metric (known: "
                            + String.join(", ", MetricTable.OVERALL.stream().map(MetricTable.Overall::name).toList()) + ")");
                }
            });
}
