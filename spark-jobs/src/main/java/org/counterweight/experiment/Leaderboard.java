package org.counterweight.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.counterweight.evaluate.aggregate.Aggregation;
import org.counterweight.evaluate.aggregate.CellValues;
import org.counterweight.evaluate.stats.Summary;
import org.counterweight.results.ResultsStore;

/**
 * The per-dataset ranking of methods printed at the end of a run: the cells of one metric
 * ({@code leaderboard.sql}) summarised by {@link Aggregation}, as the report's leaderboard (same
 * means, intervals and NaN policy).
 */
public final class Leaderboard {
    /** One line of the leaderboard; no summary when the method has no finite value of the metric. */
    public record Entry(String dataset, String method, Optional<Summary> summary) {
    }

    private Leaderboard() {
    }

    /** Entries of {@code runId} for {@code metric}, best first within each dataset. */
    public static List<Entry> of(SparkSession spark, ResultsStore store, String runId, String metric) {
        store.registerViews();
        Aggregation cells = Aggregation.of(CellValues.collect(spark.sql(sql(), Map.of("run_id", runId, "metric", metric))));
        List<Entry> out = new ArrayList<>();
        for (String dataset : cells.datasets()) {
            for (String method : cells.ranked(dataset, metric)) {
                out.add(new Entry(dataset, method, cells.summary(dataset, method, metric)));
            }
        }
        return out;
    }

    /** The table as text; the best method of each dataset is marked. */
    public static String format(List<Entry> entries, String metric) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-28s %-24s %4s  %-28s%n", "dataset", "method", "n", metric + " (mean ± 95% CI)"));
        String last = null;
        for (Entry e : entries) {
            boolean best = !e.dataset().equals(last) && e.summary().isPresent();
            last = e.dataset();
            sb.append(String.format(Locale.ROOT, "%-28s %-24s %4d  %-28s%s%n", e.dataset(), e.method(),
                    e.summary().map(Summary::n).orElse(0), e.summary().map(Summary::meanAndHalfWidth).orElse("—"),
                    best ? " best" : ""));
        }
        return sb.toString();
    }

    private static String sql() {
        try (InputStream in = Leaderboard.class.getResourceAsStream("leaderboard.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
