package org.counterweight.resample.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.data.ClassCounts;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.SyntheticGenerator;
import org.counterweight.resample.ResampleMethod;
import org.counterweight.resample.Resampler;
import org.counterweight.resample.knn.BlockScan;
import org.counterweight.resample.knn.DistanceKernel;
import org.counterweight.resample.knn.NeighbourOrder;
import org.counterweight.resample.knn.TopK;
import org.counterweight.resample.knn.VectorBlock;
import org.counterweight.spark.SparkSessions;

/**
 * Benchmark (not a test; in the test sources to stay out of the product jar): Counterweight's
 * resamplers against imbalanced-learn on the same SUSY-shaped data (18 features, imbalance ratio
 * 16, {@link SyntheticGenerator}) in the same run. From the repository root:
 *
 * <pre>
 * BENCH_JAVA_OPTS=-Xmx8g tools/bench/run-main.sh spark-jobs org.counterweight.resample.bench.ResampleBench
 *     [--master local[2]] [--rows 1000000]
 *     [--method smote|nearmiss-1|nearmiss-2|nearmiss-3|random-over|random-under] [--imblearn true|false]
 *     [--work DIR]                         (the imbalanced-learn side runs smote and nearmiss-v only)
 * tools/bench/run-main.sh spark-jobs org.counterweight.resample.bench.ResampleBench --kernel   (GEMM peak and kernel GFLOP/s)
 * </pre>
 * The Counterweight time is end to end from the cached input frame to every output row computed
 * (a {@code noop} write); imbalanced-learn's is {@code fit_resample} on in-memory arrays
 * (tools/bench/resample/imblearn_time.py, run as a subprocess after the Spark run).
 */
public final class ResampleBench {
    private ResampleBench() {
    }

