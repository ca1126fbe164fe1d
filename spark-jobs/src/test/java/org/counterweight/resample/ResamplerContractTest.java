package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.counterweight.LogCapture;
import org.counterweight.data.DataException;
import org.counterweight.data.LabelIndex;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every resampler meets (in the spirit of imbalanced-learn's estimator checks):
 * one-class input fails, targeted classes reach their counts (NearMiss-3, which may fall short,
 * keeps exactly imbalanced-learn's rows), untargeted classes are untouched,
 * extra columns survive, the schema is checked before any job, and the same seed gives the same
 * output for {@code local[1]}, {@code local[2]} and {@code repartition(7)}. A new resampler gets
 * these tests by adding one line to {@link #resamplers()}.
 */
class ResamplerContractTest {
    /** Class 0 is the minority (12 rows), class 1 the majority (60), class 2 in between (25). */
    private static final int[] SIZES = {12, 60, 25};

    /**
     * A resampler under test. {@code keeps}: where a resampler need not reach its targets, the
     * rows it keeps per strategy, from imbalanced-learn (tools/fixtures/resample/make_nearmiss3_fixtures.py,
     * make_cleaning_fixtures.py). {@code cleansAfter}: an over-sampler followed by a cleaner of every class
     * (SMOTE+Tomek, SMOTE+ENN): no class ends above its target, and input rows may be removed.
     */
    record Case(Supplier<Resampler> factory, boolean usesSeed, JsonNode keeps, boolean cleansAfter, boolean categorical) {
        Case(Supplier<Resampler> factory, boolean usesSeed, JsonNode keeps) {
            this(factory, usesSeed, keeps, false, false);
        }

        Case(Supplier<Resampler> factory, boolean usesSeed, JsonNode keeps, boolean cleansAfter) {
            this(factory, usesSeed, keeps, cleansAfter, false);
        }

        /** The contract data; with a declared categorical feature appended for a method that needs one. */
        Dataset<Row> data() {
            return categorical ? categoricalData() : ResamplerContractTest.data();
        }
    }

    static Stream<Named<Case>> resamplers() {
        return Stream.of(
                Named.of("random-over", new Case(RandomOverSampler::new, true, null)),
                Named.of("random-under", new Case(RandomUnderSampler::new, true, null)),
                Named.of("smote", new Case(Smote::new, true, null)),
                Named.of("smote-nc", new Case(SmoteNc::new, true, null, false, true)),
                Named.of("nearmiss-1", new Case(() -> new NearMiss().setVersion(1), false, null)),
                Named.of("nearmiss-2", new Case(() -> new NearMiss().setVersion(2), false, null)),
                // imbalanced-learn's own check xfails v3: it may keep fewer rows than the target.
                Named.of("nearmiss-3", new Case(() -> new NearMiss().setVersion(3), false,
                        SparkForTests.json("nearmiss3.json"))),
                Named.of("tomek-links", new Case(TomekLinks::new, false,
                        SparkForTests.json("cleaning.json").get("contract").get("tomek-links"))),
                Named.of("enn", new Case(EditedNearestNeighbours::new, false,
                        SparkForTests.json("cleaning.json").get("contract").get("enn"))),
                Named.of("smote-tomek", new Case(SmoteTomek::new, true, null, true)),
                Named.of("smote-enn", new Case(SmoteEnn::new, true, null, true)),
                // ADASYN's rounded per-row counts need not sum to the target: its output row ids.
                Named.of("adasyn", new Case(Adasyn::new, true, SparkForTests.json("oversample.json").get("contract-adasyn"))),
                Named.of("borderline-smote-1", new Case(BorderlineSmote::new, true, null)),
                Named.of("borderline-smote-2", new Case(() -> new BorderlineSmote().setKind(2), true, null)));
    }

    private static Dataset<Row> data() {
        return SparkForTests.blobs(SIZES, 3, 17);
    }

    /** {@link #data} with a declared categorical fourth feature of 3 levels. */
    private static Dataset<Row> categoricalData() {
        return SparkForTests.withCategory(data(), 3, 3);
    }

    /** An explicit strategy the sampler's kind accepts, leaving one class untargeted. */
    private static String explicit(Resampler r) {
        if (r.kind() == SamplerKind.CLEAN) {
            return "[1,2]";
        }
        return r.kind() == SamplerKind.OVER ? "0:45,2:30" : "1:20,2:14";
    }

    @ParameterizedTest
    @MethodSource("resamplers")
    void oneClassInputFails(Case c) {
        Dataset<Row> one = c.data().filter(functions.col("label").equalTo(1));
        DataException e = assertThrows(DataException.class, () -> c.factory().get().resample(one));
        assertTrue(e.getMessage().contains("more than one class"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("resamplers")
    void logNamesTheMethodAndTheLabelValues(Case c) {
        Resampler r = c.factory().get().setLabelIndex(LabelIndex.of(List.of("ant", "bee", "cat")));
        try (LogCapture log = new LogCapture(Resampler.class)) {
            r.resample(c.data());
            String line = log.messages().get(0);
            assertTrue(line.startsWith(r.methodName() + ": class counts (ant: 12, bee: 60, cat: 25) -> targets ("), line);
            assertFalse(line.contains(r.uid()), line);
        }
    }

    @ParameterizedTest
    @MethodSource("resamplers")
    void schemaIsCheckedBeforeAnyJob(Case c) {
        Dataset<Row> in = c.data();
        int jobs = SparkForTests.jobsStarted();
        Resampler r = c.factory().get().setFeaturesCol("nope");
        DataException e = assertThrows(DataException.class, () -> r.resample(in));
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("featuresCol"), e.getMessage());
        DataException label = assertThrows(DataException.class,
                () -> c.factory().get().setLabelCol("note").resample(in));
        assertTrue(label.getMessage().contains("'note'"), label.getMessage());
        assertEquals(jobs, SparkForTests.jobsStarted(), "no Spark job before the schema check");
    }

    /**
     * A frame declaring categorical features: random-over/-under (whole rows) and smote-nc accept it,
     * every other method refuses it with one line naming smote-nc, before any job.
     */
    @ParameterizedTest
    @MethodSource("resamplers")
    void categoricalFeaturesOnlyWhereDefined(Case c) {
        Dataset<Row> in = categoricalData();
        Resampler r = c.factory().get();
        if (r instanceof RandomOverSampler || r instanceof RandomUnderSampler || r instanceof SmoteNc) {
            assertFalse(r.resample(in).isEmpty());
            return;
        }
        int jobs = SparkForTests.jobsStarted();
        DataException e = assertThrows(DataException.class, () -> r.resample(in));
        assertEquals(r.methodName() + ": column 'features' declares categorical features [3] (category indices), which "
                + r.methodName() + " would treat as numbers; use smote-nc (or random-over / random-under, which copy or"
                + " drop whole rows)", e.getMessage());
        assertEquals(jobs, SparkForTests.jobsStarted(), "no Spark job before the refusal");
    }

    @ParameterizedTest
    @MethodSource("resamplers")
    void autoStrategyReachesTargetsAndKeepsColumns(Case c) {
        checkTargetsAndColumns(c, "auto");
    }

    @ParameterizedTest
    @MethodSource("resamplers")
    void explicitStrategyReachesTargetsAndLeavesOthersUntouched(Case c) {
        checkTargetsAndColumns(c, explicit(c.factory().get()));
    }

    private static void checkTargetsAndColumns(Case c, String strategy) {
        Dataset<Row> in = c.data();
        Resampler r = c.factory().get().setSamplingStrategy(strategy);
        SortedMap<Integer, Long> targets = r.targets(in);
        Dataset<Row> out = r.resample(in);
        TreeMap<Long, Row> inRows = SparkForTests.byId(in);
        TreeMap<Long, Row> outRows = SparkForTests.byId(out); // also asserts unique row ids
        TreeMap<Integer, Long> counts = SparkForTests.counts(out);
        if (c.keeps() != null) {
            List<Long> kept = new ArrayList<>();
            c.keeps().get("contract-" + strategy).forEach(id -> kept.add(id.asLong()));
            assertEquals(kept, List.copyOf(outRows.navigableKeySet()), "imbalanced-learn's rows, targets " + targets);
        } else if (c.cleansAfter()) {
            for (int k = 0; k < SIZES.length; k++) {
                long bound = Math.max(targets.getOrDefault(k, 0L), SIZES[k]);
                assertTrue(counts.get(k) <= bound, "class " + k + ": " + counts.get(k) + " rows, targets " + targets);
            }
        } else {
            for (int k = 0; k < SIZES.length; k++) {
                assertEquals(targets.getOrDefault(k, (long) SIZES[k]), counts.get(k), "class " + k + " with targets " + targets);
            }
        }
        // Extra columns survive; every original row comes out unchanged; untargeted classes whole.
        List<String> inCols = List.of(in.columns());
        assertTrue(List.of(out.columns()).containsAll(inCols), List.of(out.columns()).toString());
        boolean over = r.kind() == SamplerKind.OVER;
        for (Map.Entry<Long, Row> e : outRows.entrySet()) {
            Row o = e.getValue();
            boolean added = over && o.<Boolean>getAs("synthetic");
            if (added) {
                assertTrue(e.getKey() > inRows.lastKey(), "added rows get new ids");
                continue;
            }
            Row i = inRows.get(e.getKey());
            assertTrue(i != null, "row " + e.getKey() + " is an input row");
            for (String col : inCols) {
                assertEquals(i.<Object>getAs(col), o.<Object>getAs(col), "row " + e.getKey() + " column " + col);
            }
        }
        for (Map.Entry<Long, Row> e : inRows.entrySet()) {
            int k = (int) e.getValue().getDouble(1);
            if ((over && !c.cleansAfter()) || (!over && !targets.containsKey(k))) {
                assertTrue(outRows.containsKey(e.getKey()), "input row " + e.getKey() + " kept");
            }
        }
    }

    /** Output for every case (same seed), under the current session, optionally repartitioned. */
    private static Map<String, List<String>> outputs(int repartition, long seed) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        resamplers().forEach(n -> {
            Dataset<Row> in = repartition > 0 ? n.getPayload().data().repartition(repartition) : n.getPayload().data();
            out.put(n.getName(), SparkForTests.canonical(n.getPayload().factory().get().setSeed(seed).resample(in)));
        });
        return out;
    }

    @Test
    void sameSeedSameOutputForLocal1Local2AndRepartition7() {
        Map<String, List<String>> local2 = outputs(0, 5);
        Map<String, List<String>> repartitioned = outputs(7, 5);
        Map<String, List<String>> otherSeed = outputs(0, 6);
        Map<String, List<String>> local1;
        try {
            SparkForTests.restart("local[1]");
            local1 = outputs(0, 5);
        } finally {
            SparkForTests.restart("local[2]");
        }
        List<String> seedSensitive = new ArrayList<>();
        resamplers().filter(n -> n.getPayload().usesSeed()).forEach(n -> seedSensitive.add(n.getName()));
        for (String name : local2.keySet()) {
            assertFalse(local2.get(name).isEmpty());
            assertEquals(local2.get(name), repartitioned.get(name), name + ": repartition(7)");
            assertEquals(local2.get(name), local1.get(name), name + ": local[1]");
            if (seedSensitive.contains(name)) {
                assertNotEquals(local2.get(name), otherSeed.get(name), name + ": another seed changes the draw");
            } else {
                assertEquals(local2.get(name), otherSeed.get(name), name + " is deterministic");
            }
        }
    }
}
