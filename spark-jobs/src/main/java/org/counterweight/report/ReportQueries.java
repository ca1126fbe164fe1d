package org.counterweight.report;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.evaluate.aggregate.CellValue;
import org.counterweight.evaluate.aggregate.CellValues;
import org.counterweight.results.RunInfo;
import org.counterweight.results.RunStatus;

/**
 * The report's queries ({@link ReportSql}) as typed records, every column read by name. The
 * queries over {@code leaderboard_run} need {@link RunSelection} to have registered it.
 */
final class ReportQueries {

    /** Mean recall of one class of a dataset for a method, over the cells of the leaderboard run. */
    record ClassRecall(String dataset, String method, String label, double recall) {
    }

    /** The stored ROC or PR points of one cell, in point order (x non-decreasing). */
    record CellCurve(String dataset, String method, String curve, long seed, int fold, double[] x, double[] y) {
    }

    /** Mean seconds of one stage of a method over the cells of the leaderboard run. */
    record StageTiming(String method, String stage, double seconds, long cells) {
    }

    /** A metric's mean over the seeds and folds of one selected run, per dataset and method. */
    record TrendPoint(Instant started, String dataset, String method, double value) {
    }

    /**
     * How many cells of the leaderboard run give a method's tuning param {@code param} the value
     * {@code value}: its budget ({@code tune.candidates}), selection ({@code tune.selection}) or a
     * tuned key's kept value.
     */
    record TuningValue(String method, String param, String value, long cells) {
    }

    /** A cell that two or more of the pooled runs hold. */
    record Overlap(String dataset, String method, long seed, int fold, List<String> runs) {
    }

    private final SparkSession spark;

    ReportQueries(SparkSession spark) {
        this.spark = spark;
    }

    /** The runs the report may show, newest first ({@code selected_runs.sql}). */
    List<RunInfo> reportableRuns() {
        return rows("selected_runs", Map.of()).stream().map(r -> new RunInfo(r.getAs("run_id"), r.getAs("experiment"),
                r.<Timestamp>getAs("started").toInstant(),
                r.isNullAt(r.fieldIndex("finished")) ? null : r.<Timestamp>getAs("finished").toInstant(),
                r.getAs("config_hash"), r.getAs("code_version"), r.getAs("spark_master"),
                RunStatus.ofStored(r.getAs("status")))).toList();
    }

    /** The first cell two of the pooled runs hold, if any. */
    Optional<Overlap> pooledOverlap() {
        return rows("pooled_overlap", Map.of()).stream().findFirst().map(r -> new Overlap(r.getAs("dataset"),
                r.getAs("method"), r.<Long>getAs("seed"), r.<Integer>getAs("fold"), r.getList(r.fieldIndex("runs"))));
    }

    /** Every overall metric value of the leaderboard run's cells. */
    List<CellValue> leaderboardCells() {
        return CellValues.collect(ReportSql.run(spark, "leaderboard_cells", Map.of()));
    }

    /** The metrics the leaderboard run's configs rank by, most cells first ({@code run_metric.sql}); empty for old stores. */
    List<String> runMetrics() {
        return rows("run_metric", Map.of()).stream().map(r -> r.<String>getAs("metric")).toList();
    }

    List<ClassRecall> classRecall() {
        return rows("class_recall", Map.of()).stream().map(r -> new ClassRecall(r.getAs("dataset"), r.getAs("method"),
                r.getAs("class"), r.<Double>getAs("recall"))).toList();
    }

    /** The curves of the leaderboard run's cells on binary datasets, by dataset, method, curve, seed, fold. */
    List<CellCurve> binaryCurves() {
        List<CellCurve> curves = new ArrayList<>();
        List<Row> points = new ArrayList<>();
        for (Row r : rows("binary_curves", Map.of())) {
            if (!points.isEmpty() && !sameCurve(points.get(0), r)) {
                curves.add(curve(points));
                points.clear();
            }
            points.add(r);
        }
        if (!points.isEmpty()) {
            curves.add(curve(points));
        }
        return curves;
    }

    List<StageTiming> timings() {
        return rows("timings", Map.of()).stream().map(r -> new StageTiming(r.getAs("method"), r.getAs("stage"),
                r.<Double>getAs("seconds"), r.<Long>getAs("cells"))).toList();
    }

    /** The tuning budget, selection and kept values per method ({@code tuning.sql}). */
    List<TuningValue> tuning() {
        return rows("tuning", Map.of()).stream().map(r -> new TuningValue(r.getAs("method"), r.getAs("param"),
                r.getAs("value"), r.<Long>getAs("cells"))).toList();
    }

    /** {@code metric} per selected run, dataset and method, oldest run first. */
    List<TrendPoint> trend(String metric) {
        return rows("trend", Map.of("metric", metric)).stream().map(r -> new TrendPoint(
                r.<Timestamp>getAs("started").toInstant(), r.getAs("dataset"), r.getAs("method"),
                r.<Double>getAs("value"))).toList();
    }

    private List<Row> rows(String query, Map<String, Object> args) {
        return ReportSql.run(spark, query, args).collectAsList();
    }

    private static boolean sameCurve(Row a, Row b) {
        for (String c : List.of("dataset", "method", "curve", "seed", "fold")) {
            if (!a.getAs(c).equals(b.getAs(c))) {
                return false;
            }
        }
        return true;
    }

    private static CellCurve curve(List<Row> points) {
        Row first = points.get(0);
        return new CellCurve(first.getAs("dataset"), first.getAs("method"), first.getAs("curve"), first.<Long>getAs("seed"),
                first.<Integer>getAs("fold"), points.stream().mapToDouble(p -> p.<Double>getAs("x")).toArray(),
                points.stream().mapToDouble(p -> p.<Double>getAs("y")).toArray());
    }
}
