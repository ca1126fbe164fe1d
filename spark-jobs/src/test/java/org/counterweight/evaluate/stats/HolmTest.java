package org.counterweight.evaluate.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Holm's step-down correction against hand-worked families and against the Python transcription in
 * {@code tools/fixtures/evaluate/make_wilcoxon_holm_fixtures.py} (holm.csv).
 */
class HolmTest {

    /**
     * p = 0.01, 0.04, 0.03, 0.005 at α = 0.05 (m = 4). Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03,
     * 0.03·2 = 0.06, 0.04·1 = 0.04 → running max 0.06. Step-down: 0.005 ≤ 0.05/4, 0.01 ≤ 0.05/3,
     * 0.03 > 0.05/2 stops: the first two are rejected.
     */
    @Test
    void handWorkedFamily() {
        Holm.Result r = Holm.correct(new double[] {0.01, 0.04, 0.03, 0.005}, 0.05);
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, r.adjusted(), 1e-15);
        assertArrayEquals(new boolean[] {true, false, false, true}, r.rejected());
    }

    /**
     * p = 0.01, 0.02, 0.03 at α = 0.05: 0.01·3 = 0.03, 0.02·2 = 0.04, 0.03·1 → 0.04; all rejected,
     * where Bonferroni (p·3 ≤ 0.05) rejects only the first.
     */
    @Test
    void stepDownRejectsMoreThanBonferroni() {
        Holm.Result r = Holm.correct(new double[] {0.02, 0.03, 0.01}, 0.05);
        assertArrayEquals(new double[] {0.04, 0.04, 0.03}, r.adjusted(), 1e-15);
        assertArrayEquals(new boolean[] {true, true, true}, r.rejected());
    }

    /** Equal p-values get equal adjusted values (0.04·2 = 0.08 for both); products above 1 are capped. */
    @Test
    void tiesAndCap() {
        Holm.Result r = Holm.correct(new double[] {0.04, 0.04, 0.01}, 0.05);
        assertArrayEquals(new double[] {0.08, 0.08, 0.03}, r.adjusted(), 1e-15);
        assertArrayEquals(new boolean[] {false, false, true}, r.rejected());
        Holm.Result capped = Holm.correct(new double[] {0.5, 0.9, 0.6}, 0.05);
        assertArrayEquals(new double[] {1, 1, 1}, capped.adjusted());
        assertArrayEquals(new double[] {0.3}, Holm.correct(new double[] {0.3}, 0.05).adjusted(), "one hypothesis: p");
        assertEquals(0, Holm.correct(new double[0], 0.05).adjusted().length);
    }

    @Test
    void rejectsInvalidInput() {
        assertThrows(IllegalArgumentException.class, () -> Holm.correct(new double[] {0.1, Double.NaN}, 0.05));
        assertThrows(IllegalArgumentException.class, () -> Holm.correct(new double[] {1.2}, 0.05));
        assertThrows(IllegalArgumentException.class, () -> Holm.correct(new double[] {0.1}, 0));
    }

    @Test
    void matchesPythonReference() {
        int rows = 0;
        for (String[] r : StatsFixtures.rows("holm.csv")) {
            Holm.Result res = Holm.correct(StatsFixtures.numbers(r[0]), Double.parseDouble(r[1]));
            assertArrayEquals(StatsFixtures.numbers(r[2]), res.adjusted(), 1e-15, r[0]);
            String[] expected = r[3].split(" ");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Boolean.parseBoolean(expected[i]), res.rejected()[i], r[0] + " #" + i);
            }
            rows++;
        }
        assertEquals(22, rows);
    }
}
