package org.counterweight.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.AtomicFile;
import org.counterweight.data.DataException;
import org.counterweight.data.LabelIndex;
import org.counterweight.evaluate.MetricTable;
import org.counterweight.evaluate.stats.FriedmanTest;
import org.counterweight.evaluate.stats.Nemenyi;
import org.counterweight.evaluate.stats.Summary;
import org.counterweight.evaluate.stats.WilcoxonSignedRank;
import org.counterweight.results.RunStatus;
import org.counterweight.report.ReportDocument.Cell;
import org.counterweight.report.ReportDocument.Chart;
import org.counterweight.report.ReportDocument.Heading;
import org.counterweight.report.ReportDocument.Paragraph;
import org.counterweight.report.ReportDocument.Table;
import org.counterweight.results.ResultsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the report from the results store: which runs (only finished ones), the leaderboard per
 * dataset (mean ± 95% CI over seeds and folds, best marked, paired Wilcoxon against the baseline),
 * per-class recall charts, the Friedman test with a critical-difference diagram over datasets,
 * ROC and PR curves of binary datasets, stage timings, and a trend chart per method when several
 * runs are selected.
 *
 * <p>Selection: {@link #runIds} (each must be finished, unless {@link #includeUnfinished}) or
 * {@link #since} (finished runs started on or after that UTC date) or, by default, every finished
 * run. The leaderboard, charts and tests describe the newest selected run; the trend covers all
 * selected runs. An unfinished run (interrupted or failed) is reported only when named and asked
 * for: its tables then cover the cells that finished, and the runs table says so. With
 * {@link #pool} the leaderboard, charts and tests cover the cells of all selected runs as one
 * (several runs of one experiment with different seeds); a cell held by two of them is an error.
 */
public final class ReportBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ReportBuilder.class);
    /** Significance level of the Wilcoxon marks and the Nemenyi critical difference. */
    public static final double ALPHA = 0.05;
    private static final int CURVE_GRID = 101;

    private final SparkSession spark;
    private final ResultsStore store;
    private List<String> runIds = List.of();
    private boolean pool;
    private LocalDate since;
    private String metric = "f1_macro";
    private String baseline = "ce";
    private boolean includeUnfinished;

    /** A builder over {@code store}. */
    public ReportBuilder(SparkSession spark, ResultsStore store) {
        this.spark = spark;
        this.store = store;
    }

    /** Report exactly these runs (each must be finished). */
    public ReportBuilder runIds(List<String> ids) {
        this.runIds = List.copyOf(ids);
        return this;
    }

    /**
     * Also report the {@link #runIds} that did not finish (interrupted or failed runs), over the
     * cells they wrote.
     */
    public ReportBuilder includeUnfinished(boolean include) {
        this.includeUnfinished = include;
        return this;
    }

    /** Report finished runs started on or after this UTC date. */
    public ReportBuilder since(LocalDate date) {
        this.since = date;
        return this;
    }

    /** The metric ranked in the critical-difference diagram and the trend (default f1_macro). */
    public ReportBuilder metric(String name) {
        this.metric = checkMetric(name);
        return this;
    }

    /** Returns {@code name} if it is an overall metric of {@link MetricTable}, else throws naming the choices. */
    public static String checkMetric(String name) {
        if (MetricTable.OVERALL.stream().noneMatch(m -> m.name().equals(name))) {
            throw new IllegalArgumentException("--metric '" + name + "' is not an overall metric (known: "
                    + String.join(", ", MetricTable.OVERALL.stream().map(MetricTable.Overall::name).toList()) + ")");
        }
        return name;
    }

    /** The method the Wilcoxon tests compare against (default ce). */
    public ReportBuilder baseline(String method) {
        this.baseline = method;
        return this;
    }

    /**
     * Pools the selected runs: the leaderboard, charts and tests cover all their cells, as if one
     * run held them — for runs of one experiment with different seeds (e.g. {@code --seeds}). A
     * (dataset, method, seed, fold) cell held by two selected runs is an error.
     */
    public ReportBuilder pool(boolean p) {
        this.pool = p;
        return this;
    }

    /** Builds the report document. */
    public ReportDocument build() {
        // The runs the report may show: finished ones, plus the named unfinished ones when asked.
        store.registerViews("report", includeUnfinished ? runIds : List.of());
        // Every section queries these small tables; read the files once.
        List<String> cached = List.of("report_runs", "report_metrics", "report_timings", "report_curves");
        cached.forEach(spark.catalog()::cacheTable);
        try {
            return buildFromViews();
        } finally {
            cached.forEach(spark.catalog()::uncacheTable);
        }
    }

    private ReportDocument buildFromViews() {
        List<Row> runs = selectRuns();
        Row newest = runs.get(0);
        String runId = newest.getString(0);
        spark.createDataFrame(runs, ReportSql.run(spark, "selected_runs", Map.of()).schema())
                .createOrReplaceTempView("selected_runs");
        Dataset<Row> shown = spark.table("selected_runs").select("run_id");
        (pool ? shown : shown.filter(org.apache.spark.sql.functions.col("run_id").equalTo(runId)))
                .createOrReplaceTempView("leaderboard_run");
        if (pool) {
            requireDisjointCells();
        }

        ReportDocument doc = new ReportDocument("Counterweight report");
        String shownRuns = pool
                ? "runs " + String.join(", ", runs.stream().map(r -> r.getString(0)).toList())
                    + " pooled (their cells together, as one run). "
                : "run " + runId + " (experiment " + newest.getString(1) + ", started "
                    + newest.getTimestamp(2).toInstant() + "). ";
        doc.add(new Paragraph("Leaderboard, charts and tests: " + shownRuns
                + (runs.stream().anyMatch(ReportBuilder::unfinished)
                    ? "Unfinished runs (asked for with --include-unfinished) cover only the cells they finished; "
                    : "Only finished runs are reported; ")
                + "values are mean ± half-width of the 95% Student-t confidence interval over seeds and folds."));
        runsTable(doc, runs);
        Map<String, Map<String, Map<String, Map<String, Double>>>> cells = leaderboardCells();
        if (cells.isEmpty()) {
            doc.add(new Paragraph("Run " + runId + " has no metrics."));
            return doc;
        }
        leaderboards(doc, cells);
        criticalDifference(doc, cells);
        classRecall(doc);
        curves(doc);
        timings(doc);
        trend(doc, runs.size());
        return doc;
    }

    /** Builds the report and writes report.md, report.html and charts/*.svg into {@code dir}. */
    public ReportDocument write(Path dir) throws IOException {
        ReportDocument doc = build();
        Path charts = dir.resolve(MarkdownRenderer.CHART_DIR);
        Files.createDirectories(charts);
        for (Chart c : doc.charts()) {
            AtomicFile.writeString(charts.resolve(c.name() + ".svg"), c.svg());
        }
        AtomicFile.writeString(dir.resolve("report.md"), MarkdownRenderer.render(doc));
        AtomicFile.writeString(dir.resolve("report.html"), HtmlRenderer.render(doc));
        LOG.info("wrote report with {} charts to {}", doc.charts().size(), dir);
        return doc;
    }

    private void requireDisjointCells() {
        List<Row> twice = ReportSql.run(spark, "pooled_overlap", Map.of()).collectAsList();
        if (!twice.isEmpty()) {
            Row r = twice.get(0);
            throw new DataException("cannot pool runs " + r.getList(4) + ": each holds dataset " + r.getString(0)
                    + ", method " + r.getString(1) + ", seed " + r.get(2) + ", fold " + r.get(3)
                    + " (pool runs that ran different seeds, e.g. experiment --seeds)");
        }
    }

    private List<Row> selectRuns() {
        List<Row> all = ReportSql.run(spark, "selected_runs", Map.of()).collectAsList();
        List<Row> chosen = new ArrayList<>();
        if (!runIds.isEmpty()) {
            for (String id : runIds) {
                Row r = all.stream().filter(x -> x.getString(0).equals(id)).findFirst().orElse(null);
                if (r == null) {
                    throw new DataException("--run-id " + id + ": no finished run with that id (status "
                            + store.run(id).status().stored() + "; --include-unfinished reports the cells it finished)");
                }
                chosen.add(r);
            }
            chosen.sort((a, b) -> b.getTimestamp(2).compareTo(a.getTimestamp(2)));
        } else {
            for (Row r : all) {
                if (since == null || !LocalDate.ofInstant(r.getTimestamp(2).toInstant(), ZoneOffset.UTC).isBefore(since)) {
                    chosen.add(r);
                }
            }
        }
        if (chosen.isEmpty()) {
            throw new DataException("no finished runs" + (since == null ? "" : " since " + since)
                    + " in results warehouse " + store.path());
        }
        return chosen;
    }

    private void runsTable(ReportDocument doc, List<Row> runs) {
        doc.add(new Heading(2, "Runs"));
        List<List<Cell>> rows = new ArrayList<>();
        for (Row r : runs) {
            rows.add(List.of(Cell.of(r.getString(0)), Cell.of(r.getString(1)), Cell.of(r.getTimestamp(2).toInstant().toString()),
                    Cell.of(unfinished(r) ? "not finished (" + r.getString(7) + ")"
                            : r.isNullAt(3) ? "" : r.getTimestamp(3).toInstant().toString()), Cell.of(r.getString(5)),
                    Cell.of(r.getString(4)), Cell.of(r.getString(6))));
        }
        doc.add(new Table(List.of("run", "experiment", "started", "finished", "code version", "config hash", "Spark master"),
                rows));
    }

    private static boolean unfinished(Row selectedRun) {
        return !RunStatus.FINISHED.stored().equals(selectedRun.getString(7));
    }

    /** dataset → method → metric → "seed/fold" → value, for the leaderboard run. */
    private Map<String, Map<String, Map<String, Map<String, Double>>>> leaderboardCells() {
        Map<String, Map<String, Map<String, Map<String, Double>>>> out = new TreeMap<>();
        for (Row r : ReportSql.run(spark, "leaderboard_cells", Map.of()).collectAsList()) {
            out.computeIfAbsent(r.getString(0), d -> new TreeMap<>())
                    .computeIfAbsent(r.getString(1), m -> new TreeMap<>())
                    .computeIfAbsent(r.getString(4), m -> new TreeMap<>())
                    .put(r.getLong(2) + "/" + r.getInt(3), r.getDouble(5));
        }
        return out;
    }

    private void leaderboards(ReportDocument doc, Map<String, Map<String, Map<String, Map<String, Double>>>> cells) {
        doc.add(new Heading(2, "Leaderboards"));
        doc.add(new Paragraph("Methods sorted by " + metric + ". Bold: best mean of the column. † : differs from "
                + baseline + " (two-sided paired Wilcoxon signed-rank test over seed × fold, p < " + ALPHA + ")."));
        List<String> metrics = MetricTable.OVERALL.stream().map(MetricTable.Overall::name).toList();
        for (var dataset : cells.entrySet()) {
            Map<String, Map<String, Map<String, Double>>> byMethod = dataset.getValue();
            Map<String, Map<String, Summary>> summaries = new LinkedHashMap<>();
            byMethod.forEach((method, byMetric) -> {
                Map<String, Summary> s = new LinkedHashMap<>();
                byMetric.forEach((m, values) -> {
                    double[] finite = values.values().stream().mapToDouble(Double::doubleValue)
                            .filter(Double::isFinite).toArray();
                    if (finite.length > 0) {
                        s.put(m, Summary.of(finite));
                    }
                });
                summaries.put(method, s);
            });
            List<String> methods = new ArrayList<>(summaries.keySet());
            methods.sort((a, b) -> Double.compare(mean(summaries.get(b), metric), mean(summaries.get(a), metric)));
            List<List<Cell>> rows = new ArrayList<>();
            for (String method : methods) {
                List<Cell> row = new ArrayList<>();
                row.add(Cell.of(method));
                row.add(Cell.of(Integer.toString(byMethod.get(method).values().stream().mapToInt(Map::size).max().orElse(0))));
                for (String m : metrics) {
                    Summary s = summaries.get(method).get(m);
                    if (s == null) {
                        row.add(Cell.of("—"));
                        continue;
                    }
                    double best = methods.stream().mapToDouble(x -> mean(summaries.get(x), m)).max().orElse(Double.NaN);
                    String text = Double.isNaN(s.sd()) ? String.format(Locale.ROOT, "%.4f", s.mean())
                            : String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.halfWidth());
                    if (!method.equals(baseline) && byMethod.containsKey(baseline)
                            && significant(byMethod.get(method).get(m), byMethod.get(baseline).get(m))) {
                        text += " †";
                    }
                    row.add(new Cell(text, s.mean() == best));
                }
                rows.add(row);
            }
            List<String> header = new ArrayList<>(List.of("method", "cells"));
            header.addAll(metrics);
            doc.add(new Heading(3, dataset.getKey()));
            doc.add(new Table(header, rows));
        }
    }

    private static double mean(Map<String, Summary> s, String metric) {
        Summary x = s.get(metric);
        return x == null ? Double.NEGATIVE_INFINITY : x.mean();
    }

    /** Paired Wilcoxon over the seed/fold cells both methods have. */
    private static boolean significant(Map<String, Double> a, Map<String, Double> b) {
        if (a == null || b == null) {
            return false;
        }
        List<double[]> pairs = new ArrayList<>();
        a.forEach((cell, v) -> {
            Double w = b.get(cell);
            if (w != null && Double.isFinite(v) && Double.isFinite(w)) {
                pairs.add(new double[] {v, w});
            }
        });
        if (pairs.isEmpty()) {
            return false;
        }
        double[] x = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = pairs.stream().mapToDouble(p -> p[1]).toArray();
        double p = WilcoxonSignedRank.test(x, y).pValue();
        return p < ALPHA;
    }

    private void criticalDifference(ReportDocument doc, Map<String, Map<String, Map<String, Map<String, Double>>>> cells) {
        doc.add(new Heading(2, "Critical difference (" + metric + ")"));
        TreeSet<String> common = null;
        for (var byMethod : cells.values()) {
            TreeSet<String> here = new TreeSet<>();
            byMethod.forEach((method, byMetric) -> {
                if (byMetric.containsKey(metric)) {
                    here.add(method);
                }
            });
            if (common == null) {
                common = here;
            } else {
                common.retainAll(here);
            }
        }
        List<String> methods = new ArrayList<>(common);
        if (cells.size() < 2 || methods.size() < 2) {
            doc.add(new Paragraph("The Friedman test needs at least two datasets and two methods evaluated on all of "
                    + "them; this run has " + cells.size() + " dataset(s) and " + methods.size() + " such method(s)."));
            return;
        }
        double[][] scores = new double[cells.size()][methods.size()];
        int i = 0;
        for (var byMethod : cells.values()) {
            for (int j = 0; j < methods.size(); j++) {
                scores[i][j] = byMethod.get(methods.get(j)).get(metric).values().stream()
                        .mapToDouble(Double::doubleValue).filter(Double::isFinite).average().orElse(Double.NaN);
            }
            i++;
        }
        FriedmanTest.Result f = FriedmanTest.test(scores);
        double cd = Nemenyi.criticalDifference(methods.size(), cells.size(), ALPHA);
        doc.add(new Paragraph(String.format(Locale.ROOT, "Friedman test over %d datasets and %d methods (mean %s per "
                + "dataset, rank 1 = best): χ²_F = %.3f (tie-corrected %.3f, p = %.4g); Iman–Davenport F_F = %.3f "
                + "(p = %.4g). Nemenyi critical difference at α = %.2f: CD = %.3f. Methods joined by a red bar are not "
                + "significantly different.", cells.size(), methods.size(), metric, f.chiSquare(),
                f.chiSquareTieCorrected(), f.pValue(), f.imanDavenportF(), f.imanDavenportPValue(), ALPHA, cd)));
        doc.add(new Chart("critical-difference", "Critical-difference diagram of " + metric,
                CriticalDifferenceDiagram.svg(methods, f.averageRanks(), cd)));
    }

    private void classRecall(ReportDocument doc) {
        doc.add(new Heading(2, "Recall per class"));
        Map<String, Map<String, Map<String, Double>>> byDataset = new TreeMap<>();
        for (Row r : ReportSql.run(spark, "class_recall", Map.of()).collectAsList()) {
            byDataset.computeIfAbsent(r.getString(0), d -> new TreeMap<>())
                    .computeIfAbsent(r.getString(1), m -> new TreeMap<>()).put(r.getString(2), r.getDouble(3));
        }
        int n = 0;
        for (var e : byDataset.entrySet()) {
            TreeSet<String> names = new TreeSet<>();
            e.getValue().values().forEach(m -> names.addAll(m.keySet()));
            List<String> classes = LabelIndex.of(names).values();
            Map<String, List<Double>> series = new LinkedHashMap<>();
            e.getValue().forEach((method, recall) -> series.put(method,
                    classes.stream().map(c -> recall.getOrDefault(c, 0.0)).toList()));
            doc.add(new Chart("recall-" + (n++), "Mean recall per class on " + e.getKey(),
                    Charts.bars("Recall per class: " + e.getKey(), "class", "recall", classes, series)));
        }
    }

    private void curves(ReportDocument doc) {
        // dataset → curve → method → cell → points
        Map<String, Map<String, Map<String, Map<String, List<double[]>>>>> all = new TreeMap<>();
        for (Row r : ReportSql.run(spark, "binary_curves", Map.of()).collectAsList()) {
            all.computeIfAbsent(r.getString(0), d -> new TreeMap<>()).computeIfAbsent(r.getString(4), c -> new TreeMap<>())
                    .computeIfAbsent(r.getString(1), m -> new TreeMap<>())
                    .computeIfAbsent(r.getLong(2) + "/" + r.getInt(3), c -> new ArrayList<>())
                    .add(new double[] {r.getDouble(7), r.getDouble(8)});
        }
        if (all.isEmpty()) {
            return;
        }
        doc.add(new Heading(2, "ROC and precision–recall curves (binary datasets)"));
        doc.add(new Paragraph("Curves are averaged over seeds and folds vertically (y linearly interpolated at "
                + (CURVE_GRID - 1) + " evenly spaced x values); points are stored at score quantiles. ROC: the "
                + "curve of the second class (as auc_roc); PR: the minority class (as average_precision)."));
        int n = 0;
        for (var d : all.entrySet()) {
            for (var c : d.getValue().entrySet()) {
                boolean roc = c.getKey().equals("roc");
                List<Charts.Series> series = new ArrayList<>();
                c.getValue().forEach((method, byCell) -> series.add(averaged(method, byCell.values())));
                doc.add(new Chart((roc ? "roc-" : "pr-") + (n++), (roc ? "ROC" : "Precision–recall") + " curves on " + d.getKey(),
                        Charts.curves((roc ? "ROC: " : "Precision–recall: ") + d.getKey(),
                                roc ? "false positive rate" : "recall", roc ? "true positive rate" : "precision", series, roc)));
            }
        }
    }

    /** Vertical average of several curves (points in curve order, x non-decreasing). */
    static Charts.Series averaged(String name, java.util.Collection<List<double[]>> curves) {
        double[] gx = new double[CURVE_GRID];
        double[] gy = new double[CURVE_GRID];
        for (int g = 0; g < CURVE_GRID; g++) {
            gx[g] = (double) g / (CURVE_GRID - 1);
            double sum = 0;
            for (List<double[]> curve : curves) {
                sum += interpolate(curve, gx[g]);
            }
            gy[g] = sum / curves.size();
        }
        return new Charts.Series(name, gx, gy);
    }

    private static double interpolate(List<double[]> curve, double x) {
        double[] prev = curve.get(0);
        for (double[] p : curve) {
            if (p[0] > x) {
                return p[0] == prev[0] ? p[1] : prev[1] + (p[1] - prev[1]) * (x - prev[0]) / (p[0] - prev[0]);
            }
            prev = p;
        }
        return prev[1];
    }

    private void timings(ReportDocument doc) {
        List<Row> rows = ReportSql.run(spark, "timings", Map.of()).collectAsList();
        if (rows.isEmpty()) {
            return;
        }
        doc.add(new Heading(2, "Stage timings"));
        List<List<Cell>> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(List.of(Cell.of(r.getString(0)), Cell.of(r.getString(1)),
                    Cell.of(String.format(Locale.ROOT, "%.3f", r.getDouble(2))), Cell.of(Long.toString(r.getLong(3)))));
        }
        doc.add(new Table(List.of("method", "stage", "mean seconds", "cells"), out));
    }

    private void trend(ReportDocument doc, int selectedRuns) {
        if (selectedRuns < 2) {
            return;
        }
        doc.add(new Heading(2, "Trend across runs (" + metric + ")"));
        Map<String, Map<String, List<Object[]>>> byMethod = new TreeMap<>();
        Dataset<Row> t = ReportSql.run(spark, "trend", Map.of("metric", metric));
        for (Row r : t.collectAsList()) {
            byMethod.computeIfAbsent(r.getString(3), m -> new TreeMap<>())
                    .computeIfAbsent(r.getString(2), d -> new ArrayList<>())
                    .add(new Object[] {r.getTimestamp(1), r.getDouble(4)});
        }
        int n = 0;
        for (var m : byMethod.entrySet()) {
            List<Charts.DatedSeries> series = new ArrayList<>();
            m.getValue().forEach((dataset, points) -> series.add(new Charts.DatedSeries(dataset,
                    points.stream().map(p -> (Date) new Date(((Timestamp) p[0]).getTime())).toList(),
                    points.stream().map(p -> (Double) p[1]).toList())));
            doc.add(new Chart("trend-" + (n++), "Trend of " + metric + " for " + m.getKey(),
                    Charts.trend(m.getKey() + ": " + metric + " per run", metric, series)));
        }
    }
}
