package org.counterweight.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.data.CategoricalFeatures;
import org.counterweight.data.DataException;
import org.counterweight.resample.knn.KnnMode;
import org.counterweight.resample.knn.NeighbourRows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SMOTE-NC against the paper / imbalanced-learn ≥ 0.12 (fixture smotenc.json, made by
 * tools/fixtures/resample/make_smotenc_fixtures.py with imbalanced-learn 0.10, scikit-learn and
 * numpy; its header says how 0.12's semantics were obtained). Exact: class counts, each targeted
 * class's median standard deviation (numpy's), each row's k neighbours (sklearn's, on the one-hot
 * encoding imbalanced-learn uses; for the minority class also imbalanced-learn's own search). The
 * draws are random, so for every synthetic row: its continuous entries lie on a segment from a
 * row of its class to one of that row's k nearest rows under the SMOTE-NC distance, brute-forced
 * here, and each categorical entry is one of the most frequent categories among those k rows;
 * ties are broken at random (not always the smallest category), as imbalanced-learn does.
 */
class SmoteNcTest {
    private static final JsonNode FIXTURE = SparkForTests.json("smotenc.json");
    /** Tied votes met over all cases, and how many chose another category than the smallest tied one. */
    private static int tiedVotes;
    private static int notSmallest;
    private static int casesRun;

    static Stream<Named<JsonNode>> cases() {
        List<Named<JsonNode>> out = new ArrayList<>();
        FIXTURE.fields().forEachRemaining(e -> out.add(Named.of(e.getKey(), e.getValue())));
        return out.stream();
    }

    private static int[] positions(JsonNode c) {
        int[] p = new int[c.get("categorical").size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = c.get("categorical").get(i).asInt();
        }
        return p;
    }

    /** The case's data and stage; the multi-class cases declare the features on the frame, the others set the param. */
    private static Dataset<Row> data(JsonNode c) {
        Dataset<Row> in = SparkForTests.csv(c.get("data").asText());
        if (c.get("data").asText().contains("multi")) {
            int d = ((Vector) in.first().getAs("features")).size();
            return CategoricalFeatures.at(positions(c)).declare(in, "features", d);
        }
        return in;
    }

    private static SmoteNc stage(JsonNode c) {
        SmoteNc s = (SmoteNc) ResampleMethod.fromSpec("smote-nc(k_neighbors=" + c.get("k").asInt()
                + ",sampling_strategy=" + c.get("strategy").asText() + ")");
        return c.get("data").asText().contains("multi") ? s : s.setCategoricalFeatures(positions(c));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesTheReference(JsonNode c) {
        Dataset<Row> in = data(c);
        SmoteNc stage = stage(c);
        int[] cat = positions(c);

        SortedMap<Integer, Double> medians = stage.medianStds(in);
        assertEquals(c.get("median_std").size(), medians.size());
        c.get("median_std").fields().forEachRemaining(e -> assertEquals(e.getValue().asDouble(),
                medians.get(Integer.parseInt(e.getKey())), 1e-12 * Math.max(1, e.getValue().asDouble()), "median std"));

        // Neighbours: ours = sklearn's = a brute force of the SMOTE-NC distance.
        TreeMap<Long, Row> inRows = SparkForTests.byId(in);
        TreeMap<Long, List<Long>> expected = new TreeMap<>();
        c.get("neighbours").fields().forEachRemaining(e -> {
            List<Long> ids = new ArrayList<>();
            e.getValue().forEach(id -> ids.add(id.asLong()));
            expected.put(Long.parseLong(e.getKey()), ids);
        });
        TreeMap<Long, List<Long>> ours = new TreeMap<>();
        stage.neighbours(in).collectAsList().forEach(r -> ours.put(r.getLong(0), r.getList(1)));
        assertEquals(expected, ours, "neighbour sets");
        for (Map.Entry<Long, List<Long>> e : expected.entrySet()) {
            assertEquals(e.getValue(), bruteForce(inRows, e.getKey(), cat, medians, c.get("k").asInt()), "row " + e.getKey());
        }

        Dataset<Row> out = stage.setSeed(11).resample(in);
        TreeMap<Integer, Long> counts = new TreeMap<>();
        c.get("counts").fields().forEachRemaining(e -> counts.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
        assertEquals(counts, SparkForTests.counts(out), "class counts");
        for (Row s : SparkForTests.byId(out).values()) {
            if (s.<Boolean>getAs("synthetic")) {
                checkSynthetic(s, inRows, expected, cat);
            }
        }
        casesRun++;
    }

    /** Row {@code id}'s k nearest rows of its class by sqrt(Σ continuous² + m_c² × mismatches), ties by row id. */
    private static List<Long> bruteForce(Map<Long, Row> rows, long id, int[] cat, Map<Integer, Double> medians, int k) {
        Row q = rows.get(id);
        double m = medians.get((int) q.getDouble(1));
        double[] x = features(q);
        List<Long> others = new ArrayList<>();
        for (Row r : rows.values()) {
            if (r.getDouble(1) == q.getDouble(1) && r.getLong(0) != id) {
                others.add(r.getLong(0));
            }
        }
        others.sort((a, b) -> {
            int cmp = Double.compare(distance2(x, features(rows.get(a)), cat, m), distance2(x, features(rows.get(b)), cat, m));
            return cmp != 0 ? cmp : Long.compare(a, b);
        });
        return others.subList(0, k);
    }

    private static double distance2(double[] a, double[] b, int[] cat, double m) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            boolean categorical = Arrays.binarySearch(cat, t) >= 0;
            s += categorical ? (a[t] == b[t] ? 0 : m * m) : (a[t] - b[t]) * (a[t] - b[t]);
        }
        return s;
    }

