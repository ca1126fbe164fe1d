package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.counterweight.data.DataException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ADASYN and Borderline-SMOTE against imbalanced-learn 0.10 (fixture oversample.json, made by
 * tools/fixtures/resample/make_oversampler_fixtures.py). The draws are random, so what is
 * compared is what does not depend on them: the class counts, the rows that seed synthetic rows
 * (ADASYN: exactly imbalanced-learn's g_i per row, including targets where float64 rounds a
 * half differently from exact arithmetic; Borderline-SMOTE: exactly its danger rows; only those
 * seed synthetic rows), and that
 * every synthetic row lies on a segment from its seed to one of the seed's k nearest allowed
 * rows (sklearn's), at a gap in [0, 1), or [0, 0.5) towards another class (borderline-2).
 */
class OverSamplerParityTest {
    private static final JsonNode FIXTURE = SparkForTests.json("oversample.json");

    static Stream<Named<JsonNode>> cases() {
        List<Named<JsonNode>> out = new ArrayList<>();
        FIXTURE.fields().forEachRemaining(e -> {
            if (!e.getKey().startsWith("contract-")) {
                out.add(Named.of(e.getKey(), e.getValue()));
            }
        });
        return out.stream();
    }

    private static Dataset<Row> data(String name) {
        return name.equals("contract") ? SparkForTests.blobs(new int[] {12, 60, 25}, 3, 17) : SparkForTests.csv(name);
    }

    /** The fixture case as a spec, e.g. {@code adasyn(n_neighbors=5,sampling_strategy=auto)}. */
    static String spec(JsonNode c) {
        StringBuilder b = new StringBuilder(c.get("method").asText()).append('(');
        c.get("params").fields().forEachRemaining(p -> b.append(p.getKey()).append('=').append(p.getValue().asText()).append(','));
        return b.append("sampling_strategy=").append(c.get("strategy").asText()).append(')').toString();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesImbalancedLearn(JsonNode c) {
        Dataset<Row> in = data(c.get("data").asText());
        Dataset<Row> out = ResampleMethod.fromSpec(spec(c)).setSeed(11).resample(in);
        TreeMap<Long, Row> inRows = SparkForTests.byId(in);
        TreeMap<Long, Row> outRows = SparkForTests.byId(out);

        TreeMap<Integer, Long> expected = new TreeMap<>();
        c.get("counts").fields().forEachRemaining(e -> expected.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
        assertEquals(expected, SparkForTests.counts(out), "class counts");

        boolean kind2 = c.get("params").has("kind") && c.get("params").get("kind").asInt() == 2;
        TreeMap<Long, Long> perSeed = new TreeMap<>(); // synthetic rows per seed a segment check attributes them to
        for (Row s : outRows.values()) {
            if (!s.<Boolean>getAs("synthetic")) {
                continue;
            }
            long seed = seedOf(s, c.get("neighbours"), inRows, kind2);
            perSeed.merge(seed, 1L, Long::sum);
        }
        if (c.has("seeds")) {
            TreeMap<Long, Long> expectedSeeds = new TreeMap<>();
            c.get("seeds").fields().forEachRemaining(e -> expectedSeeds.put(Long.parseLong(e.getKey()), e.getValue().asLong()));
            TreeMap<Long, Long> ours = new TreeMap<>();
            ((Adasyn) ResampleMethod.fromSpec(spec(c))).seedCounts(in).collectAsList()
                    .forEach(r -> ours.put(r.getLong(0), r.getLong(1)));
            assertEquals(expectedSeeds, ours, "g_i per seed row");
            // A row between two seeds that are each other's neighbours fits either: only inclusion is certain.
            assertTrue(expectedSeeds.keySet().containsAll(perSeed.keySet()), "only seed rows seed: " + perSeed.keySet());
        } else {
            TreeSet<Long> danger = new TreeSet<>();
            c.get("danger").forEach(id -> danger.add(id.asLong()));
            TreeSet<Long> ours = new TreeSet<>();
            ((BorderlineSmote) ResampleMethod.fromSpec(spec(c))).dangerIds(in).collectAsList()
                    .forEach(r -> ours.add(r.getLong(0)));
            assertEquals(danger, ours, "rows in danger");
            assertTrue(danger.containsAll(perSeed.keySet()), "only rows in danger seed synthetic rows: " + perSeed.keySet());
        }
    }

    /**
     * The seed row whose segment to one of its allowed neighbours holds synthetic row {@code s},
     * at an allowed gap; fails if there is none.
     */
    private static long seedOf(Row s, JsonNode neighbours, Map<Long, Row> in, boolean kind2) {
        double[] x = ((Vector) s.getAs("features")).toArray();
        double label = s.<Double>getAs("label");
        for (Map.Entry<String, JsonNode> e : iterable(neighbours)) {
            Row seed = in.get(Long.parseLong(e.getKey()));
            if (seed.<Double>getAs("label") != label) {
                continue;
            }
            double[] b = ((Vector) seed.getAs("features")).toArray();
            for (JsonNode nid : e.getValue()) {
                Row nb = in.get(nid.asLong());
                Double gap = SmoteTest.onSegment(x, b, ((Vector) nb.getAs("features")).toArray());
                if (gap != null) {
                    double max = kind2 && nb.<Double>getAs("label") != label ? 0.5 : 1.0;
                    assertTrue(gap >= 0 && gap < max, "gap " + gap + " from row " + e.getKey() + " to row " + nid);
                    return seed.<Long>getAs("row_id");
                }
            }
        }
        throw new AssertionError("synthetic row " + s + " is on no segment from a seed to an allowed neighbour");
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
        return n::fields;
    }

    /** imbalanced-learn raises "Not any neigbours belong to the majority class" here: so do we, in our words. */
    @Test
    void adasynFailsWhenNoRowHasAnotherClassNearby() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int c = i < 10 ? 1 : 0;
            rows.add(RowFactory.create((long) i, (double) c, Vectors.dense(100.0 * c + i % 10, 0.5 * (i % 3))));
        }
        Dataset<Row> far = SparkForTests.get().createDataFrame(rows, SparkForTests.schema(false));
        DataException e = assertThrows(DataException.class, () -> new Adasyn().resample(far));
        assertTrue(e.getMessage().startsWith("adasyn: no row of class 1 has a row of another class among its n-neighbors=5"
                + " nearest rows") && e.getMessage().endsWith("use smote"), e.getMessage());
    }
}
