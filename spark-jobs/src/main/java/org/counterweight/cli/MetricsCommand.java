package org.counterweight.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.Output;
import org.counterweight.data.OutputKind;
import org.counterweight.evaluate.Evaluation;
import org.counterweight.evaluate.MetricTable;
import org.counterweight.evaluate.MetricsEvaluator;
import org.counterweight.evaluate.MetricsText;
import org.counterweight.evaluate.PredictionsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code metrics}: a predictions file → the metrics table (printed, and written as CSV). */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = {"Compute every metric of docs/METHODS.md §5 from a predictions file.",
            "Input columns: label, prediction (original label values) and prob_<label value> per class, as 'predict' "
                + "writes them (older files' prob_0..prob_{K-1} by class index are read too). "
                + "Output rows: metric,class,value (class empty for overall metrics)."})
public final class MetricsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = {"-i", "--input", "--predictions"}, required = true, paramLabel = "FILE",
            description = "Predictions: .csv with a header, or Parquet.")
    String predictions;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.csv",
            description = "Where to write the metrics CSV (atomically; replaces only an earlier metrics file, see --overwrite).")
    String output;

    @Mixin
    OverwriteOption overwrite;

    @Option(names = "--score-buckets", paramLabel = "N", defaultValue = "64",
            description = "Score ranges for the exact AUC/AP computation (work split only; default: ${DEFAULT-VALUE}).")
    int scoreBuckets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SparkSession spark = common.spark("metrics");
        Output target = output == null ? null : overwrite.output(spark, output, OutputKind.METRICS, predictions);
        PredictionsFile.Indexed in = PredictionsFile.read(spark, predictions);
        Evaluation e = new MetricsEvaluator().setScoreBuckets(scoreBuckets).evaluate(in.predictions());
        out.print(MetricsText.format(e, in.labels()));
        if (output != null) {
            MetricsText.writeCsv(spark.sparkContext().hadoopConfiguration(), target, MetricTable.rows(e, in.labels()));
            out.println("\nwrote " + output);
        }
        out.flush();
        return 0;
    }
}
