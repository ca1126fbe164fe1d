package org.counterweight.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The small real datasets shipped inside the jar (source files and provenance in the
 * repository's {@code data/} folder). Built-ins are read on the driver and distributed, so
 * they work on any cluster without a shared file system.
 */
public final class BuiltinDatasets {
    private static final String RESOURCE_DIR = "/org/counterweight/data/builtin/";
    private static final Map<String, String> FILES = new TreeMap<>(Map.of("satimage", "satimage.csv.gz"));

    private BuiltinDatasets() {
    }

    /** Names of the built-in datasets. */
    public static List<String> names() {
        return new ArrayList<>(FILES.keySet());
    }

    public static boolean isBuiltin(String name) {
        return name != null && FILES.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** All lines of a built-in CSV (header first). */
    public static List<String> lines(String name) {
        String file = FILES.get(name.toLowerCase(Locale.ROOT));
        if (file == null) {
            throw new DataException("unknown built-in dataset '" + name + "' (built-ins: " + String.join(", ", names()) + ")");
        }
        try (InputStream raw = BuiltinDatasets.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (raw == null) {
                throw new DataException("built-in dataset '" + name + "' is missing from the jar (" + RESOURCE_DIR + file + ")");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(
                    file.endsWith(".gz") ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("reading built-in dataset " + name, e);
        }
    }
}
