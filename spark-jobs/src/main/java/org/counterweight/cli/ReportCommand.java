package org.counterweight.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.Output;
import org.counterweight.evaluate.EvaluationSettings;
import org.counterweight.data.OutputKind;
import org.counterweight.report.ReportBuilder;
import org.counterweight.report.ReportDocument;
import org.counterweight.results.ResultsStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code report}: results store → report.md, self-contained report.html and charts/*.svg. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write a Markdown and a self-contained HTML report (leaderboards, significance tests, charts) "
            + "from the finished runs of a results warehouse."})
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--warehouse", paramLabel = "DIR", defaultValue = ResultsStore.DEFAULT_WAREHOUSE,
            description = "Results warehouse directory (default: ${DEFAULT-VALUE}).")
    String warehouse;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "report",
            description = "Output directory, written atomically; replaces only an earlier report (see --overwrite). Default: ${DEFAULT-VALUE}.")
    String output;

    @Mixin
    OverwriteOption overwrite;

    @ArgGroup(exclusive = true)
    Selection selection;

    /** Which runs to report. */
    static final class Selection {
        @Option(names = "--run-id", paramLabel = "ID", split = ",",
                description = "Report these finished runs (repeat or comma-separate).")
        List<String> runIds;

        @Option(names = "--since", paramLabel = "YYYY-MM-DD", description = "Report finished runs started on or after this UTC date.")
        String since;
    }

    @Option(names = "--include-unfinished",
            description = "With --run-id: also report those runs if they did not finish (interrupted or failed), "
                + "over the cells they finished, marked as not finished.")
    boolean includeUnfinished;

    @Option(names = "--pool",
            description = "One leaderboard over the cells of all selected runs (runs of one experiment with "
                + "different seeds, e.g. experiment --seeds); a cell held by two runs is an error.")
    boolean pool;

    @Option(names = "--metric", paramLabel = "NAME") // help: EvaluationSettings.METRIC; default: the run's metric
    String metric;

    @Option(names = "--baseline", paramLabel = "METHOD",
            description = "Method the Wilcoxon tests compare against; it must be a method of the runs (default: ce when they have it).")
    String baseline;

    @Option(names = "--as-of", paramLabel = "TIME",
            description = "Report the store as it was at this time (Delta time travel): 'YYYY-MM-DD' or "
                + "'YYYY-MM-DD HH:MM:SS', in the session time zone.")
    String asOf;

    @Override
    public Integer call() throws Exception {
        // Check options before starting Spark.
        // Without --metric the report ranks by the metric of the run's config (picocli fills in the default).
        boolean metricGiven = spec.commandLine().getParseResult().hasMatchedOption("--metric");
        if (metricGiven) {
            EvaluationSettings.METRIC.validate(metric);
        }
        LocalDate since = null;
        if (selection != null && selection.since != null) {
            try {
                since = LocalDate.parse(selection.since);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--since '" + selection.since + "' is not a date YYYY-MM-DD");
            }
        }
        if (includeUnfinished && (selection == null || selection.runIds == null)) {
            throw new IllegalArgumentException("--include-unfinished needs --run-id (which unfinished runs to report)");
        }
        SparkSession spark = common.spark("report");
        Output out = overwrite.output(spark, output, OutputKind.REPORT, warehouse);
        ResultsStore store = ResultsStore.openExisting(spark, warehouse);
        ReportBuilder builder = new ReportBuilder(spark, asOf == null ? store : store.asOf(asOf)).pool(pool);
        if (metricGiven) {
            builder.metric(metric);
        }
        if (baseline != null) {
            builder.baseline(baseline);
        }
        if (selection != null && selection.runIds != null) {
            builder.runIds(selection.runIds).includeUnfinished(includeUnfinished);
        } else if (since != null) {
            builder.since(since);
        }
        ReportDocument doc = builder.write(out);
        PrintWriter printer = spec.commandLine().getOut();
        printer.println("wrote " + Path.of(output, "report.md") + " and " + Path.of(output, "report.html") + " ("
                + doc.charts().size() + " charts)");
        printer.flush();
        return 0;
    }
}
