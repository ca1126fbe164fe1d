package org.counterweight.train;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.counterweight.losses.FnrWeightedLoss;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Brings loss state that is not a layer parameter back from the workers. Parameter averaging
 * averages parameters and updater state only; {@code fnr-weighted-ce}'s per-class importance
 * lives in the loss object, which every worker rebuilds from the driver's configuration at each
 * round. Without this, each worker's importance updates would be lost at the end of every round
 * and the importance would never move further than one round's worth of minibatches.
 *
 * <p>Definition under averaging: after every round the driver's importance becomes the mean of
 * the workers' importance at the end of the round (the same rule as the parameters), and its step
 * count grows by the number of minibatches all workers fitted. With one worker this is exactly
 * sequential training. A {@link TrainingHook} on each worker reports the loss state after every
 * minibatch through a Spark accumulator; the driver keeps each worker's last report.
 */
final class LossStateSync implements Serializable {
    private static final long serialVersionUID = 1L;

    private final CollectionAccumulator<Report> reports;

    LossStateSync(JavaSparkContext jsc) {
        this.reports = jsc.sc().collectionAccumulator("counterweight loss state");
    }

    /** The hook the training master hands to every worker. */
    TrainingHook hook() {
        return new Hook(reports);
    }

    /** Folds the workers' last reports of the round into the driver's loss, then clears them. */
    void afterRound(MultiLayerNetwork driver) {
        List<Report> all = reports.value();
        reports.reset();
        ILossFunction current = outputLoss(driver);
        if (all.isEmpty() || !(current instanceof FnrWeightedLoss)) {
            return;
        }
        FnrWeightedLoss fnr = (FnrWeightedLoss) current;
        Map<Integer, Report> last = new HashMap<>();
        for (Report r : all) {
            last.merge(r.partition, r, (a, b) -> a.steps >= b.steps ? a : b);
        }
        double[] mean = new double[fnr.getImportance().length];
        long steps = fnr.getSteps();
        for (Report r : last.values()) {
            for (int k = 0; k < mean.length; k++) {
                mean[k] += r.importance[k] / last.size();
            }
            steps += r.steps - fnr.getSteps();
        }
        FnrWeightedLoss merged = new FnrWeightedLoss(fnr.getAlpha(), mean, steps);
        int l = driver.getnLayers() - 1;
        ((BaseOutputLayer) driver.getLayerWiseConfigurations().getConf(l).getLayer()).setLossFn(merged);
        ((BaseOutputLayer) driver.getLayer(l).conf().getLayer()).setLossFn(merged);
    }

    static ILossFunction outputLoss(MultiLayerNetwork net) {
        Object layer = net.getLayer(net.getnLayers() - 1).conf().getLayer();
        return layer instanceof BaseOutputLayer ? ((BaseOutputLayer) layer).getLossFn() : null;
    }

    /** One worker's loss state after a minibatch. */
    static final class Report implements Serializable {
        private static final long serialVersionUID = 1L;
        final int partition;
        final long steps;
        final double[] importance;

        Report(int partition, long steps, double[] importance) {
            this.partition = partition;
            this.steps = steps;
            this.importance = importance;
        }
    }

    private static final class Hook implements TrainingHook {
        private static final long serialVersionUID = 1L;
        private final CollectionAccumulator<Report> reports;

        Hook(CollectionAccumulator<Report> reports) {
            this.reports = reports;
        }

        @Override
        public void preUpdate(DataSet minibatch, Model model) {
        }

        @Override
        public void postUpdate(DataSet minibatch, Model model) {
            if (model instanceof MultiLayerNetwork && outputLoss((MultiLayerNetwork) model) instanceof FnrWeightedLoss) {
                FnrWeightedLoss fnr = (FnrWeightedLoss) outputLoss((MultiLayerNetwork) model);
                reports.add(new Report(TaskContext.getPartitionId(), fnr.getSteps(), fnr.getImportance()));
            }
        }

        @Override
        public void preUpdate(MultiDataSet minibatch, Model model) {
        }

        @Override
        public void postUpdate(MultiDataSet minibatch, Model model) {
        }
    }
}
