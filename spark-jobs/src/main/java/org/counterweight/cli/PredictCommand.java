package org.counterweight.cli;

import java.nio.file.Paths;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.DataException;
import org.counterweight.data.DataReader;
import org.counterweight.data.DataWriter;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.Output;
import org.counterweight.data.OutputKind;
import org.counterweight.data.ReadOptions;
import org.counterweight.train.Predictor;
import org.counterweight.train.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code predict}: a model file and labeled data → predictions (label, prediction, prob_0..). */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score data with a model file; writes label, prediction (original label values) and prob_0..prob_{K-1}.")
public final class PredictCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file written by 'train'.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "Data to score (same features as the training data).")
    String input;

    @Option(names = "--label-col", defaultValue = "label", paramLabel = "COL", description = "Label column (default: ${DEFAULT-VALUE}).")
    String labelCol;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH",
            description = "Predictions: .csv = one CSV file, else Parquet; replaces only earlier predictions (see --overwrite).")
    String output;

    @Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() {
        TrainedModel m = TrainedModel.load(Paths.get(model));
        SparkSession spark = common.spark("predict");
        Output out = overwrite.output(spark, output, OutputKind.PREDICTIONS, input, model);
        LabeledFrame in = DataReader.read(spark, input, ReadOptions.defaults().withLabelCol(labelCol).withLabels(m.labels()));
        if (in.numFeatures() != m.scaler().size()) {
            throw new DataException(input + ": " + in.numFeatures() + " features but the model expects " + m.scaler().size());
        }
        DataWriter.writeTable(Predictor.withOriginalLabels(Predictor.predict(m, in.frame()), m.labels())
                .drop(org.counterweight.data.Columns.ROW_ID), out);
        System.out.println("wrote " + output);
        return 0;
    }
}
