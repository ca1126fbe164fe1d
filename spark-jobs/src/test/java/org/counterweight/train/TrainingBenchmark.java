package org.counterweight.train;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.counterweight.dl4j.Dl4jRuntime;
import org.counterweight.updaters.OptimizerSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training throughput (examples/s) in one run: Spark {@code local[2]} parameter averaging at
 * averaging frequencies 1, 5 and 20 vs a single-JVM {@code MultiLayerNetwork.fit} vs PyTorch on
 * CPU (tools/bench/torch_mlp.py, best of 1 and 2 threads), for the FAL paper's MLP
 * (36→16→8→2) and a wide one (64→256→256→10). Same minibatch size (64) and optimizer
 * (Adam, lr 1e-3) everywhere; every rate is the best of two runs, interleaved (single-process
 * baselines, Spark, baselines, Spark); the first epoch is warm-up (it includes Spark's minibatch export,
 * reported separately) and the rate is measured over the remaining epochs.
 *
 * <p>With {@code shuffle} as the first argument it measures instead what dealing the rows into new
 * minibatches every epoch ({@code shuffle=epoch}) costs against fixed minibatches
 * ({@code shuffle=once}), in the same run, for both engines and both networks.
 *
 * <p>Run (from the repository root, see BENCHMARKS.md for the exact command):
 * {@code java <jdk17 opens> -cp <test classpath> org.counterweight.train.TrainingBenchmark [shuffle] [rows] [epochs]}
 * with {@code OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive} (tools/bench/run-training-bench.sh). The
 * pipeline's {@link Dl4jRuntime} settings are applied first, as the CLI does.
 */
public final class TrainingBenchmark {
    private static final int BATCH = 64;

