package org.counterweight.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.logging.log4j.Level;
import org.counterweight.LogCapture;
import org.counterweight.SparkTestSupport;
import org.counterweight.train.TrainedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * {@code train} then {@code predict} on CSV: features matched by name, unlabeled scoring with an
 * id column, and {@code metrics} on the predictions file.
 */
class TrainPredictCommandTest {
    @TempDir
    static Path tmp;
    static Path trainCsv;
    static Path testCsv;
    static Path model;
    /** Predictions of the unchanged test file. */
    static Path preds;
    /** What the training logged per epoch (captured at DEBUG and above), with the levels. */
    static List<String> epochMessages;
    static List<Level> epochLevels;

    /**
     * The satimage subset with labels renamed to strings, split 3:1 by line number; a 3-epoch
     * model and its predictions on the test part.
     */
    @BeforeAll
    static void trainAndPredict() throws IOException {
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
        model = tmp.resolve("m.zip");
        try (LogCapture log = new LogCapture("org.counterweight.train.EpochLoop", Level.DEBUG)) {
            assertEquals(0, Main.execute("train", "--master", "local[2]", "--train", trainCsv.toString(), "--validation",
                    testCsv.toString(), "--model", "mlp(hidden=16,8)", "--loss", "ce", "--optimizer", "adam(lr=0.01)",
                    "--epochs", "3", "--seed", "7", "--batch-size", "32", "-o", model.toString()));
            epochMessages = log.messages();
            epochLevels = log.levels();
        }
        preds = tmp.resolve("p.csv");
        assertEquals(0, Main.execute("predict", "--master", "local[2]", "--model", model.toString(), "-i", testCsv.toString(),
                "-o", preds.toString()));
    }

