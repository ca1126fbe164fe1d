package org.counterweight.settings;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One setting, declared once: its key, documentation, default and validation. The key is the
 * HOCON key of experiment configs, the command-line option {@code --key} and the name used in
 * messages; {@link org.counterweight.cli} takes the option's description and default from here,
 * {@link org.counterweight.experiment.ExperimentConfig} reads the key, and the Java API
 * ({@link org.counterweight.train.TrainingConfig}) validates with the same {@link #validate}.
 * In the spirit of Spark ML's {@code Param}: name, doc, default, validator.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {
    /** Parses a value from its text form; throws IllegalArgumentException with a reason. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String text);
    }

    /** Checks a value; throws IllegalArgumentException with a reason (without the key). */
    @FunctionalInterface
    public interface Check<T> {
        void check(T value);
    }

    private final String key;
    private final String doc;
    private final T defaultValue;
    private final Parser<T> parser;
    private final Check<T> check;

    private Setting(String key, String doc, T defaultValue, Parser<T> parser, Check<T> check) {
        this.key = Objects.requireNonNull(key);
        this.doc = Objects.requireNonNull(doc);
        this.defaultValue = defaultValue;
        this.parser = parser;
        this.check = check;
        // Defaults are not validated here: some checks build DL4J configurations, too heavy for
        // class initialisation (help texts read defaults). SettingsTest validates every default.
    }

    /** A setting of any type. */
    public static <T> Setting<T> of(String key, String doc, T defaultValue, Parser<T> parser, Check<T> check) {
        return new Setting<>(key, doc, defaultValue, parser, check);
    }

    /** An integer ≥ {@code min}. */
    public static Setting<Integer> integer(String key, String doc, int defaultValue, int min) {
        return integer(key, doc, defaultValue, min, Integer.MAX_VALUE);
    }

    /** An integer in [{@code min}, {@code max}]. */
    public static Setting<Integer> integer(String key, String doc, int defaultValue, int min, int max) {
        return of(key, doc, defaultValue, Integer::valueOf, v -> inRange(v, min, max));
    }

    /** A long integer in [{@code min}, {@code max}]. */
    public static Setting<Long> longInteger(String key, String doc, long defaultValue, long min, long max) {
        return of(key, doc, defaultValue, Long::valueOf, v -> inRange(v, min, max));
    }

    private static void inRange(long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(max == Integer.MAX_VALUE || max == Long.MAX_VALUE
                    ? "must be >= " + min + ", got " + v : "must be in [" + min + ", " + max + "], got " + v);
        }
    }

    /** A finite number ≥ {@code min}. */
    public static Setting<Double> number(String key, String doc, double defaultValue, double min) {
        return of(key, doc, defaultValue, Double::valueOf, v -> {
            if (!(v >= min) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("must be a finite number >= " + min + ", got " + v);
            }
        });
    }

    /** A switch, off by default. */
    public static Setting<Boolean> flag(String key, String doc) {
        return of(key, doc, false, Setting::parseBoolean, v -> { });
    }

    /** One of {@code choices} (lower-case), given in any case. */
    public static Setting<String> choice(String key, String doc, String defaultValue, List<String> choices) {
        return of(key, doc, defaultValue, t -> t.strip().toLowerCase(Locale.ROOT), v -> {
            if (!choices.contains(v)) {
                throw new IllegalArgumentException("'" + v + "' is not one of " + String.join("|", choices));
            }
        });
    }

    /** A non-empty text (a spec, a name, a path); {@code check} validates it further. */
    public static Setting<String> text(String key, String doc, String defaultValue, Check<String> check) {
        return of(key, doc, defaultValue, String::strip, v -> {
            if (v.isBlank()) {
                throw new IllegalArgumentException("must not be empty");
            }
            check.check(v);
        });
    }

    /** A text with no default (absent means "none"). */
    public static Setting<String> optionalText(String key, String doc, Check<String> check) {
        return text(key, doc, null, check);
    }

    private static Boolean parseBoolean(String t) {
        return switch (t.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("'" + t + "' is not true or false");
        };
    }

    /** The HOCON key and option name without dashes, e.g. {@code averaging-frequency}. */
    public String key() {
        return key;
    }

    /** The command-line option, e.g. {@code --averaging-frequency}. */
    public String option() {
        return "--" + key;
    }

    /** One or two sentences for help texts and docs. */
    public String doc() {
        return doc;
    }

    /** The default, or null when absent means "none". */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as text (for help), or null. */
    public String defaultText() {
        return defaultValue == null ? null : String.valueOf(defaultValue);
    }

    /** {@code value} when valid; an IllegalArgumentException naming this setting otherwise. */
    public T validate(T value) {
        if (value == null) {
            if (defaultValue == null) {
                return null;
            }
            throw new IllegalArgumentException(key + ": missing value");
        }
        try {
            check.check(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
        return value;
    }

    /** Parses and validates {@code text}; errors name this setting. */
    public T parse(String text) {
        T v;
        try {
            v = parser.parse(text);
        } catch (IllegalArgumentException e) {
            String reason = e instanceof NumberFormatException ? "'" + text + "' is not a valid value" : e.getMessage();
            throw new IllegalArgumentException(key + ": " + reason, e);
        }
        return validate(v);
    }

    @Override
    public String toString() {
        return key;
    }
}
