package org.counterweight.cli;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.Columns;
import org.counterweight.data.DataReader;
import org.counterweight.data.DataWriter;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.Output;
import org.counterweight.data.OutputKind;
import org.counterweight.data.ReadOptions;
import org.counterweight.train.Predictor;
import org.counterweight.train.Preparation;
import org.counterweight.train.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code predict}: a model file and data (labeled or not) → predictions: the id column or
 * {@code row_id}, {@code label} when the input has one, {@code prediction}, {@code prob_<label value>}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Score data with a model file. Features are the columns named like the training data's "
                + "(stored in the model file), in any order; other columns are ignored, a missing one is an error. "
                + "There is no --features: the model decides which columns are features, and which are categorical. "
                + "Missing values get the training part's values; categories unseen in training go to the unknown slot "
                + "(counted in the log).",
            "Writes, in input order: the --id-col column (else row_id), label when the input has the label column, "
                + "prediction and one prob_<label value> column per class (e.g. prob_cat, prob_dog); label and "
                + "prediction hold original label values."})
public final class PredictCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file written by 'train'.")
    String model;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "PATH|NAME",
            description = "Data to score: .csv[.gz], .parquet (or Parquet directory), .libsvm/.svm (features by position), "
                    + "IDX images or a built-in dataset name.")
    String input;

    // Optional here: when the input has it, it is validated against the model's classes and written
    // as 'label' so that 'metrics' can score the file. Default and help: DataSettings.LABEL_COL.
    @Option(names = "--label-col", paramLabel = "COL")
    String labelCol;

    @Option(names = "--id-col", paramLabel = "COL",
            description = "Column copied (as text) to the output's first column, to join predictions back to the input. "
                    + "Without it the first column is row_id: the row's 0-based position in the input (for CSV the data "
                    + "line, header excluded; for LibSVM the line; Parquet's own row_id column if it has one).")
    String idCol;

    @Option(names = "--missing-values", paramLabel = "TEXTS")
    String missingValues;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH", description = "Predictions: .csv = one CSV file, else Parquet; replaces only earlier predictions (see --overwrite).")
    String output;

    @Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() {
        TrainedModel m = TrainedModel.load(Paths.get(model));
        String key = idCol != null ? idCol : Columns.ROW_ID;
        checkDistinct(key, m);
        ReadOptions options = ReadOptions.defaults().withLabelCol(labelCol).withLabels(m.labels()).withOptionalLabel()
                .withIdCol(idCol).withFeatures(m.featureNames().orElse(null)).withMissingValues(missingValues)
                // the model's categorical columns; unseen categories go to the unknown slot, so no level limit
                .withCategorical(m.preparation().map(Preparation::categorical).orElse(null)).withMaxLevels(1_000_000);
        SparkSession spark = common.spark("predict");
        Output out = overwrite.output(spark, output, OutputKind.PREDICTIONS, input, model);
        LabeledFrame in = DataReader.read(spark, input, options);
        Dataset<Row> predictions = Predictor.withOriginalLabels(Predictor.predict(m, in), m.labels());
        List<String> columns = new ArrayList<>(List.of(predictions.columns()));
        columns.remove(Columns.ROW_ID);
        columns.remove(key);
        columns.add(0, key);
        DataWriter.writeTable(predictions.select(columns.stream().map(c -> predictions.col(Columns.quoted(c))).toArray(Column[]::new)), out);
        System.out.println("wrote " + output);
        return 0;
    }

    /**
     * Output column names must differ, ignoring case as Spark does, and only probabilities may
     * start with {@code prob_} ('metrics' reads those as classes): fail before any Spark job.
     */
    private static void checkDistinct(String key, TrainedModel m) {
        if (key.startsWith(Columns.PROB_PREFIX)) {
            throw new IllegalArgumentException("--id-col " + key + ": names starting with " + Columns.PROB_PREFIX
                    + " are the probability columns'");
        }
        List<String> names = new ArrayList<>(List.of(key, Columns.LABEL, Columns.PREDICTION));
        m.labels().values().forEach(v -> names.add(Columns.probFor(v)));
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("two output columns would be called '" + n + "' (Spark column names ignore case): "
                        + (n.equalsIgnoreCase(key) ? "choose another --id-col" : "the model's class names differ only in case"));
            }
        }
    }
}
