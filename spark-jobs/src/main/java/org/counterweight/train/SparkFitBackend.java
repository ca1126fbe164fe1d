package org.counterweight.train;

import java.util.List;
import org.apache.commons.lang3.SerializationUtils;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.dl4j.RoundTrainingMaster;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * {@link Engine#SPARK}: DL4J parameter averaging on the executors. Every worker fits
 * {@code averagingFrequency} minibatch files from the driver's parameters and updater state, then
 * both are averaged into the driver's network. The rounds are driven from here, one Spark job each
 * ({@link RoundTrainingMaster#fitRound}) on exactly {@code workers × averagingFrequency} files in
 * consecutive slices per worker: the minibatch-to-worker assignment is then deterministic (DL4J's
 * own split is random) and the iteration count exact (Adam's bias correction depends on it).
 * Loss state kept outside the parameters comes back through {@link LossStateSync}; networks are
 * scored by a Spark job ({@link Predictor#confusion}).
 */
final class SparkFitBackend implements FitBackend {
    private final JavaSparkContext jsc;
    private final TrainingConfig cfg;
    private final int workers;
    private final Standardizer scaler;
    private final int numClasses;
    private final RoundListener rounds;
    private final LossStateSync lossState;

    SparkFitBackend(TrainingConfig cfg, JavaSparkContext jsc, Standardizer scaler, int numClasses, RoundListener rounds) {
        this.jsc = jsc;
        this.cfg = cfg;
        this.workers = cfg.workers() > 0 ? cfg.workers() : jsc.defaultParallelism();
        this.scaler = scaler;
        this.numClasses = numClasses;
        this.rounds = rounds;
        this.lossState = new LossStateSync(jsc);
    }

    @Override
    public boolean writesMinibatchesOnDriver() {
        return false;
    }

    @Override
    public Fitter fitter(MultiLayerNetwork net, String staticPrefix) {
        // DL4J's workers re-batch the files by feature rows: tell them a file's count (BBN: 2 per pair).
        int rowsPerFile = EpochDraws.forRun(cfg.sampler(), cfg.loss()).format().featureRows(cfg.batchSize());
        RoundTrainingMaster master = new RoundTrainingMaster(new ParameterAveragingTrainingMaster.Builder(workers, rowsPerFile)
                .batchSizePerWorker(rowsPerFile)
                .averagingFrequency(cfg.averagingFrequency())
                .workerPrefetchNumBatches(cfg.prefetch())
                .saveUpdater(true)
                .repartionData(cfg.repartition() ? Repartition.Always : Repartition.Never)
                .storageLevelStreams(null)
                .rngSeed(cfg.seed())
                .trainingHooks(lossState.hook()));
        MultiLayerNetwork carrier = new MultiLayerNetwork(SerializationUtils.clone(net.getLayerWiseConfigurations()));
        carrier.init(net.params().dup(), false);
        CachingMinibatchLoader loader = new CachingMinibatchLoader(staticPrefix,
                jsc.getConf().getSizeAsBytes(SparkTrainer.MINIBATCH_CACHE_CONF, "256m"));
        return new Rounds(new SparkDl4jMultiLayer(jsc, carrier, master), master, loader);
    }

    @Override
    public long[][] confusion(MultiLayerNetwork net, Dataset<Row> rows) {
        return Predictor.confusion(new NetworkPayload(net, scaler, numClasses), rows);
    }

    /** One stage's averaging rounds: one Spark job per round, from one carrier network. */
    private final class Rounds implements Fitter {
        private final SparkDl4jMultiLayer spark;
        private final RoundTrainingMaster master;
        private final CachingMinibatchLoader loader;

        Rounds(SparkDl4jMultiLayer spark, RoundTrainingMaster master, CachingMinibatchLoader loader) {
            this.spark = spark;
            this.master = master;
            this.loader = loader;
        }

        @Override
        public double fit(MultiLayerNetwork net, List<String> files, int epoch) {
            int perRound = workers * cfg.averagingFrequency();
            double scoreSum = 0;
            int round = 0;
            for (int start = 0; start < files.size(); start += perRound) {
                List<String> slice = files.subList(start, Math.min(files.size(), start + perRound));
                int parts = Math.min(workers, slice.size());
                int iterations = net.getIterationCount();
                JavaRDD<String> paths = jsc.parallelize(slice, parts);
                double score = master.fitRound(ship(net), paths, loader, net);
                // Each worker fitted ceil(slice/parts) minibatches from the broadcast count.
                net.setIterationCount(iterations + (slice.size() + parts - 1) / parts);
                lossState.afterRound(net);
                rounds.afterRound(epoch, round, List.copyOf(slice), score);
                scoreSum += score;
                round++;
            }
            return scoreSum / round;
        }

        /**
         * Loads the driver's state into the network DL4J broadcasts for a round: a deep copy of
         * the driver's configuration (Java serialisation, as a broadcast to a cluster would make)
         * and the driver's parameters and updater state. Executors on a cluster always get a
         * deserialised copy; in local mode Spark hands the workers the broadcast value itself, so
         * without the copy loss state would be shared across workers and with the driver. The
         * carrier network is never fitted; it only holds what DL4J broadcasts.
         */
        private SparkDl4jMultiLayer ship(MultiLayerNetwork net) {
            MultiLayerNetwork carrier = spark.getNetwork();
            carrier.setLayerWiseConfigurations(SerializationUtils.clone(net.getLayerWiseConfigurations()));
            carrier.params().assign(net.params());
            if (net.getUpdater().getStateViewArray() != null) {
                carrier.getUpdater().getStateViewArray().assign(net.getUpdater().getStateViewArray());
            }
            return spark;
        }
    }
}
