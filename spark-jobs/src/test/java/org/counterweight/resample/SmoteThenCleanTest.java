package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.data.DataException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * SMOTE+Tomek and SMOTE+ENN against imbalanced-learn 0.10's {@code SMOTETomek} and
 * {@code SMOTEENN} (SMOTE is randomised, so not row for row): the output is exactly the cleaner
 * with strategy {@code all} applied to {@link Smote}'s output for the same seed (so SmoteTest's
 * on-segment and count checks carry over, and CleaningParityTest's row-for-row parity of the
 * cleaners); the counts after SMOTE equal imbalanced-learn's; the final counts lie within the
 * range imbalanced-learn gives over 50 seeds. Fixtures: tools/fixtures/resample/make_cleaning_fixtures.py.
 */
class SmoteThenCleanTest {

    @TestFactory
    List<DynamicTest> matchImbalancedLearn() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : SparkForTests.json("cleaning.json").get("combined")) {
            tests.add(DynamicTest.dynamicTest(c.get("method").asText() + " " + c.get("file").asText(), () -> check(c)));
        }
        return tests;
    }

    private static void check(JsonNode c) {
        Dataset<Row> data = SparkForTests.csv(c.get("file").asText());
        String method = c.get("method").asText();
        SmoteThenClean combined = (SmoteThenClean) ResampleMethod.fromSpec(method + "(sampling_strategy="
                + c.get("strategy").asText() + ",seed=3)");
        Dataset<Row> smoted = new Smote().setSamplingStrategy(c.get("strategy").asText()).setSeed(3).resample(data)
                .cache();
        TreeMap<Integer, Long> afterSmote = SparkForTests.counts(smoted);
        Dataset<Row> out = combined.resample(data).cache();
        TreeMap<Integer, Long> finals = SparkForTests.counts(out);
        for (int k = 0; k < c.get("after_smote").size(); k++) {
            assertEquals(c.get("after_smote").get(k).asLong(), afterSmote.get(k), "class " + k + " after SMOTE");
            long lo = c.get("final_min").get(k).asLong();
            long hi = c.get("final_max").get(k).asLong();
            long n = finals.get(k);
            assertTrue(n >= lo && n <= hi, "class " + k + ": " + n + " rows, imbalanced-learn " + lo + ".." + hi);
        }
        CleaningSampler cleaner = combined.cleaner();
        assertEquals("all", cleaner.getSamplingStrategy());
        assertEquals(SparkForTests.canonical(cleaner.resample(smoted)),
                SparkForTests.canonical(out), "SMOTE, then the cleaner on every class");
    }

    @Test
    void cleanerTakesTheSharedParamsAndStrategyAll() {
        SmoteEnn s = (SmoteEnn) ResampleMethod.fromSpec(
                "smote-enn(k_neighbors=4,n_neighbors=5,kind_sel=mode,sampling_strategy=0:50,knn=approx,seed=9)");
        EditedNearestNeighbours enn = (EditedNearestNeighbours) s.cleaner();
        assertEquals(5, enn.getNNeighbors());
        assertEquals("mode", enn.getKindSel());
        assertEquals("all", enn.getSamplingStrategy());
        assertEquals("approx", enn.getKnn().id());
        assertEquals(9, enn.getSeed());
        assertEquals(4, s.getKNeighbors());
        assertTrue(s.cleaner() instanceof EditedNearestNeighbours);
        assertTrue(((SmoteTomek) ResampleMethod.fromSpec("smote-tomek")).cleaner() instanceof TomekLinks);
    }

    @Test
    void ennNeighboursAreCheckedBeforeSmoteRuns() {
        Dataset<Row> all = SparkForTests.csv("cleaning-binary.csv");
        Dataset<Row> data = all.filter("label = 0").limit(3).union(all.filter("label = 1").limit(6));
        DataException e = assertThrows(DataException.class, () -> new SmoteEnn().setNNeighbors(9).setKNeighbors(1)
                .resample(data));
        assertTrue(e.getMessage().startsWith("smote-enn: n-neighbors=9 needs more than 9 rows, the data has 9"),
                e.getMessage());
    }
}
