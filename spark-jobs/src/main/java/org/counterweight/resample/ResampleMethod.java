package org.counterweight.resample;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.counterweight.spec.Spec;

/**
 * The static resampling methods by their command-line names (METHODS.md §1), and how to build
 * one from a spec such as {@code smote(k_neighbors=3,sampling_strategy=0:500,1:500,seed=7)}:
 * snake-case spec keys name the stage's params ({@code k_neighbors} → {@code kNeighbors}).
 */
public enum ResampleMethod {
    RANDOM_OVER("random-over", RandomOverSampler::new),
    RANDOM_UNDER("random-under", RandomUnderSampler::new),
    SMOTE("smote", Smote::new),
    SMOTE_NC("smote-nc", SmoteNc::new),
    NEARMISS("nearmiss", NearMiss::new),
    TOMEK_LINKS("tomek-links", TomekLinks::new),
    ENN("enn", EditedNearestNeighbours::new),
    SMOTE_TOMEK("smote-tomek", SmoteTomek::new),
    SMOTE_ENN("smote-enn", SmoteEnn::new),
    ADASYN("adasyn", Adasyn::new),
    BORDERLINE_SMOTE("borderline-smote", BorderlineSmote::new);

    private final String cliName;
    private final Supplier<Resampler> factory;

    ResampleMethod(String cliName, Supplier<Resampler> factory) {
        this.cliName = cliName;
        this.factory = factory;
    }

    /** The command-line name, e.g. {@code random-over}. */
    public String cliName() {
        return cliName;
    }

    /** A new stage with default params. */
    public Resampler create() {
        return factory.get();
    }

    /** The method named {@code name}; an error listing the known names otherwise. */
    public static ResampleMethod parse(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (ResampleMethod m : values()) {
            if (m.cliName.equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown resampling method '" + name + "'; known: "
                + Arrays.stream(values()).map(ResampleMethod::cliName).collect(Collectors.joining(", ")));
    }

    /** A configured stage from a spec; unknown keys and bad values are errors naming them. */
    public static Resampler fromSpec(String text) {
        Spec spec = Spec.parse(text);
        Resampler r = parse(spec.name()).create();
        for (Map.Entry<String, String> e : spec.params().entrySet()) {
            r.setParam(camelCase(e.getKey()), e.getValue());
        }
        return r;
    }

    /** Whether the resampler of {@code spec} has the parameter that spec key {@code key} names. */
    public static boolean hasSpecParam(String spec, String key) {
        return fromSpec(spec).hasParam(camelCase(key));
    }

    /** {@code n_neighbors_ver3} → {@code nNeighborsVer3}. */
    static String camelCase(String snake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_' || c == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }
}
