package org.counterweight.experiment;

/**
 * One value of a tuning grid ({@code tune} in an experiment config), parsed once when the config
 * is loaded: {@code text} as written, which goes into the loss spec, and the number it stands
 * for, which is stored as the cell's {@code tuned_<param>} metric.
 *
 * @param text  the value as written in the config, e.g. {@code 0.5}
 * @param value the finite number {@code text} denotes
 */
public record TuneValue(String text, double value) {
    /** Parses {@code text}; anything but a finite number is an {@link IllegalArgumentException}. */
    public static TuneValue parse(String text) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        return new TuneValue(text, v);
    }
}
