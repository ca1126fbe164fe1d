package org.counterweight.resample.knn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.data.SyntheticGenerator;
import org.counterweight.spark.SparkSessions;

/**
 * Measurement (not a test): how many NearMiss-1 queries a bounding-ball lower bound could skip.
 * The minority rows are cut into k-means cells of about {@code CELL_ROWS} rows (centre, radius);
 * a query's score (sum of its k nearest minority distances) is at least the sum of the k smallest
 * {@code max(0, ‖q − c‖ − radius)}, each cell counted once per row it holds. A query whose bound
 * exceeds the selection threshold (the t-th smallest exact score, t = minority rows, here taken
 * from the exact scores: the best any pruning scheme could know) cannot be kept and need not be
 * searched. Usage: {@code NearMissBoundProbe ROWS K CELL_ROWS...} on SUSY-shaped data.
 */
public final class NearMissBoundProbe {
    private NearMissBoundProbe() {
    }

    public static void main(String[] args) {
        long rows = Long.parseLong(args[0]);
        int k = Integer.parseInt(args[1]);
        SparkSession spark = SparkSessions.getOrCreate("nearmiss-bound-probe", "local[2]");
        List<Row> all = new SyntheticGenerator().rows(rows).features(18).classes(2).imbalanceRatio(16).seed(1)
                .generate(spark).frame().select("row_id", "features", "label").collectAsList();
        spark.stop();
        List<Row> minority = new ArrayList<>();
        List<Row> majority = new ArrayList<>();
        for (Row r : all) {
            (((Number) r.get(2)).doubleValue() == 1.0 ? minority : majority).add(r);
        }
        VectorBlock ref = VectorBlock.read(minority.iterator(), Integer.MAX_VALUE, -1);
        VectorBlock q = VectorBlock.read(majority.iterator(), Integer.MAX_VALUE, -1);
        int d = ref.d;
        double[] score = new double[q.n];
        BlockScan scan = new BlockScan(256, false);
        for (int from = 0; from < q.n; from += 1024) {
            VectorBlock qb = q.slice(from, Math.min(q.n, from + 1024));
            TopK top = new TopK(qb.n, k, NeighbourOrder.NEAREST, d, false);
            scan.scan(qb, ref, top, NeighbourOrder.NEAREST);
            for (int i = 0; i < qb.n; i++) {
                for (int j = 0; j < k; j++) {
                    score[from + i] += top.distance(i, j);
                }
            }
        }
        double[] sorted = score.clone();
        Arrays.sort(sorted);
        double threshold = sorted[ref.n - 1];
        System.out.printf("%d minority, %d majority rows, k=%d: threshold (t-th smallest score) %.4f, median score %.4f%n",
                ref.n, q.n, k, threshold, sorted[q.n / 2]);
        for (int a = 2; a < args.length; a++) {
            int cellRows = Integer.parseInt(args[a]);
            int cells = Math.max(1, ref.n / cellRows);
            int[] idx = new int[ref.n];
            Arrays.setAll(idx, i -> i);
            double[] c = KMeans.centres(ref.x, d, idx, 0, ref.n, cells, ref.n, new SplittableRandom(1));
            int m = c.length / d;
            double[] radius = new double[m];
            int[] size = new int[m];
            for (int i = 0; i < ref.n; i++) {
                int j = KMeans.nearest(c, m, ref.x, i * d, d);
                size[j]++;
                radius[j] = Math.max(radius[j], Math.sqrt(KMeans.squared(ref.x, i * d, c, j * d, d)));
            }
            long pruned = 0;
            double[] bound = new double[m];
            Integer[] order = new Integer[m];
            for (int i = 0; i < q.n; i++) {
                for (int j = 0; j < m; j++) {
                    bound[j] = Math.max(0, Math.sqrt(KMeans.squared(q.x, i * d, c, j * d, d)) - radius[j]);
                    order[j] = j;
                }
                Arrays.sort(order, (x, y) -> Double.compare(bound[x], bound[y]));
                double lower = 0;
                int need = k;
                for (int j = 0; j < m && need > 0; j++) {
                    int take = Math.min(need, size[order[j]]);
                    lower += take * bound[order[j]];
                    need -= take;
                }
                pruned += lower > threshold ? 1 : 0;
            }
            double meanRadius = Arrays.stream(radius).average().orElse(0);
            System.out.printf("cells of ~%d rows (%d cells, mean radius %.3f): %.4f of the majority rows could be skipped%n",
                    cellRows, m, meanRadius, pruned / (double) q.n);
        }
    }
}
