package org.counterweight.report;

import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.toList;
import static java.util.stream.Collectors.toMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.counterweight.data.LabelIndex;
import org.counterweight.evaluate.MetricTable;
import org.counterweight.evaluate.aggregate.Aggregation;
import org.counterweight.evaluate.aggregate.RankTest;
import org.counterweight.evaluate.stats.FriedmanTest;
import org.counterweight.evaluate.stats.Holm;
import org.counterweight.evaluate.stats.Summary;
import org.counterweight.evaluate.stats.WilcoxonSignedRank;
import org.counterweight.report.ReportDocument.Cell;
import org.counterweight.report.ReportDocument.Chart;
import org.counterweight.report.ReportDocument.Heading;
import org.counterweight.report.ReportDocument.Paragraph;
import org.counterweight.report.ReportDocument.Table;
import org.counterweight.report.ReportQueries.CellCurve;
import org.counterweight.report.ReportQueries.ClassRecall;
import org.counterweight.report.ReportQueries.StageTiming;
import org.counterweight.report.ReportQueries.TrendPoint;
import org.counterweight.report.ReportQueries.TuningValue;
import org.counterweight.results.ResultsStore;
import org.counterweight.results.RunInfo;
import org.counterweight.results.RunStatus;

/**
 * Lays out the report from its {@link ReportData}, the answer first: the verdict (per dataset the
 * best method and its ties, the Friedman test and critical-difference diagram, the method × metric
 * mean-rank table), then the tables (leaderboards from the {@link Aggregation}'s summaries and
 * paired tests, tests against the baseline, tuning budgets, timings, runs), then the charts
 * (recall, ROC/PR curves, trend). Computes nothing statistical itself.
 */
final class ReportLayout {
    /** Significance level of the Wilcoxon marks and the Nemenyi critical difference. */
    static final double ALPHA = 0.05;

    /** One curve chart: a curve kind of a dataset. */
    private record CurveChart(String dataset, String curve) {
    }

    private final String metric;
    private final String baseline;

    /** A layout ranking methods by {@code metric} and testing them against {@code baseline}. */
    ReportLayout(String metric, String baseline) {
        this.metric = metric;
        this.baseline = baseline;
    }

    /** The report document. */
    ReportDocument document(ReportData data) {
        ReportDocument doc = new ReportDocument("Counterweight report");
        intro(doc, data);
        Aggregation cells = data.cells();
        if (cells.datasets().isEmpty()) {
            runsTable(doc, data.runs());
            doc.add(new Paragraph("Run " + data.runs().get(0).runId() + " has no metrics."));
            return doc;
        }
        // The answer first: the verdict, then the tables behind it, then the charts.
        doc.add(new Heading(2, "Verdict (" + metric + ")"));
        perDatasetVerdict(doc, cells);
        criticalDifference(doc, cells);
        rankTable(doc, cells);
        leaderboards(doc, cells);
        acrossDatasets(doc, cells);
        tuning(doc, data.tuning());
        timings(doc, data.timings());
        runsTable(doc, data.runs());
        classRecall(doc, data.recall());
        curves(doc, data.curves());
        if (data.runs().size() > 1) {
            trend(doc, data.trend());
        }
        return doc;
    }

    private static void intro(ReportDocument doc, ReportData data) {
        RunInfo newest = data.runs().get(0);
        String shownRuns = data.pooled()
                ? "runs " + String.join(", ", data.runs().stream().map(RunInfo::runId).toList())
                    + " pooled (their cells together, as one run). "
                : "run " + newest.runId() + " (experiment " + newest.experiment() + ", started " + newest.started() + "). ";
        doc.add(new Paragraph("Leaderboard, charts and tests: " + shownRuns
                + (data.runs().stream().anyMatch(ReportLayout::unfinished)
                    ? "Unfinished runs (asked for with --include-unfinished) cover only the cells they finished; "
                    : "Only finished runs are reported; ")
                + "values are mean ± half-width of the 95% Student-t confidence interval over seeds and folds."));
    }

