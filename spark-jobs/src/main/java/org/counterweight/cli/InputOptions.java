package org.counterweight.cli;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.DataException;
import org.counterweight.data.DataReader;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.ReadOptions;
import picocli.CommandLine.Option;

/** {@code --input}, {@code --label-col}, {@code --features}: where and how to read a dataset. */
public final class InputOptions {
    @Option(names = {"-i", "--input"}, required = true, paramLabel = "PATH|NAME",
            description = "A .csv[.gz], .parquet (or Parquet directory), .libsvm/.svm file, or a built-in dataset name (e.g. satimage).")
    String input;

    @Option(names = "--label-col", paramLabel = "COL") // default and help: DataSettings.LABEL_COL
    String labelCol;

    /** Help text of {@code --features}, shared with {@code train}'s. */
    static final String FEATURES_HELP = "Feature columns, comma-separated (default: every column but the label; "
            + "LibSVM features are named f0, f1, ... by position).";

    @Option(names = "--features", paramLabel = "COL", split = ",", description = FEATURES_HELP)
    List<String> features;

    /**
     * Reads and validates the input. Missing values are refused here: the commands that take
     * these options write or resample the features as they are, and only {@code train} and
     * {@code experiment} impute them (on the training part).
     */
    public LabeledFrame read(SparkSession spark) {
        LabeledFrame lf = DataReader.read(spark, input, ReadOptions.defaults().withLabelCol(labelCol).withFeatures(features));
        if (lf.needsPreparation()) {
            throw new DataException(lf.source() + ": " + lf.raw().missing() + " missing value(s); this command needs every"
                    + " feature value (train and experiment fill missing values in from the training part)");
        }
        return lf;
    }
}
