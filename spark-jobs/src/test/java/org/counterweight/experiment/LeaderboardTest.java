package org.counterweight.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.counterweight.SparkTestSupport;
import org.counterweight.evaluate.MetricRow;
import org.counterweight.evaluate.stats.Summary;
import org.counterweight.results.CellKey;
import org.counterweight.results.ResultsStore;
import org.counterweight.results.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-of-run leaderboard: summaries from the aggregation API, NaN values left out. */
class LeaderboardTest {

    @Test
    void summarisesFiniteValuesBestFirst(@TempDir Path dir) {
        SparkSession spark = SparkTestSupport.spark();
        ResultsStore store = ResultsStore.open(spark, dir.resolve("wh").toString());
        store.beginRun("r", "e", "h");
        double[] ce = {0.6, 0.62, Double.NaN};
        for (int seed = 0; seed < 3; seed++) {
            cell(store, "ce", seed, ce[seed]);
            cell(store, "focal", seed, 0.7 + 0.01 * seed);
            cell(store, "broken", seed, Double.NaN);
        }
        store.finishRun("r", RunStatus.FINISHED);

        List<Leaderboard.Entry> entries = Leaderboard.of(spark, store, "r", "mcc");
        assertEquals(List.of("focal", "ce", "broken"), entries.stream().map(Leaderboard.Entry::method).toList());
        assertEquals(Summary.of(0.6, 0.62), entries.get(1).summary().orElseThrow(), "the NaN cell is left out");
        assertTrue(entries.get(2).summary().isEmpty());
        String text = Leaderboard.format(entries, "mcc");
        String[] lines = text.split("\n");
        assertTrue(lines[1].startsWith("sat") && lines[1].contains(" focal ") && lines[1].endsWith(" best"), text);
        assertTrue(lines[2].contains(Summary.of(0.6, 0.62).meanAndHalfWidth()) && lines[2].contains("   2  "), text);
        assertTrue(lines[3].contains("   0  —") && !lines[3].contains("best"), text);
    }

    private static void cell(ResultsStore store, String method, int seed, double value) {
        store.writeCell("r", new CellKey("sat", method, seed, 0),
                List.of(new MetricRow("mcc", null, value), new MetricRow("accuracy", null, 0.5)), List.of(), List.of(), Map.of());
    }
}