    /**
     * Per dataset: the best method on the metric and the methods not significantly different from
     * it (paired Wilcoxon against the best, Holm-corrected within the dataset, {@link Aggregation#verdict}).
     */
    private void perDatasetVerdict(ReportDocument doc, Aggregation cells) {
        doc.add(new Heading(3, "Per dataset"));
        doc.add(new Paragraph("Best: the highest mean " + metric + " over seeds × folds. Not significantly different: "
                + "each other method against the best by a two-sided paired Wilcoxon signed-rank test over their common "
                + "seed × fold cells, Holm-corrected over the dataset's tests, not rejected at α = " + ALPHA
                + " (Holm-adjusted p in parentheses). With n pairs the smallest possible p is 2/2^n: six or more seeds × folds "
                + "are needed to separate methods at all."));
        List<List<Cell>> rows = new ArrayList<>();
        for (String dataset : cells.datasets()) {
            Optional<Aggregation.Verdict> v = cells.verdict(dataset, metric, ALPHA);
            if (v.isEmpty()) {
                rows.add(List.of(Cell.of(dataset), Cell.of("—"), Cell.of("—"), Cell.of("no " + metric + " values"),
                        Cell.of("")));
                continue;
            }
            Aggregation.Verdict verdict = v.get();
            String best = verdict.best();
            List<String> ties = new ArrayList<>();
            verdict.ties().forEach((m, p) -> ties.add(m + " (" + (Double.isNaN(p) ? "identical" : p3(p)) + ")"));
            verdict.untested().forEach(m -> ties.add(m + " (no common cell: untested)"));
            List<String> worse = new ArrayList<>();
            verdict.worse().forEach((m, p) -> worse.add(m + " (" + p3(p) + ")"));
            rows.add(List.of(Cell.of(dataset), new Cell(best, true),
                    Cell.of(cells.summary(dataset, best, metric).orElseThrow().meanAndHalfWidth()),
                    Cell.of(ties.isEmpty() ? "none" : String.join(", ", ties)),
                    Cell.of(worse.isEmpty() ? "none" : String.join(", ", worse))));
        }
        doc.add(new Table(List.of("dataset", "best", metric, "not significantly different", "significantly worse"), rows));
    }

    /**
     * Mean rank over the datasets of every method on every overall metric, the report's metric
     * first: whether the verdict changes with the metric.
     */
    private void rankTable(ReportDocument doc, Aggregation cells) {
        List<String> metrics = new ArrayList<>(List.of(metric));
        MetricTable.OVERALL.stream().map(MetricTable.Overall::name).filter(m -> !m.equals(metric)).forEach(metrics::add);
        Map<String, Map<String, Double>> ranks = new LinkedHashMap<>();
        metrics.forEach(m -> ranks.put(m, cells.meanRanks(m)));
        List<String> methods = new ArrayList<>(cells.methods());
        Map<String, Double> byMetric = ranks.get(metric);
        methods.sort(Comparator.comparingDouble((String m) -> byMetric.getOrDefault(m, Double.POSITIVE_INFINITY))
                .thenComparing(Comparator.naturalOrder()));
        doc.add(new Paragraph("Mean rank of each method over the " + cells.datasets().size() + " dataset(s) on every "
                + "metric (its mean per dataset ranked among the methods, 1 = best, ties averaged; — : the method lacks "
                + "the metric on some dataset). Sorted by " + metric + "; read across a row to see whether the verdict "
                + "changes with the metric. Bold: the best rank of a column."));
        List<String> header = new ArrayList<>(List.of("method"));
        header.addAll(metrics);
        List<List<Cell>> rows = new ArrayList<>();
        for (String method : methods) {
            List<Cell> row = new ArrayList<>(List.of(Cell.of(method)));
            for (String m : metrics) {
                Double r = ranks.get(m).get(method);
                double best = ranks.get(m).values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
                row.add(r == null ? Cell.of("—") : new Cell(String.format(Locale.ROOT, "%.2f", r), r == best));
            }
            rows.add(row);
        }
        doc.add(new Table(header, rows));
    }

    private static String p3(double p) {
        return String.format(Locale.ROOT, "p = %.3f", p);
    }

