package org.counterweight.resample.bench;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.data.ClassCounts;
import org.counterweight.data.DataReader;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.SyntheticGenerator;
import org.counterweight.resample.KnnResampler;
import org.counterweight.resample.NearMiss;
import org.counterweight.resample.knn.ApproxKnnSearch;
import org.counterweight.resample.knn.KnnMode;
import org.counterweight.resample.knn.KnnSearch;
import org.counterweight.resample.knn.NeighbourOrder;
import org.counterweight.resample.knn.NeighbourSearch;
import org.counterweight.spark.SparkSessions;

/**
 * Measurement (not a test): recall@k of {@code knn=approx} against the exact search, within each
 * class (SMOTE's search: the share of synthetic rows that lie on a segment to one of the base
 * row's exact k nearest neighbours is this recall in expectation), and how many of NearMiss-1's
 * kept rows the approximate search keeps too. From the repository root:
 *
 * <pre>
 * BENCH_JAVA_OPTS=-Xmx6g tools/bench/run-main.sh spark-jobs org.counterweight.resample.bench.KnnRecallBench
 *     [--rows 300000 | --input FILE] [--k 5] [--candidates 6144] [--nearmiss true|false] [--master local[2]]
 * </pre>
 * {@code --rows} generates SUSY-shaped data (18 features, 2 classes, imbalance ratio 16, seed 1).
 */
public final class KnnRecallBench {
    private KnnRecallBench() {
    }

    public static void main(String[] args) {
        long rows = 300_000;
        String input = null;
        int k = 5;
        int candidates = KnnResampler.DEFAULT_CANDIDATES;
        boolean nearMiss = true;
        String master = "local[2]";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows": rows = Long.parseLong(args[++i]); break;
                case "--input": input = args[++i]; break;
                case "--k": k = Integer.parseInt(args[++i]); break;
                case "--candidates": candidates = Integer.parseInt(args[++i]); break;
                case "--nearmiss": nearMiss = Boolean.parseBoolean(args[++i]); break;
                case "--master": master = args[++i]; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        SparkSession spark = SparkSessions.getOrCreate("knn-recall", master);
        LabeledFrame data = input != null ? DataReader.read(spark, input)
                : new SyntheticGenerator().rows(rows).features(18).classes(2).imbalanceRatio(16).seed(1).generate(spark);
        Dataset<Row> frame = data.frame().persist(StorageLevel.MEMORY_AND_DISK());
        Map<Integer, Long> counts = new TreeMap<>();
        for (Row r : frame.groupBy("label").count().collectAsList()) {
            counts.put((int) ((Number) r.get(0)).doubleValue(), r.getLong(1));
        }
        int d = ((org.apache.spark.ml.linalg.Vector) frame.select("features").first().get(0)).size();
        System.out.println("data: " + data.source() + ", " + ClassCounts.describe(data.withFrame(frame).classCounts(),
                data.labels()) + ", " + d + " features; k=" + k + ", candidates=" + candidates);
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            long n = e.getValue();
            if (n <= k) {
                continue;
            }
            Dataset<Row> rowsOfClass = frame.filter(functions.col("label").equalTo(e.getKey()))
                    .select("row_id", "features").persist(StorageLevel.MEMORY_AND_DISK());
            rowsOfClass.count();
            NeighbourSearch exact = new KnnSearch(k, NeighbourOrder.NEAREST, true, false, 1L << 30, 1024);
            NeighbourSearch approx = new ApproxKnnSearch(k, NeighbourOrder.NEAREST, true, false, 1L << 30, candidates, 1);
            long[] te = new long[2];
            Map<Long, List<Long>> ex = timed(() -> neighbours(exact.search(rowsOfClass, rowsOfClass, n, n, d)), te);
            long[] ta = new long[2];
            Map<Long, List<Long>> ap = timed(() -> neighbours(approx.search(rowsOfClass, rowsOfClass, n, n, d)), ta);
            long hits = 0;
            for (Map.Entry<Long, List<Long>> q : ex.entrySet()) {
                List<Long> got = ap.get(q.getKey());
                hits += q.getValue().stream().filter(got::contains).count();
            }
            System.out.printf("class %d (%d rows): recall@%d %.4f; exact %.1f s wall / %.1f s CPU, approx %.1f s / %.1f s;"
                    + " approx/exact %.2f wall / %.2f CPU%n", e.getKey(), n, k, hits / (double) (k * ex.size()), te[0] / 1e9,
                    te[1] / 1e9, ta[0] / 1e9, ta[1] / 1e9, ta[0] / (double) te[0], ta[1] / (double) te[1]);
            rowsOfClass.unpersist();
        }
        if (nearMiss) {
            long[] te = new long[2];
            Set<Long> ex = timed(() -> kept(new NearMiss().setVersion(1).setKnn(KnnMode.EXACT), frame), te);
            long[] ta = new long[2];
            int c = candidates;
            Set<Long> ap = timed(() -> kept(new NearMiss().setVersion(1).setKnn(KnnMode.APPROX).setKnnCandidates(c),
                    frame), ta);
            Set<Long> both = new HashSet<>(ex);
            both.retainAll(ap);
            System.out.printf("nearmiss-1: %d rows kept, %.4f of them also by approx; exact %.1f s wall / %.1f s CPU,"
                    + " approx %.1f s / %.1f s; approx/exact %.2f wall / %.2f CPU%n", ex.size(),
                    both.size() / (double) ex.size(), te[0] / 1e9, te[1] / 1e9, ta[0] / 1e9, ta[1] / 1e9,
                    ta[0] / (double) te[0], ta[1] / (double) te[1]);
        }
        spark.stop();
    }

    private static Map<Long, List<Long>> neighbours(Dataset<Row> result) {
        Map<Long, List<Long>> out = new TreeMap<>();
        for (Row r : result.collectAsList()) {
            out.put(r.getLong(0), r.getList(1));
        }
        return out;
    }

    private static Set<Long> kept(KnnResampler r, Dataset<Row> frame) {
        Set<Long> out = new HashSet<>();
        for (Row row : r.resample(frame).select("row_id").collectAsList()) {
            out.add(row.getLong(0));
        }
        return out;
    }

    /** Runs {@code f}; {@code t} gets wall and process CPU nanoseconds. */
    private static <T> T timed(java.util.function.Supplier<T> f, long[] t) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long w0 = System.nanoTime();
        long c0 = os.getProcessCpuTime();
        T out = f.get();
        t[0] = System.nanoTime() - w0;
        t[1] = os.getProcessCpuTime() - c0;
        return out;
    }
}
