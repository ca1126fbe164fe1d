package org.counterweight.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.evaluate.stats.Summary;
import org.counterweight.results.ResultsStore;

/**
 * The per-dataset ranking of methods printed at the end of a run: one Spark SQL aggregation
 * ({@code leaderboard.sql}) over the results store, mean and 95% Student-t interval per method.
 */
public final class Leaderboard {
    /** One line of the leaderboard. */
    public record Entry(String dataset, String method, Summary summary) {
    }

    private Leaderboard() {
    }

    /** Entries of {@code runId} for {@code metric}, best first within each dataset. */
    public static List<Entry> of(SparkSession spark, ResultsStore store, String runId, String metric) {
        store.registerViews();
        List<Entry> out = new ArrayList<>();
        for (Row r : spark.sql(sql(), Map.of("run_id", runId, "metric", metric)).collectAsList()) {
            List<Double> vals = r.getList(2);
            double[] v = vals.stream().mapToDouble(Double::doubleValue).toArray();
            out.add(new Entry(r.getString(0), r.getString(1), Summary.of(v)));
        }
        out.sort(Comparator.comparing(Entry::dataset).thenComparing(e -> -e.summary().mean()));
        return out;
    }

    /** The table as text; the best method of each dataset is marked. */
    public static String format(List<Entry> entries, String metric) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-28s %-24s %4s  %-28s%n", "dataset", "method", "n", metric + " (mean ± 95% CI)"));
        String last = null;
        for (Entry e : entries) {
            boolean best = !e.dataset().equals(last);
            last = e.dataset();
            Summary s = e.summary();
            String ci = s.n() > 1 ? String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), (s.ciHigh() - s.ciLow()) / 2)
                    : String.format(Locale.ROOT, "%.4f", s.mean());
            sb.append(String.format(Locale.ROOT, "%-28s %-24s %4d  %-28s%s%n", e.dataset(), e.method(), s.n(), ci, best ? " best" : ""));
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
