package org.counterweight.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.Columns;
import org.counterweight.data.DataException;
import org.counterweight.spec.SpecException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.counterweight.losses.Losses;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.nd4j.linalg.lossfunctions.ILossFunction;

class SparkTrainerTest {
    private static SparkSession spark;
    private static Dataset<Row> all;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = TrainFixtures.spark();
        all = TrainFixtures.satimage(spark).cache();
        train = TrainFixtures.trainPart(all).cache();
        test = TrainFixtures.testPart(all).cache();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static DataSet load(String path) {
        try (InputStream in = Files.newInputStream(Path.of(java.net.URI.create(path)))) {
            DataSet ds = new DataSet();
            ds.load(in);
            return ds;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long[] classCounts() {
        long[] c = new long[2];
        for (Row r : train.groupBy(Columns.LABEL).count().collectAsList()) {
            c[(int) r.getDouble(0)] = r.getLong(1);
        }
        return c;
    }

    /** The network the trainer starts from for {@code cfg} (same factory, same seed). */
    private static MultiLayerNetwork initial(TrainingConfig cfg) {
        LossHead head = LossHeads.create(cfg.loss(), classCounts(), cfg.epochs());
        MultiLayerNetwork net = new MultiLayerNetwork(NetworkFactory.build(cfg.model(), 36, 2, head,
                OptimizerSpec.parse(cfg.optimizer()), cfg.epochs(), cfg.seed()));
        net.init();
        return net;
    }

    @Test
    void oneWorkerAveragingEveryMinibatchEqualsPlainFit() {
        TrainingConfig cfg = new TrainingConfig().model("mlp(hidden=16,8)").optimizer("adam(lr=0.01)")
                .epochs(2).seed(11).batchSize(32).averagingFrequency(1).workers(1).trainMetrics(false)
                .workDir(tmp.toUri().toString());
        List<List<String>> order = new ArrayList<>();
        order.add(new ArrayList<>());
        order.add(new ArrayList<>());
        TrainedModel model = new SparkTrainer().onRound((e, r, paths, s) -> order.get(e).addAll(paths)).train(train, null, cfg);

        MultiLayerNetwork plain = initial(cfg);
        for (int e = 0; e < 2; e++) {
            plain.setEpochCount(e);
            for (String p : order.get(e)) {
                plain.fit(load(p));
            }
        }
        assertEquals(19, order.get(0).size(), "600 rows in minibatches of 32");
        assertNotEquals(order.get(0), order.get(1), "epochs see the minibatches in a different order");
        INDArray expected = plain.params();
        INDArray actual = model.network().params();
        double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-5, "max |spark - plain| = " + maxDiff);
        assertTrue(initial(cfg).params().sub(actual).amaxNumber().doubleValue() > 1e-2, "training moved the parameters");
    }

    @Test
    void drwSwitchChangesTheLossComputedOnTheExecutorsFromItsEpoch() {
        // lr = 0: parameters stay at their initial values, so every worker's reported loss is the
        // loss of the initial network on its minibatch under the loss the worker was given.
        TrainingConfig cfg = new TrainingConfig().model("mlp(hidden=8)").optimizer("sgd(lr=0)").loss("weighted-ce(weights=cb,drw=2)")
                .epochs(4).seed(5).batchSize(50).averagingFrequency(1).workers(2).trainMetrics(false)
                .workDir(tmp.toUri().toString());
        List<Object[]> rounds = new ArrayList<>();
        new SparkTrainer().onRound((e, r, paths, s) -> rounds.add(new Object[] {e, paths, s})).train(train, null, cfg);

        MultiLayerNetwork net = initial(cfg);
        int switched = 0;
        for (Object[] round : rounds) {
            int epoch = (Integer) round[0];
            @SuppressWarnings("unchecked")
            List<String> paths = (List<String>) round[1];
            double plainLoss = meanScore(net, paths, Losses.create("ce", classCounts()));
            double weightedLoss = meanScore(net, paths, Losses.create("weighted-ce(weights=cb)", classCounts()));
            double expected = epoch < 2 ? plainLoss : weightedLoss;
            assertEquals(expected, (Double) round[2], 1e-5, "epoch " + epoch + " round loss");
            if (epoch >= 2 && Math.abs(plainLoss - weightedLoss) > 1e-3) {
                switched++;
            }
        }
        assertEquals(4 * 6, rounds.size(), "600 rows / 50 = 12 minibatches = 6 rounds of 2 workers per epoch");
        assertTrue(switched >= 10, "the weighted loss differs from the plain one on most rounds after the switch: " + switched);
    }

    private static double meanScore(MultiLayerNetwork net, List<String> paths, ILossFunction loss) {
        MultiLayerNetwork copy = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        ((BaseOutputLayer) copy.getLayerWiseConfigurations().getConf(copy.getnLayers() - 1).getLayer()).setLossFn(loss);
        copy.init(net.params().dup(), false);
        double sum = 0;
        for (String p : paths) {
            sum += copy.score(load(p), false);
        }
        return sum / paths.size();
    }

    @Test
    void ceOnSatimageBeatsChanceOnHeldOutData() {
        TrainingConfig cfg = new TrainingConfig().model("mlp(hidden=16,8)").optimizer("adam(lr=0.01)")
                .epochs(15).seed(3).batchSize(32).averagingFrequency(2).trainMetrics(false);
        TrainedModel model = new SparkTrainer().train(train, test, cfg);
        double ba = Predictor.balancedAccuracy(Predictor.confusion(model.payload(), test));
        // Chance is 0.5; the FAL paper reports 0.85 for CE on the full data (Baloch et al. 2019, Table 2).
        assertTrue(ba > 0.70, "held-out balanced accuracy " + ba);
        assertEquals(15, model.history().size());
        assertEquals(ba, model.history().get(14).validationBalancedAccuracy(), 1e-12);
    }

    @Test
    void badInputFailsBeforeTraining() {
        TrainingConfig cfg = new TrainingConfig().epochs(1);
        assertThrows(DataException.class, () -> new SparkTrainer().train(train.drop(Columns.ROW_ID), null, cfg));
        assertThrows(SpecException.class, () -> new SparkTrainer().train(train, null, new TrainingConfig().loss("nope")));
        assertThrows(SpecException.class, () -> new SparkTrainer().train(train, null, new TrainingConfig().model("mlp(hiden=3)")));
        assertThrows(IllegalArgumentException.class, () -> new TrainingConfig().sampler("smote"));
    }
}