    private TrainingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean shuffleCost = args.length > 0 && args[0].equals("shuffle");
        if (shuffleCost) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // The pipeline's per-JVM ND4J settings (the CLI and SparkSessions apply them the same way).
        boolean javaCppCheckOff = Dl4jRuntime.ensureConfigured();
        out(String.format("settings: JavaCPP maxPhysicalBytes=0 %s, OMP_NUM_THREADS=%s, OMP_WAIT_POLICY=%s, load average %.1f",
                javaCppCheckOff ? "yes" : "no", System.getenv("OMP_NUM_THREADS"), System.getenv("OMP_WAIT_POLICY"),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        SparkSession spark = SparkSession.builder().master("local[2]").appName("training-benchmark")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", "org.counterweight.spark.KryoRegistrator").getOrCreate();
        if (shuffleCost) {
            out(String.format("shuffle cost, %d rows, %d epochs: examples/s over epochs 2..%d and first epoch in s (wall), "
                    + "process CPU s per whole run; each the best of 2, interleaved", rows, epochs, epochs));
            out("| network | engine | once | epoch | epoch / once | 1st epoch once | 1st epoch epoch | CPU s once | CPU s epoch "
                    + "| CPU epoch / once | load avg at end |");
            out("|---|---|---|---|---|---|---|---|---|---|---|");
            shuffleCost(spark, "36→16→8→2", 36, "mlp(hidden=16,8)", 2, rows, epochs);
            shuffleCost(spark, "64→256→256→10", 64, "mlp(hidden=256,256)", 10, rows, epochs);
            spark.stop();
            return;
        }
        out("| network | single JVM DL4J | Spark f=1 | Spark f=5 | Spark f=20 | PyTorch (1 thr / 2 thr) | Spark f=5 / JVM | Spark f=20 / JVM | JVM / PyTorch "
                + "| per CPU-second: JVM / PyTorch 1 thr / 2 thr | JVM / PyTorch (CPU) | Spark 1st epoch (f=5, with export) | load avg at end |");
        out("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        bench(spark, "36→16→8→2", 36, new int[] {16, 8}, 2, rows, epochs);
        bench(spark, "64→256→256→10", 64, new int[] {256, 256}, 10, rows, epochs);
        spark.stop();
    }

    private static void bench(SparkSession spark, String name, int d, int[] hidden, int k, int rows, int epochs)
            throws Exception {
        Dataset<Row> data = gaussian(spark, rows, d, k).cache();
        data.count();
        String model = "mlp(hidden=" + hidden[0] + (hidden.length > 1 ? "," + hidden[1] : "") + ")";
        // Every rate is the best of two runs, interleaved (baselines, Spark, baselines, Spark), so
        // a load spike on the shared machine does not decide a ratio.
        double[] jvm = singleJvm(model, d, k, rows, epochs);
        double[] t1 = torch(d, hidden, k, rows, epochs, 1);
        double[] t2 = torch(d, hidden, k, rows, epochs, 2);
        double[] sparkRates = spark(data, model, rows, epochs);
        jvm = best(jvm, singleJvm(model, d, k, rows, epochs));
        t1 = best(t1, torch(d, hidden, k, rows, epochs, 1));
        t2 = best(t2, torch(d, hidden, k, rows, epochs, 2));
        double[] again = spark(data, model, rows, epochs);
        for (int i = 0; i < sparkRates.length; i++) {
            sparkRates[i] = Math.max(sparkRates[i], again[i]);
        }
        double firstEpoch = sparkRates[3];
        out(String.format("| %s | %.0f | %.0f | %.0f | %.0f | %.0f / %.0f | %.2f | %.2f | %.2f | %.0f / %.0f / %.0f | %.2f | %.0f | %.1f |",
                name, jvm[0], sparkRates[0], sparkRates[1], sparkRates[2], t1[0], t2[0], sparkRates[1] / jvm[0], sparkRates[2] / jvm[0],
                jvm[0] / Math.max(t1[0], t2[0]), jvm[1], t1[1], t2[1], jvm[1] / Math.max(t1[1], t2[1]), firstEpoch,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        data.unpersist();
    }

    /**
     * Spark examples/s at averaging frequencies 1, 5, 20 over epochs 2..E, then the first epoch's
     * rate at f = 5 (it includes the minibatch export).
     */
    private static double[] spark(Dataset<Row> data, String model, int rows, int epochs) {
        double[] rates = new double[4];
        int[] freqs = {1, 5, 20};
        for (int i = 0; i < freqs.length; i++) {
            TrainingConfig cfg = new TrainingConfig().model(model).optimizer("adam(lr=0.001)").epochs(epochs)
                    .batchSize(BATCH).averagingFrequency(freqs[i]).workers(2).trainMetrics(false).seed(1);
            TrainedModel m = new SparkTrainer().train(data, null, cfg);
            double secs = 0;
            for (int e = 1; e < epochs; e++) {
                secs += m.history().get(e).seconds();
            }
            rates[i] = (double) rows * (epochs - 1) / secs;
            if (freqs[i] == 5) {
                rates[3] = rows / m.history().get(0).seconds();
            }
        }
        return rates;
    }

    /**
     * One network's rate with {@code shuffle=once} and {@code shuffle=epoch}, per engine (Spark:
     * 2 workers, f = 20), each the best of two runs in the order once, epoch, once, epoch: wall
     * examples/s after the first epoch, the first epoch's wall time (the export or the row table),
     * and the process CPU time of the whole run (less sensitive to other processes than wall time).
     */
    private static void shuffleCost(SparkSession spark, String name, int d, String model, int k, int rows, int epochs)
            throws Exception {
        Dataset<Row> data = gaussian(spark, rows, d, k).cache();
        data.count();
        for (Engine engine : Engine.values()) {
            double[][] best = new double[2][3]; // [once, epoch][best rate, shortest first epoch (s), least CPU (s)]
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            for (int rep = 0; rep < 2; rep++) {
                for (int m = 0; m < 2; m++) {
                    TrainingConfig cfg = new TrainingConfig().model(model).optimizer("adam(lr=0.001)").epochs(epochs)
                            .batchSize(BATCH).averagingFrequency(20).workers(2).engine(engine).trainMetrics(false).seed(1)
                            .shuffle(m == 0 ? "once" : "epoch");
                    long cpu0 = os.getProcessCpuTime();
                    TrainedModel trained = new SparkTrainer().train(data, null, cfg);
                    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                    double secs = 0;
                    for (int e = 1; e < epochs; e++) {
                        secs += trained.history().get(e).seconds();
                    }
                    double rate = (double) rows * (epochs - 1) / secs;
                    double first = trained.history().get(0).seconds();
                    best[m][0] = rep == 0 ? rate : Math.max(best[m][0], rate);
                    best[m][1] = rep == 0 ? first : Math.min(best[m][1], first);
                    best[m][2] = rep == 0 ? cpu : Math.min(best[m][2], cpu);
                }
            }
            out(String.format("| %s | %s | %.0f | %.0f | %.2f | %.2f | %.2f | %.1f | %.1f | %.2f | %.1f |", name, engine, best[0][0],
                    best[1][0], best[1][0] / best[0][0], best[0][1], best[1][1], best[0][2], best[1][2], best[1][2] / best[0][2],
                    os.getSystemLoadAverage()));
        }
        data.unpersist();
    }

    /** Prints a result line and appends it to spark-jobs/target/training-bench.md (survives noisy consoles). */
    private static void out(String line) throws java.io.IOException {
        System.out.println(line);
        java.nio.file.Files.writeString(java.nio.file.Path.of("spark-jobs/target/training-bench.md"), line + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    static Dataset<Row> gaussian(SparkSession spark, int rows, int d, int k) {
        Random rnd = new Random(1);
        double[][] centers = new double[k][d];
        for (double[] c : centers) {
            for (int j = 0; j < d; j++) {
                c[j] = rnd.nextGaussian() * 2;
            }
        }
        List<Row> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            int y = rnd.nextInt(k);
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = centers[y][j] + rnd.nextGaussian();
            }
            out.add(RowFactory.create(Vectors.dense(x), (double) y, (long) i));
        }
        return spark.createDataFrame(out, TrainFixtures.SCHEMA).repartition(2);
    }

    /** Element-wise best of two (examples/s, examples per CPU-second) measurements. */
    private static double[] best(double[] a, double[] b) {
        return new double[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])};
    }

    /**
     * Plain MultiLayerNetwork.fit on in-memory minibatches of the same network: examples per
     * wall-clock second and per second of the JVM's CPU time (all threads: GC and JIT included).
     */
    private static double[] singleJvm(String model, int d, int k, int rows, int epochs) {
        long[] counts = new long[k];
        java.util.Arrays.fill(counts, rows / k);
        MultiLayerNetwork net = new MultiLayerNetwork(NetworkFactory.build(model, d, k, LossHeads.create("ce", counts, epochs),
                OptimizerSpec.parse("adam(lr=0.001)"), epochs, 1));
        net.init();
        List<DataSet> batches = new ArrayList<>();
        Random rnd = new Random(2);
        for (int i = 0; i < rows; i += BATCH) {
            int b = Math.min(BATCH, rows - i);
            float[] y = new float[b * k];
            for (int r = 0; r < b; r++) {
                y[r * k + rnd.nextInt(k)] = 1f;
            }
            batches.add(new DataSet(Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, b, d), Nd4j.create(y, new long[] {b, k})));
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double secs = 0;
        double cpu = 0;
        for (int e = 0; e < epochs; e++) {
            long t0 = System.nanoTime();
            long c0 = os.getProcessCpuTime();
            for (DataSet ds : batches) {
                net.fit(ds);
            }
            if (e > 0) {
                secs += (System.nanoTime() - t0) / 1e9;
                cpu += (os.getProcessCpuTime() - c0) / 1e9;
            }
        }
        return new double[] {(double) rows * (epochs - 1) / secs, (double) rows * (epochs - 1) / cpu};
    }

    /** PyTorch's (examples/s, examples per CPU-second). */
    private static double[] torch(int d, int[] hidden, int k, int rows, int epochs, int threads) throws Exception {
        StringBuilder h = new StringBuilder();
        for (int v : hidden) {
            h.append(h.length() == 0 ? "" : ",").append(v);
        }
        Process p = new ProcessBuilder("/usr/bin/python3", "tools/bench/torch_mlp.py", "--features", "" + d, "--hidden", h.toString(),
                "--classes", "" + k, "--rows", "" + rows, "--batch", "" + BATCH, "--epochs", "" + epochs, "--threads", "" + threads)
                .redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                last = line;
            }
        }
        if (p.waitFor() != 0 || last == null || !last.matches("examples_per_second=\\S+ examples_per_cpu_second=\\S+")) {
            throw new IllegalStateException("PyTorch baseline failed: " + last);
        }
        String[] f = last.split(" ");
        return new double[] {Double.parseDouble(f[0].substring(f[0].indexOf('=') + 1)),
            Double.parseDouble(f[1].substring(f[1].indexOf('=') + 1))};
    }
}
