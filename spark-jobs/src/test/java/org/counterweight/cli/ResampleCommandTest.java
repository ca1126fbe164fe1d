package org.counterweight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code counterweight resample} as a user runs it. */
class ResampleCommandTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void sharedSession() {
        SparkTestSupport.spark();
    }

    /** 40 "neg" and 10 "pos" rows with two features. */
    private Path input() throws IOException {
        StringBuilder b = new StringBuilder("x1,x2,label\n");
        Random rnd = new Random(1);
        for (int i = 0; i < 50; i++) {
            boolean pos = i % 5 == 0;
            b.append(rnd.nextGaussian() + (pos ? 3 : 0)).append(',').append(rnd.nextGaussian()).append(',')
                    .append(pos ? "pos" : "neg").append('\n');
        }
        Path p = dir.resolve("in.csv");
        Files.writeString(p, b.toString());
        return p;
    }

    private static Map<String, Integer> labelCounts(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        assertEquals("x1,x2,label", lines.get(0), "the input's header");
        Map<String, Integer> counts = new TreeMap<>();
        lines.subList(1, lines.size()).forEach(l -> counts.merge(l.substring(l.lastIndexOf(',') + 1), 1, Integer::sum));
        return counts;
    }

    @Test
    void smoteWithExplicitCountsByOriginalLabel() throws IOException {
        Path out = dir.resolve("out.csv");
        CliTest.Result r = CliTest.run("resample", "--input", input().toString(), "--output", out.toString(),
                "--method", "smote", "--k-neighbors", "3", "--sampling-strategy", "pos:25", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("input:  neg: 40, pos: 10") && r.out().contains("output: neg: 40, pos: 25"), r.out());
        assertEquals(Map.of("neg", 40, "pos", 25), labelCounts(out));
    }

    @Test
    void approximateSearchOnRequest() throws IOException {
        Path out = dir.resolve("approx.csv");
        CliTest.Result r = CliTest.run("resample", "--input", input().toString(), "--output", out.toString(),
                "--method", "smote", "--knn", "approx", "--knn-candidates", "4", "--k-neighbors", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals(Map.of("neg", 40, "pos", 40), labelCounts(out));
    }

    @Test
    void nearMissVersion3() throws IOException {
        Path out = dir.resolve("nm.csv");
        Path in = input();
        CliTest.Result r = CliTest.run("resample", "--input", in.toString(), "--output", out.toString(),
                "--method", "nearmiss", "--nearmiss-version", "3", "--n-neighbors", "2", "--n-neighbors-ver3", "4");
        assertEquals(0, r.code(), r.err());
        // imbalanced-learn's NearMiss-3 on the same rows (tools/fixtures/resample/make_nearmiss3_fixtures.py)
        List<String> inLines = Files.readAllLines(in);
        List<String> expected = new ArrayList<>();
        for (JsonNode row : new ObjectMapper().readTree(getClass().getResource("/resample/nearmiss3.json")).get("cli")) {
            expected.add(inLines.get(1 + row.asInt()));
        }
        List<String> lines = Files.readAllLines(out);
        // the kept rows as they were read, in any order
        assertEquals(expected.stream().sorted().toList(), lines.subList(1, lines.size()).stream().sorted().toList());
    }

    /** Counts from imbalanced-learn 0.10 on this input (make_nearmiss3_fixtures.py's cli_input()). */
    @Test
    void adasynAndBorderlineSmote() throws IOException {
        Path in = input();
        Path ada = dir.resolve("ada.csv");
        CliTest.Result a = CliTest.run("resample", "--input", in.toString(), "--output", ada.toString(),
                "--method", "adasyn", "--n-neighbors", "5");
        assertEquals(0, a.code(), a.err());
        assertEquals(Map.of("neg", 40, "pos", 41), labelCounts(ada), "ADASYN's rounding: 41, not the target 40");
        Path bl = dir.resolve("bl.csv");
        CliTest.Result b = CliTest.run("resample", "--input", in.toString(), "--output", bl.toString(),
                "--method", "borderline-smote", "--kind", "2", "--k-neighbors", "3", "--m-neighbors", "6");
        assertEquals(0, b.code(), b.err());
        assertEquals(Map.of("neg", 40, "pos", 40), labelCounts(bl));
        CliTest.Result bad = CliTest.run("resample", "--input", in.toString(), "--output", dir.resolve("k.csv").toString(),
                "--method", "borderline-smote", "--kind", "3");
        assertEquals(2, bad.code());
        assertTrue(bad.err().strip().startsWith("error: kind = 3 is not allowed"), bad.err());
        CliTest.Result m = CliTest.run("resample", "--input", in.toString(), "--output", dir.resolve("m.csv").toString(),
                "--method", "smote", "--m-neighbors", "4");
        assertEquals(2, m.code());
        assertTrue(m.err().contains("--m-neighbors does not apply to --method smote"), m.err());
    }

    /** SMOTE-NC with --categorical; other distance samplers refuse the declared feature. */
    @Test
    void smoteNcWithCategoricalPositions() throws IOException {
        StringBuilder b = new StringBuilder("x1,kind,x2,label\n");
        Random rnd = new Random(2);
        for (int i = 0; i < 50; i++) {
            boolean pos = i % 5 == 0;
            b.append(rnd.nextGaussian() + (pos ? 3 : 0)).append(',').append(rnd.nextInt(pos ? 2 : 3)).append(',')
                    .append(rnd.nextGaussian()).append(',').append(pos ? "pos" : "neg").append('\n');
        }
        Path in = dir.resolve("mixed.csv");
        Files.writeString(in, b.toString());
        Path out = dir.resolve("nc.csv");
        CliTest.Result r = CliTest.run("resample", "--input", in.toString(), "--output", out.toString(),
                "--method", "smote-nc", "--categorical", "1", "--k-neighbors", "3");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("x1,kind,x2,label", lines.get(0));
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] p = line.split(",");
            counts.merge(p[3], 1, Integer::sum);
            double kind = Double.parseDouble(p[1]);
            // The minority only has kinds 0 and 1: a vote among its rows cannot give 2, nor a fraction.
            assertTrue(p[3].equals("neg") ? kind == 0 || kind == 1 || kind == 2 : kind == 0 || kind == 1, line);
        }
        assertEquals(Map.of("neg", 40, "pos", 40), counts);
        Path byName = dir.resolve("nc-by-name.csv");
        CliTest.Result named = CliTest.run("resample", "--input", in.toString(), "--output", byName.toString(),
                "--method", "smote-nc", "--categorical", "kind", "--k-neighbors", "3");
        assertEquals(0, named.code(), named.err());
        assertEquals(lines, Files.readAllLines(byName), "the column named kind is position 1");

        CliTest.Result smote = CliTest.run("resample", "--input", in.toString(), "--output", dir.resolve("s.csv").toString(),
                "--method", "smote", "--categorical", "1");
        assertEquals(2, smote.code());
        assertEquals("error: smote: column 'features' declares categorical features [1] (category indices), which smote"
                + " would treat as numbers; use smote-nc (or random-over / random-under, which copy or drop whole rows)",
                smote.err().strip());
        CliTest.Result none = CliTest.run("resample", "--input", in.toString(), "--output", dir.resolve("n.csv").toString(),
                "--method", "smote-nc");
        assertEquals(2, none.code());
        assertTrue(none.err().strip().startsWith("error: smote-nc: no categorical features"), none.err());
        CliTest.Result bad = CliTest.run("resample", "--input", in.toString(), "--output", dir.resolve("b.csv").toString(),
                "--method", "smote-nc", "--categorical", "one");
        assertEquals(2, bad.code());
        assertEquals("error: " + in + ": --categorical column 'one' is not a feature column; features: x1, kind, x2",
                bad.err().strip());
        assertFalse(Files.exists(dir.resolve("b.csv")));
        CliTest.Result range = CliTest.run("resample", "--input", in.toString(), "--output", dir.resolve("r.csv").toString(),
                "--method", "smote-nc", "--categorical", "3");
        assertEquals(2, range.code());
        assertTrue(range.err().contains("--categorical: categorical feature position 3 is out of range; the features have 3"
                + " entries"), range.err());
    }

    @Test
    void ennWithModeVoteOnAClassListByOriginalLabel() throws IOException {
        Path out = dir.resolve("enn.csv");
        Path in = input();
        CliTest.Result r = CliTest.run("resample", "--input", in.toString(), "--output", out.toString(),
                "--method", "enn", "--n-neighbors", "3", "--kind-sel", "mode", "--sampling-strategy", "[neg]");
        assertEquals(0, r.code(), r.err());
        // imbalanced-learn's EditedNearestNeighbours on the same rows (tools/fixtures/resample/make_cleaning_fixtures.py)
        List<String> inLines = Files.readAllLines(in);
        List<String> expected = new ArrayList<>();
        for (JsonNode row : new ObjectMapper().readTree(getClass().getResource("/resample/cleaning.json")).get("cli")) {
            expected.add(inLines.get(1 + row.asInt()));
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals(expected.stream().sorted().toList(), lines.subList(1, lines.size()).stream().sorted().toList());

        String bad = dir.resolve("bad.csv").toString();
        CliTest.Result kindSel = CliTest.run("resample", "--input", in.toString(), "--output", bad,
                "--method", "smote", "--kind-sel", "mode");
        assertEquals(2, kindSel.code());
        assertEquals("error: --kind-sel does not apply to --method smote", kindSel.err().strip());
        CliTest.Result counts = CliTest.run("resample", "--input", in.toString(), "--output", bad,
                "--method", "tomek-links", "--sampling-strategy", "neg:20");
        assertEquals(2, counts.code());
        assertTrue(counts.err().startsWith("error: sampling-strategy neg:20: a cleaning sampler takes no counts"),
                counts.err());
    }

    @Test
    void badOptionsAreOneLineErrors() throws IOException {
        String in = input().toString();
        Path out = dir.resolve("x.csv");
        CliTest.Result wrongOption = CliTest.run("resample", "--input", in, "--output", out.toString(),
                "--method", "nearmiss", "--k-neighbors", "3");
        assertEquals(2, wrongOption.code());
        assertEquals("error: --k-neighbors does not apply to --method nearmiss", wrongOption.err().strip());

        CliTest.Result unknown = CliTest.run("resample", "--input", in, "--output", out.toString(), "--method", "kmeans-smote");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("error: unknown resampling method 'kmeans-smote'; known: random-over"), unknown.err());

        CliTest.Result shrink = CliTest.run("resample", "--input", in, "--output", out.toString(),
                "--method", "random-over", "--sampling-strategy", "neg:5");
        assertEquals(2, shrink.code());
        assertEquals("error: sampling-strategy: an over-sampler cannot shrink class neg from 40 to 5 rows",
                shrink.err().strip());

        CliTest.Result k = CliTest.run("resample", "--input", in, "--output", out.toString(),
                "--method", "smote", "--k-neighbors", "10");
        assertEquals(2, k.code());
        assertTrue(k.err().strip().startsWith("error: smote: class pos has 10 row(s), but k-neighbors=10 needs at least 11;"
                + " use --k-neighbors 9 or less"), k.err());
        assertFalse(Files.exists(out));

        CliTest.Result knn = CliTest.run("resample", "--input", in, "--output", out.toString(),
                "--method", "smote", "--knn", "fast");
        assertEquals(2, knn.code());
        assertTrue(knn.err().strip().startsWith("error: knn = fast is not allowed: neighbour search: exact, approx"),
                knn.err());
        assertEquals(1, knn.err().strip().lines().count(), knn.err());
        CliTest.Result candidates = CliTest.run("resample", "--input", in, "--output", out.toString(),
                "--method", "nearmiss", "--knn", "approx", "--knn-candidates", "0");
        assertEquals(2, candidates.code());
        assertTrue(candidates.err().strip().startsWith("error: knnCandidates = 0 is not allowed"), candidates.err());
        CliTest.Result notKnn = CliTest.run("resample", "--input", in, "--output", out.toString(),
                "--method", "random-under", "--knn", "approx");
        assertEquals(2, notKnn.code());
        assertEquals("error: --knn does not apply to --method random-under", notKnn.err().strip());
        assertFalse(Files.exists(out));

        CliTest.Result help = CliTest.run("resample", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--n-neighbors-ver3"), help.out());
    }
}
