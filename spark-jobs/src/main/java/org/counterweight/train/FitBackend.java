package org.counterweight.train;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Where a training run fits its minibatches and scores its networks ({@link Engine}): on the Spark
 * executors by parameter averaging ({@link SparkFitBackend}) or in the driver JVM
 * ({@link LocalFitBackend}). Everything else — the minibatches and their order, schedules,
 * metrics, checkpoints, second stages — is the same for both, so {@link #forEngine} is the one
 * place that tells the engines apart.
 */
interface FitBackend {
    /** The backend of {@code cfg}'s engine for one training run. */
    static FitBackend forEngine(TrainingConfig cfg, JavaSparkContext jsc, Standardizer scaler, int numClasses,
                                RoundListener rounds) {
        return switch (cfg.engine()) {
            case SPARK -> new SparkFitBackend(cfg, jsc, scaler, numClasses, rounds);
            case LOCAL -> new LocalFitBackend(scaler, numClasses, rounds);
        };
    }

    /**
     * True when the driver should write the minibatches (row table, files) itself (it is the one reading them);
     * false when the executors that read them write them ({@link MinibatchExporter}).
     */
    boolean writesMinibatchesOnDriver();

    /**
     * The fitter for one stage of training {@code net}; a second stage with another network gets
     * its own. Files under {@code staticPrefix} never change during the run, so they may be read
     * once and kept.
     */
    Fitter fitter(MultiLayerNetwork net, String staticPrefix);

    /** Confusion counts [true][predicted] of {@code net} (inference mode) on labeled {@code rows}. */
    long[][] confusion(MultiLayerNetwork net, Dataset<Row> rows);

    /** Fits one epoch's minibatches (paths, {@link CachingMinibatchLoader}), in order, into the driver's network. */
    @FunctionalInterface
    interface Fitter {
        /** Returns the epoch's loss: the mean of its rounds' scores ({@link RoundListener}). */
        double fit(MultiLayerNetwork net, List<String> files, int epoch);
    }
}
