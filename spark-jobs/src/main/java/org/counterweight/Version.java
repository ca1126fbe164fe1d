package org.counterweight;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The code version recorded in provenance (results, model files) and printed by {@code --version}. */
public final class Version {
    private static final Properties PROPS = load();

    private Version() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The Maven project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return PROPS.getProperty("version", "unknown");
    }

    /** Version and build time, e.g. {@code 0.1.0-SNAPSHOT (built 2026-11-26T08:40:00Z)}. */
    public static String describe() {
        return version() + " (built " + PROPS.getProperty("built", "unknown") + ")";
    }
}