    /**
     * Synthetic row {@code s} lies, on its continuous entries, on a segment from a base of its
     * class to one of the base's neighbours, and its categorical entries are among the most
     * frequent of those neighbours' categories.
     */
    private static void checkSynthetic(Row s, Map<Long, Row> in, Map<Long, List<Long>> neighbours, int[] cat) {
        double[] x = features(s);
        for (Map.Entry<Long, List<Long>> e : neighbours.entrySet()) {
            Row base = in.get(e.getKey());
            if (base.getDouble(1) != s.getDouble(1)) {
                continue;
            }
            List<TreeSet<Double>> modes = new ArrayList<>();
            boolean votes = true;
            for (int p : cat) {
                TreeSet<Double> tied = modes(e.getValue(), in, p);
                modes.add(tied);
                votes &= tied.contains(x[p]);
            }
            if (!votes) {
                continue;
            }
            for (long nid : e.getValue()) {
                if (SmoteTest.onSegment(continuous(x, cat), continuous(features(base), cat),
                        continuous(features(in.get(nid)), cat)) != null) {
                    for (int j = 0; j < cat.length; j++) {
                        if (modes.get(j).size() > 1) {
                            tiedVotes++;
                            notSmallest += x[cat[j]] != modes.get(j).first() ? 1 : 0;
                        }
                    }
                    return;
                }
            }
        }
        throw new AssertionError("synthetic row " + s + ": no base whose neighbours' vote gives its categories and"
                + " whose segment to one of them holds its continuous entries");
    }

    /** The most frequent values of entry p among rows {@code ids}. */
    private static TreeSet<Double> modes(List<Long> ids, Map<Long, Row> in, int p) {
        TreeMap<Double, Integer> votes = new TreeMap<>();
        ids.forEach(id -> votes.merge(features(in.get(id))[p], 1, Integer::sum));
        int best = votes.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        TreeSet<Double> out = new TreeSet<>();
        votes.forEach((v, n) -> {
            if (n == best) {
                out.add(v);
            }
        });
        return out;
    }

    private static double[] continuous(double[] x, int[] cat) {
        double[] out = new double[x.length - cat.length];
        for (int t = 0, i = 0; t < x.length; t++) {
            if (Arrays.binarySearch(cat, t) < 0) {
                out[i++] = x[t];
            }
        }
        return out;
    }

    private static double[] features(Row r) {
        return ((Vector) r.getAs("features")).toArray();
    }

