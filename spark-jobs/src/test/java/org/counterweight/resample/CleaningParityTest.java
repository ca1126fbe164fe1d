package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.data.DataException;
import org.counterweight.resample.knn.KnnMode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Tomek links and Edited Nearest Neighbours row for row against imbalanced-learn 0.10
 * ({@code sample_indices_}) on a two-class and a three-class fixture: every strategy form a
 * cleaner takes (named, class lists) and those it refuses, ENN with both {@code kind_sel} and
 * 2–5 neighbours, tied mode votes included. The fixtures have no exact distance ties (the
 * script checks; see its header). Cases rotate through the exact search (broadcast and block
 * pairs) and the approximate one with more candidates than rows (then exact).
 * Fixtures: tools/fixtures/resample/make_cleaning_fixtures.py.
 */
class CleaningParityTest {

    @TestFactory
    List<DynamicTest> keepsTheRowsImbalancedLearnKeeps() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonNode c : SparkForTests.json("cleaning.json").get("cases")) {
            int path = i++ % 3;
            String name = c.get("file").asText() + " " + c.get("method").asText() + " '" + c.get("strategy").asText()
                    + "'" + (c.has("n_neighbors") ? " n=" + c.get("n_neighbors").asInt() + " " + c.get("kind_sel").asText()
                    : "") + (path == 0 ? " broadcast" : path == 1 ? " block-pairs" : " approx");
            tests.add(DynamicTest.dynamicTest(name, () -> check(c, path)));
        }
        return tests;
    }

    private static void check(JsonNode c, int path) {
        Dataset<Row> data = SparkForTests.csv(c.get("file").asText());
        CleaningSampler s = c.get("method").asText().equals("enn")
                ? new EditedNearestNeighbours().setNNeighbors(c.get("n_neighbors").asInt())
                        .setKindSel(c.get("kind_sel").asText())
                : new TomekLinks();
        s.setSamplingStrategy(c.get("strategy").asText());
        if (path == 1) {
            s.setKnn(KnnMode.EXACT).setBroadcastBudgetBytes(0).setBlockRows(7);
        } else if (path == 2) {
            s.setKnn(KnnMode.APPROX).setKnnCandidates(512);
        }
        if (c.has("error")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.resample(data),
                    "imbalanced-learn: " + c.get("error").asText());
            assertTrue(e.getMessage().contains("sampling-strategy"), e.getMessage());
            return;
        }
        TreeSet<Long> expected = new TreeSet<>();
        c.get("kept").forEach(id -> expected.add(id.asLong()));
        assertEquals(expected, SparkForTests.byId(s.resample(data)).navigableKeySet());
    }

    @Test
    void fixtureCoversTiedVotesRemovalsAndRefusedStrategies() {
        int ties = 0;
        int errors = 0;
        int multi = 0;
        for (JsonNode c : SparkForTests.json("cleaning.json").get("cases")) {
            ties += c.path("mode_ties").asInt();
            errors += c.has("error") ? 1 : 0;
            multi += c.get("file").asText().equals("cleaning-multi.csv") ? 1 : 0;
            if (c.has("kept")) {
                int rows = c.get("file").asText().equals("cleaning-multi.csv") ? 240 : 120;
                assertTrue(c.get("kept").size() < rows, "every case removes rows: " + c);
            }
        }
        assertTrue(ties >= 50, "tied mode votes: " + ties);
        assertEquals(36, errors);
        assertTrue(multi >= 40, "three-class cases: " + multi);
    }

    @Test
    void modeVoteTiesGoToTheSmallerClass() {
        assertFalse(EditedNearestNeighbours.disagrees(0, List.of(1, 0), true));
        assertTrue(EditedNearestNeighbours.disagrees(1, List.of(1, 0), true));
        assertTrue(EditedNearestNeighbours.disagrees(2, List.of(2, 1, 0), true));
        assertFalse(EditedNearestNeighbours.disagrees(2, List.of(2, 1, 2), true));
        assertTrue(EditedNearestNeighbours.disagrees(2, List.of(2, 1, 2), false));
        assertFalse(EditedNearestNeighbours.disagrees(1, List.of(1, 1, 1), false));
    }

    @Test
    void tooFewRowsForNNeighborsIsAnErrorNamingIt() {
        Dataset<Row> all = SparkForTests.csv("cleaning-binary.csv");
        Dataset<Row> data = all.filter("label = 0").limit(2).union(all.filter("label = 1").limit(4));
        DataException e = assertThrows(DataException.class,
                () -> new EditedNearestNeighbours().setNNeighbors(6).resample(data));
        assertTrue(e.getMessage().contains("n-neighbors=6") && e.getMessage().contains("--n-neighbors 5"),
                e.getMessage());
    }

    @Test
    void classListsAreForCleanersOnly() {
        Dataset<Row> data = SparkForTests.csv("cleaning-binary.csv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RandomUnderSampler().setSamplingStrategy("[1]").resample(data));
        assertTrue(e.getMessage().contains("only for cleaning samplers"), e.getMessage());
        DataException unknown = assertThrows(DataException.class,
                () -> new TomekLinks().setSamplingStrategy("[1,7]").resample(data));
        assertTrue(unknown.getMessage().contains("class '7' is not present"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TomekLinks().setSamplingStrategy("[1,1]"));
        assertThrows(IllegalArgumentException.class, () -> new TomekLinks().setSamplingStrategy("[]"));
    }
}
