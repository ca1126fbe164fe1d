package org.counterweight.evaluate.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

/** Reads the CSV fixtures under {@code /org/counterweight/evaluate/stats/} (made by tools/fixtures/evaluate/). */
final class StatsFixtures {
    private StatsFixtures() {
    }

    /** Data rows (header skipped), split at commas. */
    static List<String[]> rows(String name) {
        try {
            List<String> lines = Files.readAllLines(Paths.get(StatsFixtures.class
                    .getResource("/org/counterweight/evaluate/stats/" + name).toURI()));
            return lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A space-separated list of numbers. */
    static double[] numbers(String s) {
        return Arrays.stream(s.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }
}
