package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.data.DataException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * NearMiss 1/2/3 row for row against imbalanced-learn 0.10 ({@code sample_indices_}) on
 * imbalanced-learn's own NearMiss test fixture and a 400-row 4-class fixture, with named and
 * explicit strategies, through both kNN strategies (broadcast, and block pairs forced by a zero
 * budget with tiny blocks; alternate strategies take alternate paths). Fixtures: tools/fixtures/resample/make_fixtures.py.
 */
class NearMissParityTest {

    @TestFactory
    List<DynamicTest> keepsTheRowsImbalancedLearnKeeps() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonNode c : SparkForTests.json("nearmiss.json")) {
            // Half the cases (alternate strategies) go through each kNN strategy, to keep the suite fast.
            boolean blockPairs = i++ % 4 >= 2;
            String name = c.get("file").asText() + " v" + c.get("version").asInt() + " '"
                    + c.get("strategy").asText() + "' n=" + c.get("n_neighbors").asInt() + " n3="
                    + c.get("n_neighbors_ver3").asInt() + (blockPairs ? " block-pairs" : " broadcast");
            tests.add(DynamicTest.dynamicTest(name, () -> check(c, blockPairs)));
        }
        return tests;
    }

    private static void check(JsonNode c, boolean blockPairs) {
        Dataset<Row> data = SparkForTests.csv(c.get("file").asText());
        NearMiss nm = new NearMiss().setVersion(c.get("version").asInt())
                .setNNeighbors(c.get("n_neighbors").asInt())
                .setNNeighborsVer3(c.get("n_neighbors_ver3").asInt());
        nm.setSamplingStrategy(c.get("strategy").asText());
        if (blockPairs) {
            nm.setBroadcastBudgetBytes(0).setBlockRows(5);
        }
        if (c.has("error")) {
            DataException e = assertThrows(DataException.class, () -> nm.resample(data).count(),
                    "imbalanced-learn: " + c.get("error").asText());
            assertTrue(e.getMessage().contains("n-neighbors"), e.getMessage());
            return;
        }
        TreeSet<Long> expected = new TreeSet<>();
        c.get("kept").forEach(i -> expected.add(i.asLong()));
        assertEquals(expected, SparkForTests.byId(nm.resample(data)).navigableKeySet());
    }

    @Test
    void fixtureIncludesVersion3ShortfallsAndMultiClassTargets() {
        int warned = 0;
        int multi = 0;
        for (JsonNode c : SparkForTests.json("nearmiss.json")) {
            warned += c.path("warned").asBoolean() ? 1 : 0;
            multi += c.get("file").asText().equals("nearmiss-multi.csv") ? 1 : 0;
        }
        assertTrue(warned >= 3, "v3 cases returning fewer rows: " + warned);
        assertTrue(multi >= 30, "multiclass cases: " + multi);
    }

    @Test
    void tooFewMinorityRowsForNNeighborsIsAnError() {
        Dataset<Row> data = SparkForTests.csv("nearmiss-imblearn.csv");
        DataException e = assertThrows(DataException.class, () -> new NearMiss().setNNeighbors(4).resample(data));
        assertTrue(e.getMessage().contains("n-neighbors=4") && e.getMessage().contains("minority class 0"),
                e.getMessage());
    }
}
