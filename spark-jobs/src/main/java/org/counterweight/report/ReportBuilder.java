package org.counterweight.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.AtomicOutput;
import org.counterweight.data.DataException;
import org.counterweight.data.Output;
import org.counterweight.evaluate.EvaluationSettings;
import org.counterweight.evaluate.aggregate.Aggregation;
import org.counterweight.report.ReportDocument.Chart;
import org.counterweight.results.ResultsStore;
import org.counterweight.results.RunInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the report from the results store: which runs (only finished ones), the leaderboard per
 * dataset (mean ± 95% CI over seeds and folds, best marked, paired Wilcoxon against the baseline),
 * per-class recall charts, the Friedman test with a critical-difference diagram over datasets,
 * each method's tuning budget and kept values,
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
 *
 * <p>The parts: {@link RunSelection} picks the runs, {@link ReportQueries} reads the store,
 * {@link Aggregation} computes summaries and tests, {@link ReportLayout} lays out the document,
 * {@link #write} writes it through {@link AtomicOutput}.
 */
public final class ReportBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ReportBuilder.class);

    private final SparkSession spark;
    private final ResultsStore store;
    private List<String> runIds = List.of();
    private boolean pool;
    private LocalDate since;
    /** The metric asked for; null: the run's own (see {@link #metric}). */
    private String metric;
    private String baseline = "ce";
    private boolean baselineNamed;
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

    /**
     * The metric the verdict, leaderboards, critical-difference diagram and trend rank by
     * ({@link EvaluationSettings#METRIC}). Without it, the metric the reported run's experiment
     * config names (stored with its cells as {@link ResultsStore#PARAM_METRIC}; the one of most
     * cells when pooled runs differ), else {@link EvaluationSettings#METRIC}'s default.
     */
    public ReportBuilder metric(String name) {
        this.metric = EvaluationSettings.METRIC.validate(name);
        return this;
    }

    /**
     * The method the Wilcoxon tests compare against. Without it, {@code ce} when the runs have
     * it (else no tests); a method named here that the runs lack is an error.
     */
    public ReportBuilder baseline(String method) {
        this.baseline = method;
        this.baselineNamed = true;
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
        List<String> cached = List.of("report_runs", "report_metrics", "report_timings", "report_curves", "report_params");
        cached.forEach(spark.catalog()::cacheTable);
        try {
            ReportQueries queries = new ReportQueries(spark);
            List<RunInfo> runs = new RunSelection(runIds, since, pool).apply(spark, store, queries);
            String ranked = metric != null ? metric : runMetric(queries);
            return new ReportLayout(ranked, baseline).document(read(queries, runs, ranked));
        } finally {
            cached.forEach(spark.catalog()::uncacheTable);
        }
    }

    /** The metric the reported run's config ranks by, else the default. */
    private static String runMetric(ReportQueries queries) {
        List<String> stored = queries.runMetrics();
        if (stored.size() > 1) {
            LOG.warn("the reported cells were ranked by different metrics ({}); the report uses {} (--metric chooses)",
                    String.join(", ", stored), stored.get(0));
        }
        return stored.isEmpty() ? EvaluationSettings.METRIC.defaultValue() : EvaluationSettings.METRIC.validate(stored.get(0));
    }

    private ReportData read(ReportQueries queries, List<RunInfo> runs, String ranked) {
        Aggregation cells = Aggregation.of(queries.leaderboardCells());
        requireBaseline(cells.methods());
        return new ReportData(runs, pool, cells, queries.classRecall(), queries.binaryCurves(), queries.timings(),
                queries.tuning(), runs.size() > 1 ? queries.trend(ranked) : List.of());
    }

    /**
     * Builds the report and writes report.md, report.html and charts/*.svg as the directory
     * {@code out}, atomically (see {@link AtomicOutput}).
     */
    public ReportDocument write(Output out) {
        ReportDocument doc = build();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        AtomicOutput.write(conf, out, dir -> {
            FileSystem fs = dir.getFileSystem(conf);
            Path charts = new Path(dir, MarkdownRenderer.CHART_DIR);
            for (Chart c : doc.charts()) {
                writeText(fs, new Path(charts, c.name() + ".svg"), c.svg());
            }
            writeText(fs, new Path(dir, "report.md"), MarkdownRenderer.render(doc));
            writeText(fs, new Path(dir, "report.html"), HtmlRenderer.render(doc));
        });
        LOG.info("wrote report with {} charts to {}", doc.charts().size(), out.path());
        return doc;
    }

    /** A baseline asked for that the reported runs do not have would silently drop every test: refuse it. */
    private void requireBaseline(List<String> methods) {
        if (baselineNamed && !methods.isEmpty() && !methods.contains(baseline)) {
            throw new DataException("--baseline '" + baseline + "' is not a method of the reported run(s); they have "
                    + String.join(", ", methods));
        }
    }

    private static void writeText(FileSystem fs, Path file, String text) throws IOException {
        try (OutputStream os = fs.create(file, false)) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
