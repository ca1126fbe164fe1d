package org.counterweight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.counterweight.SparkTestSupport;
import org.counterweight.train.TrainedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainPredictCommandTest {
    @TempDir
    static Path tmp;
    static Path trainCsv;
    static Path testCsv;

    /** The satimage subset with labels renamed to strings, split 3:1 by line number. */
    @BeforeAll
    static void data() throws IOException {
        SparkTestSupport.spark();
        List<String> lines = Files.readAllLines(Path.of(TrainPredictCommandTest.class.getResource("/train/satimage-subset.csv").getPath()));
        StringBuilder tr = new StringBuilder(lines.get(0)).append('\n');
        StringBuilder te = new StringBuilder(lines.get(0)).append('\n');
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            String named = l.substring(0, l.lastIndexOf(',') + 1) + (l.endsWith(",1") ? "rare" : "common");
            (i % 4 == 0 ? te : tr).append(named).append('\n');
        }
        trainCsv = Files.writeString(tmp.resolve("train.csv"), tr);
        testCsv = Files.writeString(tmp.resolve("test.csv"), te);
    }

    @Test
    void trainThenPredictWritesOriginalLabelValues() throws IOException {
        Path model = tmp.resolve("m.zip");
        int code = Main.execute("train", "--master", "local[2]", "--train", trainCsv.toString(), "--validation", testCsv.toString(),
                "--model", "mlp(hidden=16,8)", "--loss", "ce", "--optimizer", "adam(lr=0.01)", "--epochs", "3", "--seed", "7",
                "--batch-size", "32", "--output", model.toString());
        assertEquals(0, code);
        TrainedModel m = TrainedModel.load(model);
        assertEquals(List.of("common", "rare"), m.labels().values());
        assertEquals(trainCsv.toString(), m.provenance().get("train"));
        assertEquals(3, m.history().size());

        Path preds = tmp.resolve("p.csv");
        assertEquals(0, Main.execute("predict", "--master", "local[2]", "--model", model.toString(), "--input", testCsv.toString(),
                "--output", preds.toString()));
        List<String> out = Files.readAllLines(preds);
        assertEquals("label,prediction,prob_0,prob_1", out.get(0));
        assertEquals(201, out.size(), "one line per test row plus the header");
        for (String line : out.subList(1, out.size())) {
            String[] f = line.split(",");
            assertTrue(f[0].equals("common") || f[0].equals("rare"), line);
            assertTrue(f[1].equals("common") || f[1].equals("rare"), line);
            assertEquals(1.0, Double.parseDouble(f[2]) + Double.parseDouble(f[3]), 1e-6);
        }
    }

    @Test
    void badSpecsAreOneLineErrorsWithExitCode2() {
        assertEquals(2, Main.execute("train", "--master", "local[2]", "--train", trainCsv.toString(), "--epochs", "1",
                "--loss", "nope", "--output", tmp.resolve("x.zip").toString()));
        assertEquals(2, Main.execute("train", "--master", "local[2]", "--train", trainCsv.toString(), "--epochs", "1",
                "--optimizer", "adam(lr=-1)", "--output", tmp.resolve("x.zip").toString()));
        assertEquals(2, Main.execute("predict", "--master", "local[2]", "--model", tmp.resolve("missing.zip").toString(),
                "--input", testCsv.toString(), "--output", tmp.resolve("p.csv").toString()));
        assertTrue(!Files.exists(tmp.resolve("x.zip")));
    }
}
