package org.counterweight.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.SparkTestSupport;
import org.counterweight.data.Columns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RankingAggregator}'s exact AUC and AP of every class against {@link BruteForceRanking}
 * (O(P·N) pairs, sorted step AP) on frames built to hit its corner cases: ties inside and at the
 * bucket cut points, buckets holding only positives or only negatives, all scores equal, more
 * buckets than distinct scores, one-row and empty classes, a (class, bucket) split over several
 * shuffled chunks, and seeded random data with heavy ties for K = 2 and K = 5.
 */
class RankingAggregatorTest {
    private static final double TOL = 1e-9;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.spark();
    }

    /** Five distinct scores, 70% of rows on one of them, so quantile cuts land on tied values. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 8, 64})
    void tiesInsideAndAtTheCuts(int buckets) {
        Random random = new Random(11);
        double[] values = {0.05, 0.3, 0.5, 0.7, 0.95};
        int rows = 2000;
        int[] labels = new int[rows];
        double[] scores = new double[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = random.nextDouble() < 0.2 ? 1 : 0;
            int v = random.nextDouble() < 0.7 ? 2 : random.nextInt(values.length);
            scores[i] = labels[i] == 1 && random.nextBoolean() ? values[Math.min(4, v + 1)] : values[v];
        }
        checkAgainstBruteForce(binary(labels, scores), 2, buckets, "ties, " + buckets + " buckets");
    }

    /**
     * Positives in [0.3, 1), negatives in [0, 0.7): the top buckets hold only positives, the
     * bottom ones only negatives; fully separated scores give AUC = AP = 1.
     */
    @ParameterizedTest
    @CsvSource({"0.3, 0.7", "0.6, 0.4"})
    void bucketsWithOnlyPositivesOrOnlyNegatives(double positiveFrom, double negativeTo) {
        Random random = new Random(5);
        int rows = 1500;
        int[] labels = new int[rows];
        double[] scores = new double[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = random.nextDouble() < 0.3 ? 1 : 0;
            double u = Math.floor(random.nextDouble() * 100) / 100; // ties on a 0.01 grid
            scores[i] = labels[i] == 1 ? positiveFrom + (1 - positiveFrom) * u : negativeTo * u;
        }
        List<ClassRanking> r = checkAgainstBruteForce(binary(labels, scores), 2, 10, "pure buckets");
        if (positiveFrom > negativeTo) {
            assertEquals(1.0, r.get(1).auc(), TOL);
            assertEquals(1.0, r.get(1).averagePrecision(), TOL);
        }
    }

    @Test
    void allScoresEqualGiveHalfAndThePrevalence() {
        int[] labels = IntStream.range(0, 400).map(i -> i % 4 == 0 ? 1 : 0).toArray();
        double[] scores = new double[labels.length];
        java.util.Arrays.fill(scores, 0.25);
        List<ClassRanking> r = checkAgainstBruteForce(binary(labels, scores), 2, 16, "all equal");
        assertEquals(0.5, r.get(1).auc(), TOL);
        assertEquals(0.25, r.get(1).averagePrecision(), TOL);
        assertEquals(0.75, r.get(0).averagePrecision(), TOL);
    }

    @Test
    void moreBucketsThanDistinctScores() {
        Random random = new Random(3);
        int[] labels = IntStream.range(0, 600).map(i -> random.nextInt(3) == 0 ? 1 : 0).toArray();
        double[] scores = IntStream.range(0, 600).mapToDouble(i -> (random.nextInt(3) + labels[i]) / 4.0).toArray();
        checkAgainstBruteForce(binary(labels, scores), 2, 64, "3 distinct scores, 64 buckets");
    }

    /** Classes 3 and 4 have one row each, class 2 none (NaN AUC and AP). */
    @Test
    void singleRowAndEmptyClasses() {
        Random random = new Random(9);
        int rows = 300;
        int[] labels = new int[rows];
        double[][] probs = new double[rows][5];
        for (int i = 0; i < rows; i++) {
            labels[i] = i == 7 ? 3 : i == 100 ? 4 : random.nextInt(2);
            for (int c = 0; c < 5; c++) {
                probs[i][c] = random.nextInt(6) / 5.0;
            }
        }
        List<ClassRanking> r = checkAgainstBruteForce(frame(labels, probs), 5, 4, "one-row classes");
        assertEquals(0, r.get(2).positives());
        assertEquals(Double.NaN, r.get(2).auc());
        assertEquals(1, r.get(3).positives());
    }

    /** 30,000 rows in 2 buckets: each (class, bucket, sign) arrives as several shuffled chunks. */
    @Test
    void bucketsSpanningSeveralChunks() {
        Random random = new Random(17);
        int rows = 30_000;
        int[] labels = IntStream.range(0, rows).map(i -> random.nextDouble() < 0.1 ? 1 : 0).toArray();
        double[] scores = IntStream.range(0, rows)
                .mapToDouble(i -> Math.floor((random.nextDouble() + 0.3 * labels[i]) * 500) / 500).toArray();
        checkAgainstBruteForce(binary(labels, scores), 2, 2, "several chunks");
    }

    /** Seeded random frames with heavy ties (scores on a coarse grid, some -0.0 vs 0.0). */
    @ParameterizedTest
    @CsvSource({"2, 2, 1", "2, 7, 2", "2, 64, 3", "5, 2, 4", "5, 7, 5", "5, 64, 6"})
    void randomFramesWithHeavyTies(int k, int buckets, long seed) {
        Random random = new Random(seed);
        int rows = 200 + random.nextInt(800);
        int[] labels = new int[rows];
        double[][] probs = new double[rows][k];
        for (int i = 0; i < rows; i++) {
            double u = random.nextDouble();
            labels[i] = (int) Math.floor(k * u * u); // long-tailed classes
            for (int c = 0; c < k; c++) {
                int v = random.nextInt(9) - 4 + (labels[i] == c ? 2 : 0);
                probs[i][c] = v == 0 && random.nextBoolean() ? -0.0 : v / 8.0;
            }
        }
        checkAgainstBruteForce(frame(labels, probs), k, buckets, "K=" + k + ", buckets " + buckets + ", seed " + seed);
    }

    private static List<ClassRanking> checkAgainstBruteForce(Frame f, int k, int buckets, String what) {
        long[] support = new long[k];
        for (int label : f.labels) {
            support[label]++;
        }
        int[] all = IntStream.range(0, k).toArray();
        List<ClassRanking> rankings = new RankingAggregator(k, all, buckets, Columns.LABEL)
                .rank(f.frame.repartition(3), support);
        for (int c = 0; c < k; c++) {
            int cls = c;
            double[] scores = IntStream.range(0, f.labels.length).mapToDouble(i -> f.probs[i][cls]).toArray();
            boolean[] positive = new boolean[f.labels.length];
            for (int i = 0; i < positive.length; i++) {
                positive[i] = f.labels[i] == c;
            }
            ClassRanking r = rankings.get(c);
            assertEquals(support[c], r.positives(), what + ": P of class " + c);
            assertEquals(f.labels.length - support[c], r.negatives(), what + ": N of class " + c);
            assertEquals(BruteForceRanking.auc(scores, positive), r.auc(), TOL, what + ": AUC of class " + c);
            assertEquals(BruteForceRanking.averagePrecision(scores, positive), r.averagePrecision(), TOL,
                    what + ": AP of class " + c);
        }
        return rankings;
    }

    private record Frame(Dataset<Row> frame, int[] labels, double[][] probs) {
    }

    /** prob_1 = score, prob_0 = 1 − score. */
    private static Frame binary(int[] labels, double[] scores) {
        double[][] probs = new double[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            probs[i] = new double[] {1 - scores[i], scores[i]};
        }
        return frame(labels, probs);
    }

    private static Frame frame(int[] labels, double[][] probs) {
        int k = probs[0].length;
        StructType schema = new StructType().add(Columns.LABEL, DataTypes.DoubleType, false);
        for (int c = 0; c < k; c++) {
            schema = schema.add(Columns.prob(c), DataTypes.DoubleType, false);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            Object[] values = new Object[k + 1];
            values[0] = (double) labels[i];
            for (int c = 0; c < k; c++) {
                values[c + 1] = probs[i][c];
            }
            rows.add(RowFactory.create(values));
        }
        return new Frame(spark.createDataFrame(rows, schema), labels, probs);
    }
}
