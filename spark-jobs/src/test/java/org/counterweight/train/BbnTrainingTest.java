package org.counterweight.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.Columns;
import org.counterweight.data.SyntheticGenerator;
import org.counterweight.losses.BilateralLoss;
import org.counterweight.losses.layers.BilateralBranchLayer;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * BBN through the trainer (METHODS §4): paired minibatch files, training on both engines with the
 * MLP and cnn-small, the engines' agreement, the model file, and the combinations it refuses.
 */
class BbnTrainingTest {
    /** Three classes 600 : 190 : 60 (imbalance ratio 10), 16 features (a 4×4 image for cnn-small). */
    private static final int D = 16;
    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = org.counterweight.SparkTestSupport.spark();
        Dataset<Row> all = new SyntheticGenerator().rows(1000).features(D).classes(3).imbalanceRatio(10).separation(4)
                .seed(3).partitions(2).generate(spark).frame().select(Columns.FEATURES, Columns.LABEL, Columns.ROW_ID).cache();
        train = all.filter("row_id % 4 != 0").cache();
        test = all.filter("row_id % 4 = 0").cache();
    }

    private static String key(float[] x) {
        return Arrays.toString(x);
    }

    private static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    private static int argmax(float[] v, int from, int to) {
        int best = from;
        for (int j = from; j < to; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best - from;
    }

    /** Epoch {@code epoch}'s BBN minibatches dealt from the row table in {@code dir}, read whole ({@code budget} > 0) or by row. */
    private static List<DataSet> pairs(String dir, int minibatches, int epoch, long budget) {
        CachingMinibatchLoader loader = new CachingMinibatchLoader(dir, budget);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < minibatches; b++) {
            out.add(loader.load(new DealtMinibatch(dir, BilateralDraw.NAME, epoch, b).path()));
        }
        return out;
    }

    /**
     * An epoch's minibatches: every training row exactly once in a conventional half, with its
     * label in the first K label columns; under it as many reversed-sampler partners, real
     * training rows with their labels in the last K columns, the rarest class far more often than
     * its share. A table written by the executors and one read row by row give the same
     * minibatches; the next epoch draws other partners.
     */
    @Test
    void pairedMinibatchesHoldEveryRowOnceOverItsReversedPartner() {
        Map<String, Integer> labelOf = new HashMap<>();
        long[] trainCounts = new long[3];
        for (Row r : train.collectAsList()) {
            labelOf.put(key(floats(((Vector) r.get(0)).toArray())), (int) r.getDouble(1));
            trainCounts[(int) r.getDouble(1)]++;
        }
        Standardizer identity = Standardizer.identity(D);
        String driver = tmp.resolve("driver").toUri() + "/";
        String executors = tmp.resolve("executors").toUri() + "/";
        RowTableWriter.write(train, identity, 3, 5, 64, driver, true);
        RowTableWriter.write(train, identity, 3, 5, 64, executors, false);
        int n = (int) ((train.count() + 63) / 64);
        List<DataSet> files = pairs(driver, n, 0, 1L << 30);
        List<DataSet> byRow = pairs(executors, n, 0, 0);
        Map<String, Integer> seen = new HashMap<>();
        long[] partnerCounts = new long[3];
        for (int f = 0; f < n; f++) {
            DataSet ds = files.get(f);
            assertEquals(ds.getFeatures(), byRow.get(f).getFeatures());
            assertEquals(ds.getLabels(), byRow.get(f).getLabels());
            int b = (int) ds.getLabels().size(0);
            assertEquals(f < n - 1 ? 64 : train.count() % 64, b);
            assertArrayEquals(new long[] {2L * b, D}, ds.getFeatures().shape(), "conventional rows over their partners");
            assertArrayEquals(new long[] {b, 6}, ds.getLabels().shape(), "one-hot y | one-hot partner y");
            for (int i = 0; i < b; i++) {
                float[] y = ds.getLabels().getRow(i).toFloatVector();
                String conventional = key(ds.getFeatures().getRow(i).toFloatVector());
                assertEquals(labelOf.get(conventional), argmax(y, 0, 3), "label of the conventional row");
                seen.merge(conventional, 1, Integer::sum);
                String partner = key(ds.getFeatures().getRow(b + i).toFloatVector());
                assertEquals(labelOf.get(partner), argmax(y, 3, 6), "the partner is a training row with its label");
                partnerCounts[argmax(y, 3, 6)]++;
            }
        }
        assertEquals(labelOf.keySet(), seen.keySet(), "every training row in a conventional half");
        assertTrue(seen.values().stream().allMatch(c -> c == 1), "and only once");
        // P(rarest) = (1/60) / (1/600 + 1/190 + 1/60) ≈ 0.70 among partners vs 0.07 of the rows.
        assertTrue(partnerCounts[2] > 0.6 * train.count(), "partners by class " + Arrays.toString(partnerCounts)
                + ", rows by class " + Arrays.toString(trainCounts));
        assertNotEquals(pairs(driver, n, 1, 1L << 30).get(0).getFeatures(), files.get(0).getFeatures(),
                "a fresh deal and reversed draw every epoch");
    }

    private static TrainingConfig config(String model, Engine engine, int epochs) {
        return new TrainingConfig().model(model).loss("bbn").optimizer("adam(lr=0.01)").epochs(epochs).seed(7)
                .batchSize(32).averagingFrequency(5).engine(engine).trainMetrics(false);
    }

    private static double testBalancedAccuracy(TrainedModel model) {
        return Predictor.balancedAccuracy(Predictor.confusion(model.payload(), test));
    }

    /** Easy, imbalanced data: BBN is well above chance (1/3) with either model on either engine. */
    @ParameterizedTest
    @CsvSource({"'mlp(hidden=16,8)', LOCAL", "'mlp(hidden=16,8)', SPARK",
        "'cnn-small(filters=4,dense=8,height=4,width=4)', LOCAL", "'cnn-small(filters=4,dense=8,height=4,width=4)', SPARK"})
    void bbnBeatsChanceOnBothEnginesWithTheMlpAndCnnSmall(String model, Engine engine) {
        TrainedModel trained = new SparkTrainer().train(train, null, config(model, engine, 6).workDir(tmp.toUri().toString()));
        MultiLayerNetwork net = trained.network();
        int branchLayer = net.getnLayers() - 2;
        assertInstanceOf(BilateralBranchLayer.class, net.getLayerWiseConfigurations().getConf(branchLayer).getLayer());
        BilateralLoss loss = (BilateralLoss) LossStateSync.outputLoss(net);
        assertEquals(1 - (5 / 6.0) * (5 / 6.0), loss.alpha(), 1e-12, "the last epoch's α");
        double ba = testBalancedAccuracy(trained);
        assertTrue(ba > 0.5, model + " on " + engine + ": test balanced accuracy " + ba);
    }

    /**
     * One Spark worker averaging after every minibatch is plain sequential training, so it must
     * equal the local engine: DL4J's workers take the paired files whole (2b feature rows for b
     * label rows) and get α with the configuration.
     */
    @Test
    void localEngineEqualsOneSparkWorkerAveragingEveryMinibatch() {
        TrainingConfig cfg = config("mlp(hidden=16,8)", Engine.SPARK, 2).averagingFrequency(1).workers(1);
        MultiLayerNetwork viaSpark = new SparkTrainer().train(train, null, cfg.workDir(tmp.resolve("s").toUri().toString())).network();
        MultiLayerNetwork local = new SparkTrainer()
                .train(train, null, cfg.engine(Engine.LOCAL).workDir(tmp.resolve("l").toUri().toString())).network();
        double maxDiff = viaSpark.params().sub(local.params()).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-5, "max |spark - local| = " + maxDiff);
        assertEquals(2 * ((train.count() + 31) / 32), local.getIterationCount(), "one step per pair minibatch");
    }

    @Test
    void modelFileKeepsTheBranchesAndScoresAlike() throws IOException {
        TrainedModel model = new SparkTrainer().train(train, test, config("mlp(hidden=8)", Engine.LOCAL, 2)
                .workDir(tmp.toUri().toString()));
        Path file = tmp.resolve("bbn.zip");
        model.save(file);
        TrainedModel back = TrainedModel.load(file);
        assertEquals(model.network().params(), back.network().params());
        assertEquals("bbn", back.specs().get("loss"));
        assertInstanceOf(BilateralBranchLayer.class, back.network().getLayerWiseConfigurations().getConf(0).getLayer());
        assertEquals(Predictor.predict(model, test).orderBy(Columns.ROW_ID).collectAsList(),
                Predictor.predict(back, test).orderBy(Columns.ROW_ID).collectAsList());
    }

    @Test
    void bbnRefusesASamplerAndASecondStageBeforeTraining() {
        IllegalArgumentException sampler = assertThrows(IllegalArgumentException.class,
                () -> new SparkTrainer().train(train, null, config("mlp(hidden=8)", Engine.LOCAL, 1).sampler("class-balanced")));
        assertEquals("bbn pairs natural sampling with its own reversed sampler: sampler must be none, got class-balanced",
                sampler.getMessage());
        IllegalArgumentException stage2 = assertThrows(IllegalArgumentException.class,
                () -> Bbn.check("mlp(hidden=8)", "bbn", "none", "crt(epochs=1)"));
        assertEquals("bbn is a one-stage method: it cannot be followed by stage2 crt(epochs=1)", stage2.getMessage());
        Bbn.check("cnn-small", "bbn", "none", null);
        Bbn.check("mlp(hidden=4)", "ce", "sqrt", "crt"); // not BBN: nothing to check here
    }

    /** The branch layer replaces the last hidden layer only, keeping its width, activation and dropout. */
    @Test
    void theLastHiddenLayerBecomesTwoBranches() {
        List<String> layers = new ArrayList<>();
        for (var c : NetworkFactory.build("mlp(hidden=16,8,activation=tanh,dropout=0.25)", D, 3,
                LossHeads.create("bbn", new long[] {6, 3, 1}, 4), org.counterweight.updaters.OptimizerSpec.parse("adam"), 4, 1)
                .getConfs()) {
            var l = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) c.getLayer();
            layers.add(l.getClass().getSimpleName() + " " + l.getNIn() + "->" + l.getNOut() + " "
                    + l.getActivationFn() + " " + (l.getIDropout() == null ? "-" : ((Dropout) l.getIDropout()).getP()));
        }
        assertEquals(List.of("DenseLayer 16->16 tanh 0.75", "BilateralBranchLayer 16->16 tanh 0.75", "OutputLayer 16->3 softmax -"),
                layers);
    }
}
