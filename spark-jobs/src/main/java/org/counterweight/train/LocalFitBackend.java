package org.counterweight.train;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * {@link Engine#LOCAL}: {@code net.fit} on each minibatch in order, in the driver JVM — exactly
 * Spark training with one worker averaging after every minibatch, without the Spark jobs. Loss
 * state (FNR importance, FAML anchors) lives in the one network, so nothing needs syncing. The
 * row table and static minibatches are read once and held in memory for the run
 * ({@link CachingMinibatchLoader}, no budget); balanced accuracies are computed in the driver on
 * rows collected once per frame.
 */
final class LocalFitBackend implements FitBackend {
    private final Standardizer scaler;
    private final int numClasses;
    private final RoundListener rounds;
    private final Map<Dataset<Row>, DriverRows> onDriver = new IdentityHashMap<>();

    LocalFitBackend(Standardizer scaler, int numClasses, RoundListener rounds) {
        this.scaler = scaler;
        this.numClasses = numClasses;
        this.rounds = rounds;
    }

    @Override
    public boolean writesMinibatchesOnDriver() {
        return true;
    }

    @Override
    public Fitter fitter(MultiLayerNetwork net, String staticPrefix) {
        CachingMinibatchLoader loader = new CachingMinibatchLoader(staticPrefix, Long.MAX_VALUE);
        return (driverNet, files, epoch) -> fit(driverNet, files, epoch, loader);
    }

    @Override
    public long[][] confusion(MultiLayerNetwork net, Dataset<Row> rows) {
        return onDriver.computeIfAbsent(rows, d -> DriverRows.collect(d, scaler)).confusion(net, numClasses);
    }

    /** Every minibatch is its own round: its score is reported, and the epoch's loss is their mean. */
    private double fit(MultiLayerNetwork net, List<String> files, int epoch, CachingMinibatchLoader loader) {
        double scoreSum = 0;
        for (int i = 0; i < files.size(); i++) {
            String path = files.get(i);
            net.fit(loader.load(path));
            double score = net.score();
            rounds.afterRound(epoch, i, List.of(path), score);
            scoreSum += score;
        }
        return scoreSum / files.size();
    }
}