    /** {@code testCsv} with every line's fields (header included: line 0) edited. */
    private static Path rewrite(String name, BiFunction<Integer, List<String>, List<String>> edit) throws IOException {
        List<String> lines = Files.readAllLines(testCsv);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            out.add(String.join(",", edit.apply(i, new ArrayList<>(List.of(lines.get(i).split(","))))));
        }
        return Files.write(tmp.resolve(name), out);
    }

    private static CliTest.Result predict(Path input, Path output, String... more) {
        List<String> args = new ArrayList<>(List.of("predict", "--master", "local[2]", "--model", model.toString(),
                "--input", input.toString(), "--output", output.toString()));
        args.addAll(List.of(more));
        return CliTest.run(args.toArray(new String[0]));
    }

    /** The per-epoch line is DEBUG: hidden by default, shown with --verbose (CliTest checks the switch). */
    @Test
    void perEpochLinesAreLoggedAtDebug() {
        List<Integer> epochs = new ArrayList<>();
        for (int i = 0; i < epochMessages.size(); i++) {
            if (epochMessages.get(i).matches("epoch \\d/3 .*")) {
                assertEquals(Level.DEBUG, epochLevels.get(i), epochMessages.get(i));
                epochs.add(i);
            }
        }
        assertEquals(3, epochs.size(), epochMessages.toString());
    }

    @Test
    void modelFileStoresLabelsAndFeatureNames() throws IOException {
        TrainedModel m = TrainedModel.load(model);
        assertEquals(List.of("common", "rare"), m.labels().values());
        assertEquals(List.of(Files.readAllLines(trainCsv).get(0).split(",")).subList(0, 36), m.featureNames().orElseThrow());
        assertEquals(trainCsv.toString(), m.provenance().get("train"));
        assertEquals(3, m.history().size());
    }

    @Test
    void predictionsHaveRowIdOriginalLabelsAndProbabilitiesNamedByLabelValue() throws IOException {
        List<String> out = Files.readAllLines(preds);
        assertEquals("row_id,label,prediction,prob_common,prob_rare", out.get(0));
        assertEquals(201, out.size(), "one line per test row plus the header");
        for (int i = 1; i < out.size(); i++) {
            String[] f = out.get(i).split(",");
            assertEquals(Integer.toString(i - 1), f[0], "row_id = data row position");
            assertTrue(f[1].equals("common") || f[1].equals("rare"), out.get(i));
            assertTrue(f[2].equals("common") || f[2].equals("rare"), out.get(i));
            assertEquals(1.0, Double.parseDouble(f[3]) + Double.parseDouble(f[4]), 1e-6);
            assertEquals(Double.parseDouble(f[4]) > Double.parseDouble(f[3]) ? "rare" : "common", f[2]);
        }
    }

    @Test
    void featuresAreMatchedByNameNotPosition() throws IOException {
        Path shuffled = rewrite("shuffled.csv", (i, f) -> {
            Collections.swap(f, 0, 1);
            f.add(3, i == 0 ? "note" : "not a number " + i);
            return f;
        });
        Path out = tmp.resolve("p-shuffled.csv");
        assertEquals(0, predict(shuffled, out).code());
        // Every row is scored at the same place of the same block whatever the file's partitioning.
        assertArrayEquals(Files.readAllBytes(preds), Files.readAllBytes(out));
    }


    @Test
    void unlabeledInputIsScoredAndTheIdColumnComesFirst() throws IOException {
        Path unlabeled = rewrite("unlabeled.csv", (i, f) -> {
            f.remove(f.size() - 1);
            f.add(5, i == 0 ? "id" : "r" + (i - 1));
            return f;
        });
        Path out = tmp.resolve("p-unlabeled.csv");
        CliTest.Result r = predict(unlabeled, out, "--id-col", "id");
        assertEquals(0, r.code(), r.err());
        List<String> got = Files.readAllLines(out);
        assertEquals("id,prediction,prob_common,prob_rare", got.get(0));
        List<String> expected = new ArrayList<>(List.of(got.get(0)));
        for (String line : Files.readAllLines(preds).subList(1, got.size())) {
            String[] f = line.split(",", 3);
            expected.add("r" + f[0] + "," + f[2]);
        }
        assertEquals(expected, got);
    }

    @Test
    void aMissingFeatureIsExitTwoNamingItAndTheFile() throws IOException {
        Path missing = rewrite("missing.csv", (i, f) -> {
            f.remove(7);
            return f;
        });
        Path out = tmp.resolve("p-missing.csv");
        CliTest.Result r = predict(missing, out);
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: " + missing + ": no feature column 'f7'"), r.err());
        assertFalse(Files.exists(out));
    }

    /** A model file written before feature names were stored: scored by position, as then. */
    @Test
    void oldModelFilesWithoutFeatureNamesStillScore() throws IOException {
        Path old = tmp.resolve("old.zip");
        ObjectMapper json = new ObjectMapper();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(model));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(old))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().equals("model.json")) {
                    Map<String, Object> meta = json.readValue(bytes, new TypeReference<Map<String, Object>>() { });
                    assertTrue(meta.remove("features") != null);
                    bytes = json.writeValueAsBytes(meta);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        assertTrue(TrainedModel.load(old).featureNames().isEmpty());
        Path out = tmp.resolve("p-old.csv");
        CliTest.Result r = CliTest.run("predict", "--master", "local[2]", "--model", old.toString(), "-i", testCsv.toString(),
                "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(preds), Files.readAllBytes(out));
    }

    /** {@code metrics} reads prob_<label value>; the same file with class-index columns (the old format) gives the same metrics. */
    @Test
    void metricsOfNewAndOldPredictionsFormatsAgree() throws IOException {
        List<String> lines = Files.readAllLines(preds);
        List<String> indexed = new ArrayList<>(lines);
        indexed.set(0, lines.get(0).replace("prob_common", "prob_0").replace("prob_rare", "prob_1"));
        Path old = Files.write(tmp.resolve("p-old-format.csv"), indexed);
        Path mNew = tmp.resolve("m-new.csv");
        Path mOld = tmp.resolve("m-old.csv");
        assertEquals(0, CliTest.run("metrics", "--master", "local[2]", "--predictions", preds.toString(), "--output", mNew.toString()).code());
        assertEquals(0, CliTest.run("metrics", "--master", "local[2]", "--predictions", old.toString(), "--output", mOld.toString()).code());
        List<String> metrics = Files.readAllLines(mNew);
        assertTrue(metrics.stream().anyMatch(l -> l.startsWith("recall,rare,")), metrics.toString());
        assertEquals(Files.readAllLines(mOld), metrics);
    }

    @Test
    void badSpecsAreOneLineErrorsWithExitCode2() {
        assertEquals(2, Main.execute("train", "--master", "local[2]", "--train", trainCsv.toString(), "--epochs", "1",
                "--loss", "nope", "--output", tmp.resolve("x.zip").toString()));
        assertEquals(2, Main.execute("train", "--master", "local[2]", "--train", trainCsv.toString(), "--epochs", "1",
                "--optimizer", "adam(lr=-1)", "--output", tmp.resolve("x.zip").toString()));
        assertEquals(2, Main.execute("predict", "--master", "local[2]", "--model", tmp.resolve("missing.zip").toString(),
                "--input", testCsv.toString(), "--output", tmp.resolve("x.csv").toString()));
        assertTrue(!Files.exists(tmp.resolve("x.zip")));
    }
}
