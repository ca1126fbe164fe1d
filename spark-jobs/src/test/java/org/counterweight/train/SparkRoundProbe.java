package org.counterweight.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.dl4j.Dl4jRuntime;

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
        Dl4jRuntime.ensureConfigured();
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
        RoundTimeline timeline = new RoundTimeline();
        spark.sparkContext().addSparkListener(timeline);
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
        timeline.print(stamps.size() / 2);
        spark.stop();
    }

    /**
     * Where a round's wall time goes, from Spark's listener events of the two-task jobs (the
     * rounds): driver gap between jobs, job start to first task launch, task run and
     * deserialisation, last task end to job end. Medians over the later half of the rounds.
     */
    private static final class RoundTimeline extends org.apache.spark.scheduler.SparkListener {
        private final List<long[]> jobs = new ArrayList<>(); // start, end, firstLaunch, lastFinish, run, deser
        private final java.util.Map<Integer, long[]> byStage = new java.util.HashMap<>();
        private final java.util.Map<Integer, long[]> byJob = new java.util.HashMap<>();

        @Override
        public synchronized void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
            long[] j = {e.time(), 0, Long.MAX_VALUE, 0, 0, 0, 0};
            byJob.put(e.jobId(), j);
            scala.collection.Iterator<Object> it = e.stageIds().iterator();
            while (it.hasNext()) {
                byStage.put((Integer) it.next(), j);
            }
        }

        @Override
        public synchronized void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
            long[] j = byStage.get(e.stageId());
            if (j == null || e.taskMetrics() == null) {
                return;
            }
            j[2] = Math.min(j[2], e.taskInfo().launchTime());
            j[3] = Math.max(j[3], e.taskInfo().finishTime());
            j[4] = Math.max(j[4], e.taskMetrics().executorRunTime());
            j[5] = Math.max(j[5], e.taskMetrics().executorDeserializeTime());
            j[6]++;
        }

        @Override
        public synchronized void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd e) {
            long[] j = byJob.get(e.jobId());
            j[1] = e.time();
            jobs.add(j);
        }

        synchronized void print(int skipRounds) {
            List<long[]> rounds = new ArrayList<>();
            for (long[] j : jobs) {
                if (j[6] == 2) {
                    rounds.add(j);
                }
            }
            rounds = rounds.subList(Math.min(skipRounds, rounds.size()), rounds.size());
            long[][] cols = new long[6][rounds.size()];
            for (int i = 1; i < rounds.size(); i++) {
                long[] j = rounds.get(i);
                cols[0][i] = j[0] - rounds.get(i - 1)[1];
                cols[1][i] = j[2] - j[0];
                cols[2][i] = j[4];
                cols[3][i] = j[5];
                cols[4][i] = j[3] - j[2];
                cols[5][i] = j[1] - j[3];
            }
            String[] names = {"driver gap", "job start→launch", "task run (max)", "task deser (max)", "launch→last finish",
                "last finish→job end"};
            for (int c = 0; c < cols.length; c++) {
                long[] v = java.util.Arrays.copyOfRange(cols[c], 1, cols[c].length);
                java.util.Arrays.sort(v);
                System.out.printf("%-22s median %d ms (p10 %d, p90 %d)%n", names[c], v[v.length / 2], v[v.length / 10],
                        v[v.length * 9 / 10]);
            }
        }
    }
}
