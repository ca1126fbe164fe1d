package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.resample.knn.KnnMode;
import org.junit.jupiter.api.Test;

/**
 * The shared {@code knn} params of SMOTE and NearMiss: what {@code auto} chooses, that the choice
 * is the search that runs (same rows as forcing it), and the params' errors.
 */
class KnnChoiceTest {

    @Test
    void autoIsExactUpToTheThresholdAndApproximateAbove() {
        assertEquals(KnnMode.EXACT, KnnMode.AUTO.resolve(100_000, 100_000, 10_000_000_000L, 4096));
        assertEquals(KnnMode.APPROX, KnnMode.AUTO.resolve(100_001, 100_000, 10_000_000_000L, 4096));
        // a reference side under 4 x candidates stays exact whatever the pairs: approx would skip too little
        assertEquals(KnnMode.EXACT, KnnMode.AUTO.resolve(10_000_000, 16_383, 0, 4096));
        assertEquals(KnnMode.APPROX, KnnMode.AUTO.resolve(10_000_000, 16_384, 0, 4096));
        assertEquals(KnnMode.APPROX, KnnMode.APPROX.resolve(1, 1, Long.MAX_VALUE, 4096));
        assertEquals(KnnMode.EXACT, KnnMode.EXACT.resolve(Long.MAX_VALUE, 1L << 40, 0, 1));
        assertEquals(KnnMode.APPROX, KnnMode.parse(" Approx "));
        assertEquals("knn must be exact, approx or auto, got 'fast'",
                assertThrows(IllegalArgumentException.class, () -> KnnMode.parse("fast")).getMessage());
    }

    /** Rows of {@code r} on the two-blob data (class 1: 300 rows, class 0: 600), sorted by id. */
    private static List<String> run(KnnResampler r) {
        Dataset<Row> data = SparkForTests.blobs(new int[] {600, 300}, 6, 4);
        return SparkForTests.canonical(r.resample(data));
    }

    private static void theChoiceIsTheSearchThatRuns(Supplier<KnnResampler> method) {
        List<String> exact = run(method.get().setKnn(KnnMode.EXACT));
        // 8 candidates: far from exact on 300 rows; 300 >= 4 x 8, so auto may choose approx
        List<String> approx = run(method.get().setKnn(KnnMode.APPROX).setKnnCandidates(8));
        assertNotEquals(exact, approx, "the approximate search differs from the exact one at this budget");
        assertEquals(exact, run(method.get().setKnnCandidates(8)), "auto below the default threshold: exact");
        assertEquals(approx, run(method.get().setKnnCandidates(8).setKnnExactMaxPairs(0)),
                "auto above a lowered threshold: approx");
    }

    @Test
    void smoteRunsTheChosenSearch() {
        theChoiceIsTheSearchThatRuns(() -> (KnnResampler) new Smote().setKNeighbors(3).setSeed(2));
    }

    @Test
    void nearMissRunsTheChosenSearch() {
        theChoiceIsTheSearchThatRuns(() -> new NearMiss().setVersion(1));
    }

    @Test
    void specsSetTheSearchAndNameBadValues() {
        Smote s = (Smote) ResampleMethod.fromSpec("smote(k_neighbors=5,knn=approx,knn_candidates=512)");
        assertEquals(KnnMode.APPROX, s.getKnn());
        assertEquals(512, s.getKnnCandidates());
        NearMiss nm = (NearMiss) ResampleMethod.fromSpec("nearmiss(version=2,knn=exact,knn_exact_max_pairs=7)");
        assertEquals(KnnMode.EXACT, nm.getKnn());
        assertEquals(7L, nm.getKnnExactMaxPairs());
        assertEquals(KnnMode.AUTO, new Smote().getKnn());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResampleMethod.fromSpec("smote(knn=fast)"))
                .getMessage().startsWith("knn = fast is not allowed: neighbour search: exact, approx"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ResampleMethod.fromSpec("nearmiss(knn_candidates=0)")).getMessage()
                .startsWith("knnCandidates = 0 is not allowed"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ResampleMethod.fromSpec("smote(knn_exact_max_pairs=-1)")).getMessage()
                .startsWith("knnExactMaxPairs = -1 is not allowed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResampleMethod.fromSpec("random-over(knn=approx)"))
                .getMessage().startsWith("random-over has no parameter 'knn'"));
    }
}
