package org.counterweight.report;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.counterweight.data.DataException;
import org.counterweight.results.ResultsStore;
import org.counterweight.results.RunInfo;

/**
 * Which runs a report shows: the named runs ({@code runIds}, each must be reportable), or those
 * started on or after {@code since} (UTC), or all reportable runs. Registers the views the
 * report's queries read: {@code selected_runs} (these runs) and {@code leaderboard_run} (the
 * newest, or all of them when {@code pool}); pooled runs must not share a cell.
 *
 * @param runIds the runs asked for by id; empty for {@code since} or all
 * @param since  earliest start date, or null
 * @param pool   whether the leaderboard covers all selected runs as one
 */
record RunSelection(List<String> runIds, LocalDate since, boolean pool) {
    /** Copies the ids. */
    RunSelection {
        runIds = List.copyOf(runIds);
    }

    /** The selected runs, newest first; registers the views. */
    List<RunInfo> apply(SparkSession spark, ResultsStore store, ReportQueries queries) {
        List<RunInfo> runs = choose(store, queries.reportableRuns());
        Dataset<Row> selected = ReportSql.run(spark, "selected_runs", Map.of())
                .filter(functions.col("run_id").isin(runs.stream().map(RunInfo::runId).toArray()));
        selected.createOrReplaceTempView("selected_runs");
        Dataset<Row> shown = selected.select("run_id");
        (pool ? shown : shown.filter(functions.col("run_id").equalTo(runs.get(0).runId())))
                .createOrReplaceTempView("leaderboard_run");
        if (pool) {
            requireDisjointCells(queries.pooledOverlap());
        }
        return runs;
    }

    private List<RunInfo> choose(ResultsStore store, List<RunInfo> reportable) {
        List<RunInfo> chosen = runIds.isEmpty()
                // reportable runs come newest first
                ? reportable.stream().filter(r -> since == null || !r.runDate().isBefore(since)).toList()
                : runIds.stream().map(id -> reportable.stream().filter(r -> r.runId().equals(id)).findFirst()
                        .orElseThrow(() -> new DataException("--run-id " + id + ": no finished run with that id (status "
                                + store.run(id).status().stored() + "; --include-unfinished reports the cells it finished)")))
                        .sorted(Comparator.comparing(RunInfo::started).reversed()).toList();
        if (chosen.isEmpty()) {
            throw new DataException("no finished runs" + (since == null ? "" : " since " + since)
                    + " in results warehouse " + store.path());
        }
        return chosen;
    }

    private static void requireDisjointCells(Optional<ReportQueries.Overlap> overlap) {
        overlap.ifPresent(o -> {
            throw new DataException("cannot pool runs " + o.runs() + ": each holds dataset " + o.dataset()
                    + ", method " + o.method() + ", seed " + o.seed() + ", fold " + o.fold()
                    + " (pool runs that ran different seeds, e.g. experiment --seeds)");
        });
    }
}
