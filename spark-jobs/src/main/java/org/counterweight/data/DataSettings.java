package org.counterweight.data;

import java.util.List;
import org.counterweight.settings.CommonSettings;
import org.counterweight.settings.Setting;

/**
 * Settings of reading and generating data, declared once: the label column, and the synthetic
 * generator's shape (the {@code generate} command's options and an experiment dataset's
 * {@code generate} block).
 */
public final class DataSettings {
    private DataSettings() {
    }

    /** The label column of CSV and Parquet inputs. */
    public static final Setting<String> LABEL_COL = Setting.text("label-col", "Label column.", "label", name -> { });

    /** Generated rows. */
    public static final Setting<Long> ROWS = Setting.longInteger("rows", "Number of rows to generate.", 10_000L, 2,
            Integer.MAX_VALUE);

    /** Generated features. */
    public static final Setting<Integer> NUM_FEATURES = Setting.integer("num-features", "Number of features to generate.",
            20, 1, 100_000);

    /** Generated classes. */
    public static final Setting<Integer> CLASSES = Setting.integer("classes", "Number of classes to generate.", 2, 2, 10_000);

    /** Largest over smallest class. */
    public static final Setting<Double> IMBALANCE_RATIO = Setting.number("imbalance-ratio",
            "Largest / smallest class size of generated data (class sizes follow a geometric profile).", 10.0, 1);

    /** Distance of the class centres. */
    public static final Setting<Double> SEPARATION = Setting.number("separation",
            "Distance of each generated class centre from the origin, in noise standard deviations.", 2.0, 0);

    /** The generator's settings, as the keys of an experiment dataset's {@code generate} block. */
    public static final List<Setting<?>> GENERATOR = List.of(ROWS, NUM_FEATURES, CLASSES, IMBALANCE_RATIO, SEPARATION,
            CommonSettings.SEED);
}
