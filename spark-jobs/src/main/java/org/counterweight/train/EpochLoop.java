package org.counterweight.train;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.losses.EpochEnd;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop of one training run, on the driver, for the main stage and a second stage alike.
 * Each epoch: the network's epoch count (learning-rate schedules) and the method's
 * {@link EpochSchedule} (DRW, λ), the epoch's minibatches ({@link MinibatchSource}), fitting
 * ({@link FitBackend}), the layers' end-of-epoch state ({@link EpochEnd}: FAML's anchor moves),
 * training and validation balanced accuracy, the progress line and the run's
 * history, the stage's end-of-epoch step (checkpoints) and early stopping. It is also what a
 * {@link TwoStage} sees of the run.
 */
final class EpochLoop implements TwoStage.Context {
    private static final Logger LOG = LoggerFactory.getLogger(EpochLoop.class);

    private final FitBackend backend;
    private final MinibatchSource minibatches;
    private final Dataset<Row> train;
    private final Dataset<Row> validation;
    private final TrainingConfig cfg;
    private final int numClasses;
    private final List<EpochStats> history;

    /**
     * @param validation validation rows, or null
     * @param history    the run's history so far (from a checkpoint when resuming); every epoch
     *                   trained is appended
     */
    EpochLoop(FitBackend backend, MinibatchSource minibatches, Dataset<Row> train, Dataset<Row> validation,
              TrainingConfig cfg, int numClasses, List<EpochStats> history) {
        this.backend = backend;
        this.minibatches = minibatches;
        this.train = train;
        this.validation = validation;
        this.cfg = cfg;
        this.numClasses = numClasses;
        this.history = history;
    }

    /**
     * What one stage trains: epochs {@code from..to-1} with the {@code schedule} and the sampler's
     * {@code draw}, log lines prefixed by {@code name} ("" for the main stage), early stopping
     * after {@code patience} epochs without a better validation score (0: never) counted from
     * {@code best}, and {@code afterEpoch} run after each epoch.
     */
    record Stage(String name, EpochSchedule schedule, EpochDraw draw, int from, int to, int patience,
                 Checkpoints.Best best, AfterEpoch afterEpoch) {
    }

    /** A stage's step after each epoch's metrics (the main stage writes its checkpoints). */
    @FunctionalInterface
    interface AfterEpoch {
        /** Nothing after an epoch. */
        AfterEpoch NONE = (epoch, net, improvedBest) -> { };

        /** @param improvedBest the best record when this epoch improved on it, else null */
        void after(int epoch, MultiLayerNetwork net, Checkpoints.Best improvedBest);
    }

    /** Trains {@code stage}'s epochs; returns the network to keep (the best one under early stopping). */
    MultiLayerNetwork run(MultiLayerNetwork net, Stage stage) {
        FitBackend.Fitter fitter = backend.fitter(net, minibatches.staticPrefix());
        Checkpoints.Best best = stage.best();
        for (int epoch = stage.from(); epoch < stage.to(); epoch++) {
            long t0 = System.nanoTime();
            net.setEpochCount(epoch);
            stage.schedule().beforeEpoch(epoch, net);
            double loss = fitter.fit(net, minibatches.files(stage.draw(), epoch), epoch);
            // On the driver's (averaged) parameters, before metrics and checkpoints see them.
            EpochEnd.finish(net);
            double trainBa = cfg.trainMetrics() ? balancedAccuracy(net, train) : Double.NaN;
            double validBa = validation != null ? balancedAccuracy(net, validation) : Double.NaN;
            double seconds = (System.nanoTime() - t0) / 1e9;
            history.add(new EpochStats(history.size(), loss, trainBa, validBa, seconds));
            // DEBUG: an experiment's cells would print hundreds of these; --verbose shows them.
            if (LOG.isDebugEnabled()) {
                LOG.debug(String.format(Locale.ROOT, "%sepoch %d/%d  loss %.5f  train-bacc %s  val-bacc %s  %.2f s",
                        stage.name(), epoch + 1, stage.to(), loss, score(trainBa), score(validBa), seconds));
            }
            boolean improved = best.offer(epoch, validBa, net);
            stage.afterEpoch().after(epoch, net, improved ? best : null);
            if (stage.patience() > 0 && epoch - best.epoch >= stage.patience()) {
                LOG.info("early stopping after epoch {}: best validation balanced accuracy {} at epoch {}",
                        epoch + 1, best.score, best.epoch + 1);
                break;
            }
        }
        if (stage.patience() > 0 && best.params != null) {
            net.setParams(best.params);
        }
        return net;
    }

    @Override
    public long seed() {
        return cfg.seed();
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public MultiLayerNetwork fitEpochs(MultiLayerNetwork net, EpochDraw draw, int epochs, String name) {
        return run(net, new Stage(name, EpochSchedule.NONE, draw, 0, epochs, 0, new Checkpoints.Best(), AfterEpoch.NONE));
    }

    @Override
    public double validationBalancedAccuracy(MultiLayerNetwork net) {
        return balancedAccuracy(net, validation);
    }

    private double balancedAccuracy(MultiLayerNetwork net, Dataset<Row> rows) {
        return Predictor.balancedAccuracy(backend.confusion(net, rows));
    }

    /** A balanced accuracy for the progress line; "-" when it was not computed. */
    private static String score(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