    public static void main(String[] args) throws Exception {
        String master = "local[2]";
        long rows = 1_000_000;
        String method = "smote";
        boolean imblearn = true;
        boolean kernel = false;
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "cw-resample-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--master": master = args[++i]; break;
                case "--rows": rows = Long.parseLong(args[++i]); break;
                case "--method": method = args[++i]; break;
                case "--imblearn": imblearn = Boolean.parseBoolean(args[++i]); break;
                case "--work": work = Path.of(args[++i]); break;
                case "--kernel": kernel = true; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (kernel) {
            kernel();
            return;
        }
        SparkSession spark = SparkSessions.getOrCreate("resample-bench", master);
        LabeledFrame data = new SyntheticGenerator().rows(rows).features(18).classes(2).imbalanceRatio(16).seed(1)
                .generate(spark);
        Dataset<Row> frame = data.frame().persist(StorageLevel.MEMORY_AND_DISK());
        System.out.println("data: " + rows + " rows, classes " + ClassCounts.describe(data.withFrame(frame).classCounts(),
                data.labels()) + ", BLAS " + DistanceKernel.blasName());

        spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted e) {
                org.apache.spark.scheduler.StageInfo s = e.stageInfo();
                System.out.printf(Locale.ROOT, "  stage %d %-40s tasks %3d  wall %6.1f s  task cpu %6.1f s%n", s.stageId(),
                        s.name(), s.numTasks(), (Long) s.completionTime().get() / 1e3 - (Long) s.submissionTime().get() / 1e3,
                        s.taskMetrics().executorCpuTime() / 1e9);
            }
        });
        Resampler r = method.startsWith("nearmiss-")
                ? ResampleMethod.fromSpec("nearmiss(version=" + method.substring(9) + ")")
                : ResampleMethod.fromSpec(method);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long t0 = System.nanoTime();
        long c0 = os.getProcessCpuTime();
        Dataset<Row> out = r.resample(frame);
        out.write().format("noop").mode("overwrite").save();
        double cw = (System.nanoTime() - t0) / 1e9;
        double cwCpu = (os.getProcessCpuTime() - c0) / 1e9;
        System.out.printf(Locale.ROOT, "counterweight %s %s: %.1f s wall, %.1f s CPU (whole JVM)%n", method, master, cw, cwCpu);
        if (!imblearn) {
            return;
        }
        exportArrays(frame, work, 18);
        frame.unpersist();
        spark.stop();
        Process p = new ProcessBuilder("/usr/bin/python3", "tools/bench/resample/imblearn_time.py", work.toString(), method)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("imbalanced-learn run failed");
        }
        double il = Double.parseDouble(json.replaceAll(".*\"seconds\": ([0-9.eE+-]+),.*", "$1"));
        double ilCpu = Double.parseDouble(json.replaceAll(".*\"cpu_seconds\": ([0-9.eE+-]+),.*", "$1"));
        System.out.printf(Locale.ROOT, "imbalanced-learn %s: %s%n", method, json);
        System.out.printf(Locale.ROOT, "RESULT rows=%d method=%s master=%s wall: counterweight=%.1fs imblearn=%.1fs ratio=%.3f;"
                + " cpu: counterweight=%.1fs imblearn=%.1fs ratio=%.3f; load=%.1f%n", rows, method, master, cw, il, cw / il,
                cwCpu, ilCpu, cwCpu / ilCpu, os.getSystemLoadAverage());
    }

    /** Writes features and labels in row-id order as raw little-endian arrays for numpy. */
    private static void exportArrays(Dataset<Row> frame, Path dir, int d) throws IOException {
        Files.createDirectories(dir);
        long n = 0;
        ByteBuffer xb = ByteBuffer.allocate(8 * d).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer yb = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream x = new BufferedOutputStream(Files.newOutputStream(dir.resolve("X.f64")), 1 << 20);
             OutputStream y = new BufferedOutputStream(Files.newOutputStream(dir.resolve("y.i32")), 1 << 16)) {
            Iterator<Row> it = frame.select("features", "label").orderBy(frame.col("row_id")).toLocalIterator();
            while (it.hasNext()) {
                Row r = it.next();
                xb.clear();
                for (double v : ((Vector) r.get(0)).toArray()) {
                    xb.putDouble(v);
                }
                x.write(xb.array());
                yb.clear();
                yb.putInt((int) r.getDouble(1));
                y.write(yb.array());
                n++;
            }
        }
        Files.writeString(dir.resolve("shape.txt"), n + " " + d);
    }

    /** Thread CPU time: the kernel probe runs on one thread (OMP_NUM_THREADS=1), and a busy machine inflates wall time. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * Single-thread GEMM peaks (square n = 2048, double and single precision, through the same
     * BLAS binding) against the distance kernel on SMOTE's shape (d = 18): a block of 1024
     * queries scanned against 60,000 references keeping the 5 nearest, counted as 2·d flops per
     * pair (the GEMM's share; the kernel's GEMM is single precision). Times are thread CPU time (one
     * thread does the work), so that a busy machine inflates them less than wall time.
     */
    private static void kernel() {
        int n = 2048;
        Random rnd = new Random(1);
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        double[] c = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian();
            b[i] = rnd.nextGaussian();
        }
        dev.ludovic.netlib.blas.BLAS blas = dev.ludovic.netlib.blas.BLAS.getInstance();
        float[] af = new float[n * n];
        float[] bf = new float[n * n];
        float[] cf = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            af[i] = (float) a[i];
            bf[i] = (float) b[i];
        }
        double best = Double.MAX_VALUE;
        double bestF = Double.MAX_VALUE;
        for (int rep = 0; rep < 4; rep++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            blas.dgemm("N", "N", n, n, n, 1.0, a, n, b, n, 0.0, c, n);
            long t1 = CPU.getCurrentThreadCpuTime();
            blas.sgemm("N", "N", n, n, n, 1.0f, af, n, bf, n, 0.0f, cf, n);
            best = Math.min(best, (t1 - t0) / 1e9);
            bestF = Math.min(bestF, (CPU.getCurrentThreadCpuTime() - t1) / 1e9);
        }
        double dpeak = 2.0 * n * n * n / best / 1e9;
        double peak = 2.0 * n * n * n / bestF / 1e9;
        System.out.printf(Locale.ROOT, "GEMM %dx%dx%d (%s, OMP_NUM_THREADS=%s): DGEMM %.1f GFLOP/s, SGEMM %.1f GFLOP/s%n",
                n, n, n, DistanceKernel.blasName(), System.getenv("OMP_NUM_THREADS"), dpeak, peak);

        int d = 18;
        int nq = 1024;
        int nr = 60_000;
        VectorBlock q = block(nq, d, rnd, 0);
        VectorBlock r = block(nr, d, rnd, 1_000_000);
        for (int cols : new int[] {256, 1024, 4096}) {
            BlockScan scan = new BlockScan(cols, true);
            double t = Double.MAX_VALUE;
            for (int rep = 0; rep < 3; rep++) {
                TopK top = new TopK(nq, 5, NeighbourOrder.NEAREST, d, true);
                long t0 = CPU.getCurrentThreadCpuTime();
                scan.scan(q, r, top, NeighbourOrder.NEAREST);
                t = Math.min(t, (CPU.getCurrentThreadCpuTime() - t0) / 1e9);
            }
            double pairs = (double) nq * nr;
            System.out.printf(Locale.ROOT, "kernel d=%d block %dx%d: %.2f ns/pair, %.1f GFLOP/s (%.0f%% of SGEMM peak)%n",
                    d, nq, cols, t / pairs * 1e9, 2.0 * d * pairs / t / 1e9, 100 * 2.0 * d * pairs / t / 1e9 / peak);
        }
    }

    private static VectorBlock block(int n, int d, Random rnd, long firstId) {
        long[] ids = new long[n];
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            ids[i] = firstId + i;
            for (int t = 0; t < d; t++) {
                x[i * d + t] = rnd.nextGaussian();
            }
        }
        return new VectorBlock(ids, x, d);
    }
}
