package org.counterweight.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ScoreBucket} against its brute-force twin {@link BruteForceRanking}. */
class ScoreBucketTest {
    private static final double TOL = 1e-12;

    /** One bucket holding every score: its sums are the whole AUC and AP. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void wholeRankingInOneBucketMatchesBruteForce(long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(300);
        double[] scores = new double[rows];
        boolean[] positive = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            // Few distinct values (heavy ties), -0.0 and 0.0 both present as one threshold.
            int v = random.nextInt(7) - 3;
            scores[i] = v == 0 && random.nextBoolean() ? -0.0 : v / 4.0;
            positive[i] = random.nextDouble() < 0.3;
        }
        double[] pos = normalized(BruteForceRanking.select(scores, positive, true));
        double[] neg = normalized(BruteForceRanking.select(scores, positive, false));
        ScoreBucket.Sums s = new ScoreBucket(0, pos, pos.length, neg, neg.length).sums(0, 0);
        double auc = BruteForceRanking.auc(scores, positive);
        double ap = BruteForceRanking.averagePrecision(scores, positive);
        if (pos.length > 0 && neg.length > 0) {
            assertEquals(auc, s.twiceU() / (2.0 * pos.length * neg.length), TOL, "AUC, seed " + seed);
        }
        if (pos.length > 0) {
            assertEquals(ap, s.precisionSum() / pos.length, TOL, "AP, seed " + seed);
        }
    }

    /** Offsets shift tps/fps but not U; buffers longer than the counts are ignored past the count. */
    @Test
    void offsetsAndSlackAreHonoured() {
        double[] pos = {0.5, 0.9, 0.5, 99};
        double[] neg = {0.5, 0.1, 99, 99};
        ScoreBucket b = new ScoreBucket(7, pos, 3, neg, 2);
        ScoreBucket.Sums s = b.sums(10, 20);
        // Thresholds 0.9 (1 pos), 0.5 (2 pos, 1 neg), 0.1 (1 neg).
        // 2U: 1 · (2·2 + 0) + 2 · (2·1 + 1) = 10.
        assertEquals(10, s.twiceU());
        assertEquals(1 * 11.0 / 31 + 2 * 13.0 / 34, s.precisionSum(), TOL);
        assertEquals(7, b.slot());
        assertEquals(3, b.positives());
        assertEquals(2, b.negatives());
    }

    private static double[] normalized(double[] scores) {
        for (int i = 0; i < scores.length; i++) {
            scores[i] += 0.0;
        }
        return scores;
    }
}
