package org.counterweight.losses;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Worked numbers from the papers for the CIFAR-10 ρ = 100 long-tailed profile (METHODS §6). */
class ClassProfileTest {
    static final long[] CIFAR10_LT = {5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50};

    @Test
    void ldamMarginsSpan0158To0500() {
        double[] m = ClassProfile.of(CIFAR10_LT).ldamMargins(0.5);
        assertEquals(0.158, m[0], 5e-4);
        assertEquals(0.500, m[9], 1e-12);
        // Δ ∝ n^{-1/4}: 0.5 · (50/5000)^{1/4} = 0.5 · 0.1^{1/2}.
        assertEquals(0.5 * Math.sqrt(0.1), m[0], 1e-12);
        for (int k = 1; k < m.length; k++) {
            assertTrue(m[k] > m[k - 1], "margins grow as classes shrink");
        }
    }

    @Test
    void classBalancedWeightsSpan0051To3993() {
        double[] w = ClassProfile.of(CIFAR10_LT).classBalancedWeights(0.9999);
        assertEquals(0.051, w[0], 5e-4);
        assertEquals(3.993, w[9], 5e-4);
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        assertEquals(10.0, sum, 1e-12, "normalised to sum K");
    }

    @Test
    void inverseWeightsAndPriorsByHand() {
        ClassProfile p = ClassProfile.of(new long[] {300, 100});
        // 1/300 : 1/100 = 1 : 3, normalised to sum 2 → 0.5, 1.5
        assertArrayEquals(new double[] {0.5, 1.5}, p.inverseWeights(), 1e-12);
        assertArrayEquals(new double[] {Math.log(0.75), Math.log(0.25)}, p.logPriors(), 1e-12);
        assertArrayEquals(new double[] {Math.log(300), Math.log(100)}, p.logCounts(), 1e-12);
        // β = 0 gives (1−0)/(1−0) = 1 for every class: no re-weighting.
        assertArrayEquals(new double[] {1, 1}, p.classBalancedWeights(0), 1e-12);
    }

    @Test
    void emptyOrMissingClassesAreErrorsNamingTheClass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassProfile.of(new long[] {10, 0, 3}));
        assertTrue(e.getMessage().contains("class 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassProfile.of(new long[] {10}));
        assertThrows(IllegalArgumentException.class, () -> ClassProfile.of(null));
    }
}
