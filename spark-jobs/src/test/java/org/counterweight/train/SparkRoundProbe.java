package org.counterweight.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.spark.Nd4jSettings;

/**
 * Diagnostic (not a test): wall time between consecutive averaging rounds of {@link SparkTrainer}
 * in {@code local[2]} on Gaussian data, to see Spark's per-round overhead next to the fitting.
 * Run like the training benchmark (BENCHMARKS.md), main class {@code SparkRoundProbe}, arguments
 * {@code rows epochs averagingFrequency [wide]}; {@code -Dcache=0} turns the executors' minibatch
 * cache off ({@link SparkTrainer#MINIBATCH_CACHE_CONF}).
 */
public final class SparkRoundProbe {
    private static final String KRYO = "org.counterweight.spark.KryoRegistrator";

    private SparkRoundProbe() {
    }

    public static void main(String[] args) throws Exception {
        Nd4jSettings.apply();
        int rows = Integer.parseInt(args[0]);
        int epochs = Integer.parseInt(args[1]);
        int f = Integer.parseInt(args[2]);
        boolean wide = args.length > 3 && args[3].equals("wide");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("probe")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", System.getProperty("registrator", KRYO))
                .config(SparkTrainer.MINIBATCH_CACHE_CONF, System.getProperty("cache", "256m")).getOrCreate();
        int d = wide ? 64 : 36, k = wide ? 10 : 2;
        Dataset<Row> data = TrainingBenchmark.gaussian(spark, rows, d, k).cache();
        data.count();
        TrainingConfig cfg = new TrainingConfig().model(wide ? "mlp(hidden=256,256)" : "mlp(hidden=16,8)")
                .optimizer("adam(lr=0.001)").epochs(epochs)
                .batchSize(64).averagingFrequency(f).workers(2).trainMetrics(false).seed(1);
        List<Long> stamps = new ArrayList<>();
        SparkTrainer t = new SparkTrainer();
        t.onRound((e, r, p, s) -> stamps.add(System.nanoTime()));
        TrainedModel m = t.train(data, null, cfg);
        for (int e = 0; e < epochs; e++) {
            System.out.printf("epoch %d: %.3f s%n", e, m.history().get(e).seconds());
        }
        long[] gaps = new long[stamps.size() - 1];
        for (int i = 1; i < stamps.size(); i++) {
            gaps[i - 1] = stamps.get(i) - stamps.get(i - 1);
        }
        java.util.Arrays.sort(gaps);
        System.out.printf("rounds %d, median gap %.1f ms, p10 %.1f, p90 %.1f%n", stamps.size(),
                gaps[gaps.length / 2] / 1e6, gaps[gaps.length / 10] / 1e6, gaps[gaps.length * 9 / 10] / 1e6);
        spark.stop();
    }
}
