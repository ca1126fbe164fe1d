package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** Random over/under-sampling: class counts as imbalanced-learn 0.10 gives them, and uniform draws. */
class RandomSamplersTest {

    @Test
    void classCountsMatchImbalancedLearn() {
        Dataset<Row> data = SparkForTests.csv("nearmiss-multi.csv");
        for (JsonNode c : SparkForTests.json("random.json")) {
            Resampler r = c.get("method").asText().equals("random-over") ? new RandomOverSampler()
                    : new RandomUnderSampler();
            r.setSamplingStrategy(c.get("strategy").asText());
            String what = c.get("method").asText() + " '" + c.get("strategy").asText() + "'";
            if (c.has("error")) {
                assertTrue(thrown(() -> r.resample(data)), what + " should fail: " + c.get("error").asText());
                continue;
            }
            Map<Integer, Long> expected = new TreeMap<>();
            c.get("counts").fields().forEachRemaining(e -> expected.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
            assertEquals(expected, SparkForTests.counts(r.resample(data)), what);
        }
    }

    private static boolean thrown(Runnable r) {
        try {
            r.run();
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    @Test
    void overSamplingCopiesAreUniformOverTheClass() {
        // Class 0 has 10 rows and gains 9990 copies: each row should be copied ~999 times.
        Dataset<Row> data = SparkForTests.blobs(new int[] {10, 10_000}, 2, 3);
        Dataset<Row> out = new RandomOverSampler().setSeed(1).resample(data);
        Map<String, Long> perSource = new HashMap<>();
        for (Row r : out.filter(functions.col("synthetic").and(functions.col("label").equalTo(0)))
                .groupBy("note").count().collectAsList()) {
            perSource.put(r.getString(0), r.getLong(1));
        }
        assertEquals(10, perSource.size());
        double expected = 9990 / 10.0;
        double chi2 = perSource.values().stream().mapToDouble(n -> (n - expected) * (n - expected) / expected).sum();
        assertTrue(chi2 < 27.88, "chi-square with 9 degrees of freedom, p = 0.001: " + chi2);
    }

    @Test
    void underSamplingKeepsAUniformSubset() {
        // Class 1 (20,000 rows) shrinks to 1000: kept rows spread evenly over the row-id range,
        // and two seeds overlap as two independent uniform subsets do (1000 * 1000 / 20000 = 50).
        Dataset<Row> data = SparkForTests.blobs(new int[] {1000, 20_000}, 1, 4);
        Set<Long> a = keptIds(data, 1);
        Set<Long> b = keptIds(data, 2);
        assertEquals(1000, a.size());
        long[] perDecile = new long[10];
        a.forEach(id -> perDecile[(int) (id * 10 / 21_000)]++);
        double chi2 = 0;
        for (long n : perDecile) {
            chi2 += (n - 100.0) * (n - 100.0) / 100.0; // blobs interleave classes uniformly by row id
        }
        assertTrue(chi2 < 35, "chi-square over deciles: " + chi2);
        long overlap = a.stream().filter(b::contains).count();
        assertTrue(overlap > 25 && overlap < 80, "overlap of two seeds: " + overlap);
    }

    private static Set<Long> keptIds(Dataset<Row> data, long seed) {
        Set<Long> ids = new HashSet<>();
        new RandomUnderSampler().setSeed(seed).resample(data).filter(functions.col("label").equalTo(1))
                .select("row_id").collectAsList().forEach(r -> ids.add(r.getLong(0)));
        return ids;
    }
}
