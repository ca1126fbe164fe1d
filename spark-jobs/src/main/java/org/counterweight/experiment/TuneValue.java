package org.counterweight.experiment;

import java.util.Map;
import org.counterweight.spec.Spec;

/**
 * One value of a tuning grid ({@code tune} in an experiment config), as written: a number such as
 * {@code 0.5} or a word such as {@code inverse}. It goes into the loss, resampler or optimizer spec
 * unchanged, and into the cell's {@code params} row as the same text.
 *
 * @param text the value as written in the config
 */
public record TuneValue(String text) {
    /**
     * Checks that {@code text} is one spec value: not empty, and not something that would add a
     * parameter of its own ({@code 1,gamma=5}); a nested spec such as {@code focal(gamma=1)} is one value.
     */
    public static TuneValue parse(String text) {
        String t = text == null ? "" : text.strip();
        Map<String, String> params;
        try {
            params = t.isEmpty() ? Map.of() : Spec.parse("v(x=" + t + ")").params();
        } catch (RuntimeException e) {
            params = Map.of();
        }
        if (!t.equals(params.get("x")) || params.size() != 1) {
            throw new IllegalArgumentException("'" + text + "' is not one spec value (a number, a word, a comma list "
                    + "such as \"0.2,0.8\" or a spec such as \"focal(gamma=1)\")");
        }
        return new TuneValue(t);
    }

    /** The number the text denotes, or NaN when it is not a number (e.g. {@code inverse}). */
    double number() {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