    private static void runsTable(ReportDocument doc, List<RunInfo> runs) {
        doc.add(new Heading(2, "Runs"));
        List<List<Cell>> rows = new ArrayList<>();
        for (RunInfo r : runs) {
            rows.add(List.of(Cell.of(r.runId()), Cell.of(r.experiment()), Cell.of(r.started().toString()),
                    Cell.of(unfinished(r) ? "not finished (" + r.status().stored() + ")"
                            : r.finished() == null ? "" : r.finished().toString()),
                    Cell.of(r.codeVersion()), Cell.of(r.configHash()), Cell.of(r.sparkMaster())));
        }
        doc.add(new Table(List.of("run", "experiment", "started", "finished", "code version", "config hash", "Spark master"),
                rows));
    }

    private static boolean unfinished(RunInfo run) {
        return run.status() != RunStatus.FINISHED;
    }

    private void leaderboards(ReportDocument doc, Aggregation cells) {
        doc.add(new Heading(2, "Leaderboards"));
        doc.add(new Paragraph("Methods sorted by " + metric + ". Bold: best mean of the column. † : differs from "
                + baseline + " (two-sided paired Wilcoxon signed-rank test over seed × fold, exact for up to "
                + WilcoxonSignedRank.EXACT_MAX_N + " pairs with ties and zeros, Pratt's zero handling; p < " + ALPHA
                + " after Holm's correction over all datasets' tests of the column's metric)."));
        List<String> metrics = MetricTable.OVERALL.stream().map(MetricTable.Overall::name).toList();
        List<String> header = new ArrayList<>(List.of("method", "cells"));
        header.addAll(metrics);
        Map<String, Map<List<String>, Double>> holm = new HashMap<>();
        metrics.forEach(m -> holm.put(m, cells.pairedHolm(baseline, m)));
        for (String dataset : cells.datasets()) {
            List<List<Cell>> rows = new ArrayList<>();
            for (String method : cells.ranked(dataset, metric)) {
                List<Cell> row = new ArrayList<>();
                row.add(Cell.of(method));
                row.add(Cell.of(Integer.toString(cells.cells(dataset, method))));
                for (String m : metrics) {
                    row.add(valueCell(cells, dataset, method, m, holm.get(m)));
                }
                rows.add(row);
            }
            doc.add(new Heading(3, dataset));
            doc.add(new Table(header, rows));
        }
    }

    /** Mean ± CI, bold when the best of its column, † when it differs from the baseline; "—" without a value. */
    private Cell valueCell(Aggregation cells, String dataset, String method, String m, Map<List<String>, Double> holm) {
        Optional<Summary> s = cells.summary(dataset, method, m);
        if (s.isEmpty()) {
            return Cell.of("—");
        }
        boolean differs = holm.getOrDefault(List.of(dataset, method), 1.0) < ALPHA;
        double best = cells.methods(dataset).stream().flatMap(x -> cells.summary(dataset, x, m).stream())
                .mapToDouble(Summary::mean).max().orElse(Double.NaN);
        return new Cell(s.get().meanAndHalfWidth() + (differs ? " †" : ""), s.get().mean() == best);
    }

