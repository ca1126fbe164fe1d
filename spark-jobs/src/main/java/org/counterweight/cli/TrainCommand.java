package org.counterweight.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.DataReader;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.Output;
import org.counterweight.data.OutputKind;
import org.counterweight.data.ReadOptions;
import org.counterweight.train.Engine;
import org.counterweight.train.PrepareOptions;
import org.counterweight.train.SparkTrainer;
import org.counterweight.train.TrainedModel;
import org.counterweight.train.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code train}: one network on Spark with DL4J parameter averaging → a model file. The training
 * options are {@link org.counterweight.train.TrainingSettings}: their defaults and help texts
 * come from there ({@link SettingOptions}), the same as an experiment config's keys.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one network with DL4J parameter averaging on Spark and write a model file.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = {"-i", "--input", "--train"}, required = true, paramLabel = "PATH",
            description = "Training data (CSV, Parquet, LibSVM or a built-in name).")
    String train;

    @Option(names = "--validation", paramLabel = "PATH", description = "Validation data: progress, early stopping, tau-norm.")
    String validation;

    @Option(names = "--label-col", paramLabel = "COL")
    String labelCol;

    @Option(names = "--features", paramLabel = "COL", split = ",", description = InputOptions.FEATURES_HELP
            + " Validation data is read by the training data's feature names; the model file stores them for 'predict'.")
    List<String> features;

    @Mixin
    CategoricalOptions categorical;

    @Option(names = "--impute", paramLabel = "median|mean|most-frequent")
    String impute;

    @Option(names = "--missing-indicator")
    boolean missingIndicator;

    @Option(names = "--model", paramLabel = "SPEC")
    String model;

    @Option(names = "--loss", paramLabel = "SPEC")
    String loss;

    @Option(names = "--sampler", paramLabel = "NAME")
    String sampler;

    @Option(names = "--shuffle", paramLabel = "epoch|once")
    String shuffle;

    @Option(names = "--optimizer", paramLabel = "SPEC")
    String optimizer;

    @Option(names = "--stage2", paramLabel = "SPEC")
    String stage2;

    @Option(names = "--epochs", paramLabel = "N")
    int epochs;

    @Option(names = "--seed", paramLabel = "N")
    long seed;

    @Option(names = "--batch-size", paramLabel = "N")
    int batchSize;

    @Option(names = "--averaging-frequency", paramLabel = "N")
    int averagingFrequency;

    @Option(names = "--engine", paramLabel = "spark|local")
    String engine;

    @Option(names = "--workers", paramLabel = "N")
    int workers;

    @Option(names = "--prefetch", paramLabel = "N")
    int prefetch;

    @Option(names = "--repartition")
    boolean repartition;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE")
    int patience;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR")
    String checkpointDir;

    @Option(names = "--resume")
    boolean resume;

    @Option(names = "--work-dir", paramLabel = "URI")
    String workDir;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = {"Model file (zip): network, label values, feature names, scaler (and the preparation of categorical "
                    + "and missing values), settings and history.",
                "Written atomically; replaces only an earlier model file (see --overwrite)."})
    String output;

    @Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() {
        if (resume && checkpointDir == null) {
            throw new IllegalArgumentException("--resume needs --checkpoint-dir");
        }
        // Every spec is checked here, before Spark starts.
        TrainingConfig cfg = new TrainingConfig().model(model).loss(loss).sampler(sampler).shuffle(shuffle).optimizer(optimizer)
                .stage2(stage2).epochs(epochs).seed(seed).batchSize(batchSize).averagingFrequency(averagingFrequency)
                .engine(Engine.parse(engine, "--engine")).workers(workers).prefetch(prefetch).repartition(repartition)
                .earlyStoppingPatience(patience).checkpointDir(checkpointDir).resume(resume).workDir(workDir)
                .trainPath(train).validationPath(validation).prepareOptions(new PrepareOptions(impute, missingIndicator));
        SparkSession spark = common.spark("train");
        Output out = overwrite.output(spark, output, OutputKind.MODEL, train, validation);
        ReadOptions read = categorical.apply(ReadOptions.defaults().withLabelCol(labelCol));
        LabeledFrame tr = DataReader.read(spark, train, read.withFeatures(features));
        LabeledFrame va = null;
        if (validation != null) {
            va = DataReader.read(spark, validation, read.withLabels(tr.labels()).withFeatures(tr.featureNames()));
        }
        TrainedModel m = new SparkTrainer().train(tr, va, cfg);
        m.save(spark.sparkContext().hadoopConfiguration(), out);
        System.out.println("wrote " + output + " (" + m.history().size() + " epochs, classes " + m.labels().values() + ")");
        return 0;
    }
}
