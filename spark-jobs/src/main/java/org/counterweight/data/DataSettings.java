package org.counterweight.data;

import java.util.ArrayList;
import java.util.List;
import org.counterweight.settings.CommonSettings;
import org.counterweight.settings.Setting;

/**
 * Settings of reading and generating data, declared once: the label column, missing-value
 * tokens, the level limit of categorical columns, how missing values are imputed, and the synthetic
 * generator's shape (the {@code generate} command's options and an experiment dataset's
 * {@code generate} block).
 */
public final class DataSettings {
    private DataSettings() {
    }

    /** The label column of CSV and Parquet inputs. */
    public static final Setting<String> LABEL_COL = Setting.text("label-col", "Label column.", "label", name -> { });

    /** The word that stands for an empty field in {@link #MISSING_VALUES}. */
    public static final String EMPTY = "empty";

    /** Texts that mean "no value" in a feature column (never allowed in the label column). */
    public static final Setting<String> MISSING_VALUES = Setting.text("missing-values",
            "Texts that mean a missing value in CSV feature columns, comma-separated ('" + EMPTY + "' is the empty field); "
                    + "empty Parquet cells and NaN are missing too. Missing values are imputed; a missing label is an error.",
            EMPTY + ",NA,?", DataSettings::missingTokens);

    /** Most distinct values a categorical column may have. */
    public static final Setting<Integer> MAX_LEVELS = Setting.integer("max-levels",
            "Most distinct values (levels) a categorical column may have; more is an error.", 1000, 1, 1_000_000);

    /** How missing numeric values are filled in. */
    public static final Setting<String> IMPUTE = Setting.choice("impute",
            "How a missing numeric value is filled in: the training part's median, mean or most frequent value "
                    + "(a categorical one always gets its most frequent category).", "median",
            List.of("median", "mean", "most-frequent"));

    /** Whether missing numeric values also get a 0/1 indicator feature. */
    public static final Setting<Boolean> MISSING_INDICATOR = Setting.flag("missing-indicator",
            "Add a 0/1 feature per numeric column with missing values in the training part, 1 where the value was missing.");

    /** The settings of how a dataset is read and prepared, as keys of an experiment dataset. */
    public static final List<Setting<?>> PREPARATION = List.of(MISSING_VALUES, MAX_LEVELS, IMPUTE, MISSING_INDICATOR);

    /**
     * The texts a {@link #MISSING_VALUES} value stands for: its comma-separated entries, stripped,
     * with {@value #EMPTY} as the empty field.
     */
    public static List<String> missingTokens(String spec) {
        List<String> out = new ArrayList<>();
        for (String t : spec.split(",", -1)) {
            String token = t.strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("has an empty entry (write '" + EMPTY + "' for the empty field)");
            }
            out.add(token.equals(EMPTY) ? "" : token);
        }
        return out;
    }

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
