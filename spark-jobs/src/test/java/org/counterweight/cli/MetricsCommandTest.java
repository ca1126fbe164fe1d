package org.counterweight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.counterweight.FileModes;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics} on a predictions CSV with original (string) labels: the written CSV uses those
 * names and matches scikit-learn (the multiclass fixture with class indexes renamed in sorted order).
 */
class MetricsCommandTest {
    private static final String[] NAMES = {"ant", "bee", "cat", "dog"};

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        SparkTestSupport.spark();
    }

    private static Path fixture(String name) throws Exception {
        return Path.of(MetricsCommandTest.class.getResource("/org/counterweight/evaluate/metrics/" + name).toURI());
    }

    @Test
    void writesNamedMetricsMatchingScikitLearn() throws Exception {
        List<String> lines = Files.readAllLines(fixture("multiclass_never_predicted.csv"));
        List<String> renamed = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", 3);
            renamed.add(NAMES[Integer.parseInt(f[0])] + "," + NAMES[Integer.parseInt(f[1])] + "," + f[2]);
        }
        Path in = dir.resolve("pred.csv");
        Files.write(in, renamed);
        Path out = dir.resolve("out/metrics.csv");

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            code = Main.execute("metrics", "--predictions", in.toString(), "--output", out.toString());
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("balanced_accuracy"), stdout.toString());

        Map<String, Double> expected = new HashMap<>();
        List<String> exp = Files.readAllLines(fixture("multiclass_never_predicted.expected.csv"));
        for (String line : exp.subList(1, exp.size())) {
            String[] kv = line.split(",");
            expected.put(kv[0], Double.parseDouble(kv[1]));
        }
        List<String> written = Files.readAllLines(out);
        assertEquals("metric,class,value", written.get(0));
        assertEquals(8 + 4 * 4, written.size() - 1);
        for (String line : written.subList(1, written.size())) {
            String[] f = line.split(",", -1);
            String key = f[1].isEmpty() ? f[0] : f[0] + "[" + List.of(NAMES).indexOf(f[1]) + "]";
            assertTrue(expected.containsKey(key), "unexpected row " + line);
            assertEquals(expected.get(key), Double.parseDouble(f[2]), 1e-9, key);
        }
        try (var s = Files.list(out.getParent())) {
            assertEquals(1, s.count(), "no temporary file left next to the output");
        }
        FileModes.assertLikeOrdinaryFile(out);
    }

    @Test
    void missingProbabilityColumnIsExitTwo() throws Exception {
        Path in = dir.resolve("bad.csv");
        Files.write(in, List.of("label,prediction,prob_0", "a,a,0.5"));
        assertEquals(2, Main.execute("metrics", "--predictions", in.toString()));
    }

    @Test
    void missingFileIsExitTwo() {
        assertEquals(2, Main.execute("metrics", "--predictions", dir.resolve("absent.csv").toString()));
    }

    @Test
    void tooFewClassNamesForTheProbabilityColumnsIsExitTwo() throws Exception {
        Path in = dir.resolve("short.csv");
        Files.write(in, List.of("label,prediction,prob_0,prob_1,prob_2", "a,b,0.2,0.5,0.3", "b,b,0.1,0.8,0.1"));
        assertEquals(2, Main.execute("metrics", "--predictions", in.toString()));
    }
}
