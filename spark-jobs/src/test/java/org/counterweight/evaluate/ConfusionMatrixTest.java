package org.counterweight.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Recall, balanced accuracy and the minority class from counts (the parity fixtures cover real data). */
class ConfusionMatrixTest {

    @Test
    void balancedAccuracyAveragesRecallOverPresentClasses() {
        // class 2 never occurs: its recall is 0 (0/0) but it is not averaged, as scikit-learn
        ConfusionMatrix c = new ConfusionMatrix(new long[][] {{3, 1, 0}, {2, 2, 1}, {0, 0, 0}});
        assertEquals(0.75, c.recall(0));
        assertEquals(0.4, c.recall(1));
        assertEquals(0.0, c.recall(2));
        assertEquals((0.75 + 0.4) / 2, c.balancedAccuracy());
        assertEquals(Double.NaN, new ConfusionMatrix(new long[2][2]).balancedAccuracy());
    }

    @Test
    void minorityIsTheSmallestPresentClassTiesTowardsTheHighestIndex() {
        assertEquals(1, Evaluation.minorityOf(new long[] {5, 5}));
        assertEquals(0, Evaluation.minorityOf(new long[] {2, 5, 0}));
        assertEquals(2, Evaluation.minorityOf(new ConfusionMatrix(new long[][] {{4, 0, 0}, {0, 3, 0}, {1, 0, 2}})));
        assertThrows(IllegalArgumentException.class, () -> Evaluation.minorityOf(new long[] {0, 0}));
    }
}