    /** Each method against the baseline across datasets (Demšar 2006, §3.1.3), Holm-corrected over the methods. */
    private void acrossDatasets(ReportDocument doc, Aggregation cells) {
        List<Aggregation.AcrossDatasets> tests = cells.methods().stream().filter(m -> !m.equals(baseline))
                .flatMap(m -> cells.acrossDatasets(m, baseline, metric).stream()).toList();
        if (tests.isEmpty()) {
            return;
        }
        double[] adjusted = Holm.correct(tests.stream().mapToDouble(t -> t.test().pValue()).map(p -> Double.isNaN(p) ? 1 : p)
                .toArray(), ALPHA).adjusted();
        doc.add(new Heading(2, "Against " + baseline + " across datasets (" + metric + ")"));
        doc.add(new Paragraph("Wilcoxon signed-rank test on the per-dataset means (Demšar 2006, §3.1.3), two-sided, exact "
                + "with ties and zeros; p-values Holm-corrected over the methods. Wins, ties and losses count datasets "
                + "where the method's mean is above, equal to or below " + baseline + "'s."));
        List<List<Cell>> rows = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            Aggregation.AcrossDatasets t = tests.get(i);
            rows.add(List.of(Cell.of(t.method()), Cell.of(Integer.toString(t.datasets())),
                    Cell.of(t.wins() + " / " + t.ties() + " / " + t.losses()),
                    Cell.of(String.format(Locale.ROOT, "%.4f", t.test().pValue())),
                    new Cell(String.format(Locale.ROOT, "%.4f", adjusted[i]), adjusted[i] < ALPHA)));
        }
        doc.add(new Table(List.of("method", "datasets", "wins / ties / losses", "p", "p (Holm)"), rows));
    }

    private void criticalDifference(ReportDocument doc, Aggregation cells) {
        doc.add(new Heading(3, "Across datasets: critical difference (" + metric + ")"));
        Optional<RankTest> test = cells.friedman(metric, ALPHA);
        if (test.isEmpty()) {
            doc.add(new Paragraph("The Friedman test needs at least two datasets and two methods evaluated on all of "
                    + "them; this run has " + cells.datasets().size() + " dataset(s) and "
                    + cells.methodsOnEveryDataset(metric).size() + " such method(s)."));
            return;
        }
        RankTest t = test.get();
        FriedmanTest.Result f = t.friedman();
        doc.add(new Paragraph(String.format(Locale.ROOT, "Friedman test over %d datasets and %d methods (mean %s per "
                + "dataset, rank 1 = best): χ²_F = %.3f (tie-corrected %.3f, p = %.4g); Iman–Davenport F_F = %.3f "
                + "(p = %.4g). Nemenyi critical difference at α = %.2f: CD = %.3f. Methods joined by a red bar are not "
                + "significantly different.", t.datasets().size(), t.methods().size(), metric, f.chiSquare(),
                f.chiSquareTieCorrected(), f.pValue(), f.imanDavenportF(), f.imanDavenportPValue(), t.alpha(),
                t.criticalDifference())));
        doc.add(new Chart("critical-difference", "Critical-difference diagram of " + metric,
                CriticalDifferenceDiagram.svg(t.methods(), f.averageRanks(), t.criticalDifference())));
    }

    private static void classRecall(ReportDocument doc, List<ClassRecall> recall) {
        doc.add(new Heading(2, "Recall per class"));
        Map<String, Map<String, Map<String, Double>>> byDataset = recall.stream().collect(groupingBy(ClassRecall::dataset,
                TreeMap::new, groupingBy(ClassRecall::method, TreeMap::new, toMap(ClassRecall::label, ClassRecall::recall))));
        int n = 0;
        for (var e : byDataset.entrySet()) {
            TreeSet<String> names = new TreeSet<>();
            e.getValue().values().forEach(m -> names.addAll(m.keySet()));
            List<String> classes = LabelIndex.of(names).values();
            Map<String, List<Double>> series = new LinkedHashMap<>();
            e.getValue().forEach((method, byClass) -> series.put(method,
                    classes.stream().map(c -> byClass.getOrDefault(c, 0.0)).toList()));
            doc.add(new Chart("recall-" + (n++), "Mean recall per class on " + e.getKey(),
                    Charts.bars("Recall per class: " + e.getKey(), "class", "recall", classes, series)));
        }
    }

    private static void curves(ReportDocument doc, List<CellCurve> curves) {
        if (curves.isEmpty()) {
            return;
        }
        Map<CurveChart, Map<String, List<CellCurve>>> byChart = curves.stream().collect(groupingBy(
                c -> new CurveChart(c.dataset(), c.curve()),
                () -> new TreeMap<>(Comparator.comparing(CurveChart::dataset).thenComparing(CurveChart::curve)),
                groupingBy(CellCurve::method, TreeMap::new, toList())));
        doc.add(new Heading(2, "ROC and precision–recall curves (binary datasets)"));
        doc.add(new Paragraph("Curves are averaged over seeds and folds vertically (y linearly interpolated at "
                + (CurveAverage.GRID - 1) + " evenly spaced x values); points are stored at score quantiles. ROC: the "
                + "curve of the second class (as auc_roc); PR: the minority class (as average_precision)."));
        int n = 0;
        for (var chart : byChart.entrySet()) {
            boolean roc = chart.getKey().curve().equals("roc");
            String dataset = chart.getKey().dataset();
            List<Charts.Series> series = new ArrayList<>();
            chart.getValue().forEach((method, cellCurves) -> series.add(CurveAverage.of(method, cellCurves)));
            doc.add(new Chart((roc ? "roc-" : "pr-") + (n++), (roc ? "ROC" : "Precision–recall") + " curves on " + dataset,
                    Charts.curves((roc ? "ROC: " : "Precision–recall: ") + dataset,
                            roc ? "false positive rate" : "recall", roc ? "true positive rate" : "precision", series, roc)));
        }
    }

    /**
     * Per method: candidate trainings per cell (its tuning budget), how the kept candidate was
     * selected, and the values kept, each with its number of cells.
     */
    private static void tuning(ReportDocument doc, List<TuningValue> tuning) {
        if (tuning.isEmpty()) {
            return;
        }
        Map<String, Map<String, List<TuningValue>>> byMethod = tuning.stream().collect(groupingBy(TuningValue::method,
                TreeMap::new, groupingBy(TuningValue::param, LinkedHashMap::new, toList())));
        doc.add(new Heading(2, "Tuning budget"));
        doc.add(new Paragraph("Candidate trainings per cell: the method's tuning budget, the same for every method "
                + "unless the config says otherwise (docs/experiments.md, \"Tuning\"). Selection: on the validation part, "
                + "or by stratified inner 3-fold cross-validation on the training part when the validation part holds "
                + "fewer than 20 rows of a class (each candidate is then trained three times more). Kept values: the "
                + "selected candidate's grid values; × counts cells."));
        List<List<Cell>> rows = new ArrayList<>();
        for (var m : byMethod.entrySet()) {
            Map<String, List<TuningValue>> params = new LinkedHashMap<>(m.getValue());
            String candidates = counts(params.remove(ResultsStore.PARAM_CANDIDATES), false);
            String selection = counts(params.remove(ResultsStore.PARAM_SELECTION), true);
            List<String> kept = new ArrayList<>();
            params.forEach((param, values) -> kept.add(param + ": " + counts(values, true)));
            rows.add(List.of(Cell.of(m.getKey()), Cell.of(candidates), Cell.of(selection), Cell.of(String.join("; ", kept))));
        }
        doc.add(new Table(List.of("method", "candidate trainings per cell", "selection", "kept values"), rows));
    }

    /** "a ×3, b ×1" (or "a, b" without the counts); "—" for none (stores written before the params table). */
    private static String counts(List<TuningValue> values, boolean withCells) {
        if (values == null || values.isEmpty()) {
            return "—";
        }
        return String.join(", ", values.stream().map(v -> withCells ? v.value() + " ×" + v.cells() : v.value()).toList());
    }

    private static void timings(ReportDocument doc, List<StageTiming> timings) {
        if (timings.isEmpty()) {
            return;
        }
        doc.add(new Heading(2, "Stage timings"));
        List<List<Cell>> rows = timings.stream().map(t -> List.of(Cell.of(t.method()), Cell.of(t.stage()),
                Cell.of(String.format(Locale.ROOT, "%.3f", t.seconds())), Cell.of(Long.toString(t.cells())))).toList();
        doc.add(new Table(List.of("method", "stage", "mean seconds", "cells"), rows));
    }

    private void trend(ReportDocument doc, List<TrendPoint> trend) {
        doc.add(new Heading(2, "Trend across runs (" + metric + ")"));
        Map<String, Map<String, List<TrendPoint>>> byMethod = trend.stream().collect(groupingBy(TrendPoint::method,
                TreeMap::new, groupingBy(TrendPoint::dataset, TreeMap::new, toList())));
        int n = 0;
        for (var m : byMethod.entrySet()) {
            List<Charts.DatedSeries> series = new ArrayList<>();
            m.getValue().forEach((dataset, points) -> series.add(new Charts.DatedSeries(dataset,
                    points.stream().map(p -> Date.from(p.started())).toList(),
                    points.stream().map(TrendPoint::value).toList())));
            doc.add(new Chart("trend-" + (n++), "Trend of " + metric + " for " + m.getKey(),
                    Charts.trend(m.getKey() + ": " + metric + " per run", metric, series)));
        }
    }
}
