package org.counterweight.cli;

import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.DataReader;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.ReadOptions;
import org.counterweight.train.Engine;
import org.counterweight.train.SparkTrainer;
import org.counterweight.train.TrainedModel;
import org.counterweight.train.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train}: one network on Spark with DL4J parameter averaging → a model file. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one network with DL4J parameter averaging on Spark and write a model file.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--train", required = true, paramLabel = "PATH", description = "Training data (CSV, Parquet, LibSVM or a built-in name).")
    String train;

    @Option(names = "--validation", paramLabel = "PATH", description = "Validation data: progress, early stopping, tau-norm.")
    String validation;

    @Option(names = "--label-col", defaultValue = "label", paramLabel = "COL", description = "Label column (default: ${DEFAULT-VALUE}).")
    String labelCol;

    @Option(names = "--features", paramLabel = "COL", split = ",", description = InputOptions.FEATURES_HELP
            + " Validation data is read by the training data's feature names; the model file stores them for 'predict'.")
    List<String> features;

    @Option(names = "--model", defaultValue = "mlp(hidden=16,8)", paramLabel = "SPEC",
            description = "mlp(hidden=16,8,activation=relu,dropout=0) or cnn-small (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--loss", defaultValue = "ce", paramLabel = "SPEC", description = "Loss spec, e.g. focal(gamma=2), weighted-ce(weights=cb,drw=auto).")
    String loss;

    @Option(names = "--sampler", defaultValue = "none", paramLabel = "NAME", description = "none | class-balanced | sqrt (a fresh draw each epoch).")
    String sampler;

    @Option(names = "--optimizer", defaultValue = "adam(lr=0.001)", paramLabel = "SPEC",
            description = "adam(lr=..), adagrad(lr=..), sgd(lr=..,momentum=..) with warmup, decay_epochs, decay, weight_decay.")
    String optimizer;

    @Option(names = "--stage2", paramLabel = "SPEC", description = "crt(epochs=10) | tau-norm | tau-norm(tau=1.0).")
    String stage2;

    @Option(names = "--epochs", required = true, paramLabel = "N",
            description = "Passes over the training data (with --early-stopping: at most this many).")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the network's initialisation, data order and sampler draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch-size", defaultValue = "" + TrainingConfig.DEFAULT_BATCH_SIZE, paramLabel = "N", description = "Minibatch size per worker (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--averaging-frequency", defaultValue = "" + TrainingConfig.DEFAULT_AVERAGING_FREQUENCY, paramLabel = "N",
            description = "Minibatches per worker between parameter averages (default: ${DEFAULT-VALUE}).")
    int averagingFrequency;

    @Option(names = "--engine", defaultValue = "spark", paramLabel = "spark|local",
            description = "spark: DL4J parameter averaging on the executors; local: fit in this JVM (small data). Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--workers", defaultValue = "0", paramLabel = "N", description = "Parallel workers (0 = Spark's default parallelism).")
    int workers;

    @Option(names = "--prefetch", defaultValue = "0", paramLabel = "N", description = "Minibatches each worker prefetches.")
    int prefetch;

    @Option(names = "--repartition", description = "Let DL4J rebalance each round's minibatch files across workers.")
    boolean repartition;

    @Option(names = "--early-stopping", defaultValue = "0", paramLabel = "PATIENCE",
            description = "Stop after PATIENCE epochs without a better validation balanced accuracy; keep the best (0 = off).")
    int patience;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Write a checkpoint every epoch.")
    String checkpointDir;

    @Option(names = "--resume", description = "Continue from the last checkpoint in --checkpoint-dir.")
    boolean resume;

    @Option(names = "--work-dir", paramLabel = "URI", description = "Where minibatch files go; every executor must read it (default: a local temp dir).")
    String workDir;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "Model file (zip): network, label values, feature names, scaler, settings and history.")
    String output;

    @Override
    public Integer call() {
        if (resume && checkpointDir == null) {
            throw new IllegalArgumentException("--resume needs --checkpoint-dir");
        }
        TrainingConfig cfg = new TrainingConfig().model(model).loss(loss).sampler(sampler).optimizer(optimizer)
                .stage2(stage2).epochs(epochs).seed(seed).batchSize(batchSize).averagingFrequency(averagingFrequency)
                .engine(Engine.parse(engine, "--engine")).workers(workers).prefetch(prefetch).repartition(repartition).earlyStoppingPatience(patience)
                .checkpointDir(checkpointDir).resume(resume).workDir(workDir)
                .trainPath(train).validationPath(validation);
        SparkSession spark = common.spark("train");
        LabeledFrame tr = DataReader.read(spark, train, ReadOptions.defaults().withLabelCol(labelCol).withFeatures(features));
        LabeledFrame va = null;
        if (validation != null) {
            va = DataReader.read(spark, validation, ReadOptions.defaults().withLabelCol(labelCol).withLabels(tr.labels())
                    .withFeatures(tr.featureNames()));
        }
        cfg.labelIndex(tr.labels()).featureNames(tr.featureNames());
        TrainedModel m = new SparkTrainer().train(tr.frame(), va == null ? null : va.frame(), cfg);
        m.save(Paths.get(output));
        System.out.println("wrote " + output + " (" + m.history().size() + " epochs, classes " + m.labels().values() + ")");
        return 0;
    }
}