    @AfterAll
    static void tiesAreBrokenAtRandom() {
        if (casesRun < FIXTURE.size()) {
            return;
        }
        // imbalanced-learn met 49 tied votes on the fixtures (26 not the smallest); we meet 28 (13) with seed 11.
        assertTrue(tiedVotes >= 10, "tied votes met: " + tiedVotes);
        assertTrue(notSmallest > 0 && notSmallest < tiedVotes, notSmallest + " of " + tiedVotes + " not the smallest");
    }

    @Test
    void categoricalFeaturesComeFromTheParamOrTheFrame() {
        Dataset<Row> plain = SparkForTests.csv("smotenc-binary.csv");
        DataException none = assertThrows(DataException.class, () -> new SmoteNc().resample(plain));
        assertTrue(none.getMessage().startsWith("smote-nc: no categorical features: set categoricalFeatures"),
                none.getMessage());
        Dataset<Row> declared = CategoricalFeatures.at(4, 3).withLevels(3, 4).declare(plain, "features", 5);
        assertEquals(CategoricalFeatures.at(3, 4).withLevels(3, 4), CategoricalFeatures.of(declared.schema().apply("features")));
        assertArrayEquals(new int[] {3, 4}, new SmoteNc().categorical(declared.schema()).positions());
        assertArrayEquals(new int[] {4}, new SmoteNc().setCategoricalFeatures(4).categorical(declared.schema()).positions());
        // Declared or set, the same rows.
        assertEquals(SparkForTests.canonical(new SmoteNc().resample(declared)),
                SparkForTests.canonical(new SmoteNc().setCategoricalFeatures(3, 4).resample(declared)));
    }

    /** The approximate search runs on the same encoding: with every row a candidate it finds the same neighbours. */
    @Test
    void approximateSearchOnTheEncoding() {
        JsonNode c = FIXTURE.get("multi-auto");
        Dataset<Row> in = data(c);
        List<Row> exact = stage(c).neighbours(in).orderBy(NeighbourRows.ID).collectAsList();
        SmoteNc approx = stage(c);
        approx.setKnn(KnnMode.APPROX).setKnnCandidates(1000);
        assertEquals(exact, approx.neighbours(in).orderBy(NeighbourRows.ID).collectAsList());
    }

    @Test
    void badCategoricalFeaturesAreClearErrors() {
        Dataset<Row> in = SparkForTests.csv("smotenc-binary.csv");
        String all = assertThrows(DataException.class,
                () -> new SmoteNc().setCategoricalFeatures(0, 1, 2, 3, 4).resample(in)).getMessage();
        assertTrue(all.startsWith("smote-nc: all 5 features are categorical"), all);
        String range = assertThrows(DataException.class,
                () -> new SmoteNc().setCategoricalFeatures(3, 5).resample(in)).getMessage();
        assertTrue(range.contains("categorical feature position 5 is out of range; the features have 5 entries"), range);
        String notIndex = assertThrows(DataException.class,
                () -> new SmoteNc().setCategoricalFeatures(0).resample(in)).getMessage();
        assertTrue(notIndex.startsWith("smote-nc: categorical feature 0 holds values other than category indices"), notIndex);
        Dataset<Row> declared = CategoricalFeatures.at(3, 4).withLevels(2, 4).declare(in, "features", 5);
        String levels = assertThrows(DataException.class, () -> new SmoteNc().resample(declared)).getMessage();
        assertTrue(levels.contains("categorical feature 3 holds values other than category indices 0 to 1"), levels);
        IllegalArgumentException spec = assertThrows(IllegalArgumentException.class,
                () -> ResampleMethod.fromSpec("smote-nc(categorical_features=3,x)"));
        assertTrue(spec.getMessage().contains("categoricalFeatures must be integers separated by commas"), spec.getMessage());
        assertArrayEquals(new int[] {3, 4},
                ((SmoteNc) ResampleMethod.fromSpec("smote-nc(categorical_features=3,4,k_neighbors=3)")).getCategoricalFeatures());
    }
}
