package org.counterweight.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the minibatches of a training run are fitted. Both engines use the same minibatches in
 * the same order, the same epoch schedule and sampler draws, and the same
 * validation, checkpoints and two-stage methods; only the fitting step differs.
 */
public enum Engine {
    /**
     * DL4J parameter averaging on the Spark executors ({@code workers}, {@code averagingFrequency}
     * apply). The default: it scales out with the cluster.
     */
    SPARK,
    /**
     * One network fitted in the driver JVM, minibatch after minibatch: exactly what
     * {@link #SPARK} computes with one worker averaging after every minibatch, without the two
     * Spark jobs per averaging round. For small data (the FAL paper's tabular sets have a few
     * hundred to a few thousand rows) where those jobs cost more than the fitting; the training
     * minibatches are held in driver memory.
     */
    LOCAL;

    /**
     * Parses {@code spark} or {@code local} (case-insensitive); {@code what} names the setting in
     * errors (null when the caller adds the name itself).
     */
    public static Engine parse(String name, String what) {
        String n = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
        for (Engine e : values()) {
            if (e.name().equals(n)) {
                return e;
            }
        }
        throw new IllegalArgumentException((what == null ? "" : what + ": ") + "'" + name + "' is not one of " + names());
    }

    /** The accepted names, {@code spark|local}. */
    public static String names() {
        return Arrays.stream(values()).map(Engine::toString).collect(Collectors.joining("|"));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
