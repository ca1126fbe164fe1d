package org.counterweight.experiment;

import java.util.List;
import org.counterweight.evaluate.EvaluationSettings;
import org.counterweight.settings.Setting;
import org.counterweight.train.TrainingSettings;

/**
 * The settings an experiment config sets at its top level, declared once: the training settings
 * every cell shares (the same declarations as the {@code train} command's options), how many
 * cells run at once, the tuning budget, and the metric that ranks methods.
 */
public final class ExperimentSettings {
    private ExperimentSettings() {
    }

    /** Cells trained at the same time. */
    public static final Setting<Integer> PARALLEL_CELLS = Setting.integer("parallel-cells",
            "Cells trained at the same time (with the local engine, up to the driver's cores); does not change results.", 1, 1);

    /**
     * Candidate trainings per method and cell when the config tunes (docs/experiments.md, "Tuning");
     * 0: the largest tuning grid among the methods.
     */
    public static final Setting<Integer> TUNE_BUDGET = Setting.integer("tune-budget",
            "Candidate trainings per method and cell when tuning; 0 = the largest tuning grid among the methods.", 0, 0);

    /** The training settings a config sets for all its cells (a method may override model and optimizer). */
    public static final List<Setting<?>> TRAINING = List.of(TrainingSettings.MODEL, TrainingSettings.OPTIMIZER,
            TrainingSettings.EPOCHS, TrainingSettings.BATCH_SIZE, TrainingSettings.SHUFFLE, TrainingSettings.AVERAGING_FREQUENCY,
            TrainingSettings.ENGINE);

    /** Every top-level setting of an experiment config: {@link #TRAINING} and the experiment's own. */
    public static final List<Setting<?>> ALL = java.util.stream.Stream.concat(TRAINING.stream(),
            java.util.stream.Stream.of(PARALLEL_CELLS, TUNE_BUDGET, EvaluationSettings.METRIC)).toList();
}
