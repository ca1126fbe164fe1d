package org.counterweight.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoublePredicate;

/**
 * One parsed component spec of the form {@code name(key=value, key=value, ...)}, the single
 * grammar Counterweight uses for losses, output layers, models, optimizers and methods.
 *
 * <p>Grammar: a name made of letters, digits, {@code - _ .}; optionally parameters in
 * parentheses, separated by commas. A value may itself contain parentheses (nested specs such
 * as {@code base=focal(gamma=1)}) and a list value continues over commas while the next item
 * has no {@code =}: {@code mlp(hidden=16,8,activation=relu)} gives {@code hidden="16,8"}.
 * Keys are case-sensitive; names are lower-cased.
 *
 * <p>Typed getters validate and record which keys were read; {@link #requireOnly} rejects
 * unknown keys with the list of allowed ones.
 */
public final class Spec {
    private final String text;
    private final String name;
    private final Map<String, String> params;

    private Spec(String text, String name, Map<String, String> params) {
        this.text = text;
        this.name = name;
        this.params = Collections.unmodifiableMap(params);
    }

    /** Parses {@code text}; throws {@link SpecException} naming the problem. */
    public static Spec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SpecException("empty spec: expected name or name(key=value,...)");
        }
        String s = text.strip();
        int open = s.indexOf('(');
        String name = (open < 0 ? s : s.substring(0, open)).strip().toLowerCase(Locale.ROOT);
        if (!name.matches("[a-z0-9][a-z0-9_.+-]*")) {
            throw new SpecException("spec '" + s + "': invalid name '" + name + "'");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (open >= 0) {
            if (!s.endsWith(")")) {
                throw new SpecException("spec '" + s + "': missing closing ')'");
            }
            String body = s.substring(open + 1, s.length() - 1);
            String lastKey = null;
            for (String item : splitTopLevel(s, body)) {
                String it = item.strip();
                if (it.isEmpty()) {
                    if (body.isBlank()) {
                        break;
                    }
                    throw new SpecException("spec '" + s + "': empty parameter");
                }
                int eq = topLevelEquals(it);
                if (eq < 0) {
                    if (lastKey == null) {
                        throw new SpecException("spec '" + s + "': expected key=value, got '" + it + "'");
                    }
                    params.put(lastKey, params.get(lastKey) + "," + it);
                    continue;
                }
                String key = it.substring(0, eq).strip();
                String value = it.substring(eq + 1).strip();
                if (!key.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                    throw new SpecException("spec '" + s + "': invalid parameter name '" + key + "'");
                }
                if (params.containsKey(key)) {
                    throw new SpecException("spec '" + s + "': parameter '" + key + "' given twice");
                }
                params.put(key, value);
                lastKey = key;
            }
        }
        return new Spec(s, name, params);
    }

    private static List<String> splitTopLevel(String spec, String body) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    throw new SpecException("spec '" + spec + "': unbalanced ')'");
                }
            } else if (c == ',' && depth == 0) {
                out.add(body.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new SpecException("spec '" + spec + "': unbalanced '('");
        }
        out.add(body.substring(start));
        return out;
    }

    private static int topLevelEquals(String item) {
        int depth = 0;
        for (int i = 0; i < item.length(); i++) {
            char c = item.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '=' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The lower-cased component name, e.g. {@code focal}. */
    public String name() {
        return name;
    }

    /** The text the spec was parsed from. */
    public String text() {
        return text;
    }

    /** The parameters in the order given. */
    public Map<String, String> params() {
        return params;
    }

    public boolean has(String key) {
        return params.containsKey(key);
    }

    /** Fails unless every given key is one of {@code allowed}; the message lists them. */
    public Spec requireOnly(Collection<String> allowed) {
        for (String key : params.keySet()) {
            if (!allowed.contains(key)) {
                Set<String> sorted = new TreeSet<>(allowed);
                throw new SpecException(name + ": unknown parameter '" + key + "' (allowed: "
                        + (sorted.isEmpty() ? "none" : String.join(", ", sorted)) + ")");
            }
        }
        return this;
    }

    public Spec requireOnly(String... allowed) {
        return requireOnly(List.of(allowed));
    }

    /** A string parameter, or {@code defaultValue} when absent. */
    public String getString(String key, String defaultValue) {
        return params.getOrDefault(key, defaultValue);
    }

    /** A string parameter that must be one of {@code choices} (case-insensitive). */
    public String getChoice(String key, String defaultValue, String... choices) {
        String v = params.get(key);
        if (v == null) {
            return defaultValue;
        }
        for (String c : choices) {
            if (c.equalsIgnoreCase(v)) {
                return c;
            }
        }
        throw new SpecException(name + ": " + key + "=" + v + " is not one of " + String.join("|", choices));
    }

    /**
     * A double parameter that must satisfy {@code valid}; {@code rule} describes the valid range
     * for the error message (e.g. {@code "> 0"}).
     */
    public double getDouble(String key, double defaultValue, DoublePredicate valid, String rule) {
        String v = params.get(key);
        double d;
        if (v == null) {
            d = defaultValue;
        } else {
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new SpecException(name + ": " + key + "=" + v + " is not a number");
            }
        }
        if (!Double.isFinite(d) || !valid.test(d)) {
            throw new SpecException(name + ": " + key + "=" + (v == null ? d : v) + " is out of range (must be " + rule + ")");
        }
        return d;
    }

    /** An integer parameter in {@code [min, max]}. */
    public int getInt(String key, int defaultValue, int min, int max) {
        String v = params.get(key);
        int i;
        if (v == null) {
            i = defaultValue;
        } else {
            try {
                i = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new SpecException(name + ": " + key + "=" + v + " is not an integer");
            }
        }
        if (i < min || i > max) {
            throw new SpecException(name + ": " + key + "=" + i + " is out of range (must be in [" + min + ", " + max + "])");
        }
        return i;
    }

    /** A boolean parameter ({@code true|false}). */
    public boolean getBoolean(String key, boolean defaultValue) {
        String v = params.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new SpecException(name + ": " + key + "=" + v + " is not true|false");
    }

    /** A comma-separated list of doubles, e.g. {@code alpha=0.25,0.75}; null when absent. */
    public double[] getDoubleList(String key) {
        String v = params.get(key);
        if (v == null) {
            return null;
        }
        String[] parts = v.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new SpecException(name + ": " + key + "=" + v + " is not a list of numbers");
            }
        }
        return out;
    }

    /** A comma-separated list of positive integers, e.g. {@code hidden=16,8}. */
    public int[] getIntList(String key, int[] defaultValue) {
        String v = params.get(key);
        if (v == null) {
            return defaultValue;
        }
        String[] parts = v.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new SpecException(name + ": " + key + "=" + v + " is not a list of integers");
            }
            if (out[i] <= 0) {
                throw new SpecException(name + ": " + key + "=" + v + " must hold positive integers");
            }
        }
        return out;
    }

    /** Fails with the list of known names; for factories that dispatch on {@link #name()}. */
    public SpecException unknownName(String kind, Collection<String> known) {
        return new SpecException("unknown " + kind + " '" + name + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")");
    }

    @Override
    public String toString() {
        return text;
    }
}
