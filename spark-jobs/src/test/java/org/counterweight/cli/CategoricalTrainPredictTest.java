package org.counterweight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.logging.log4j.Level;
import org.counterweight.LogCapture;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * {@code train} and {@code predict} with categorical columns on the shipped UCI Adult sample
 * ({@code data/examples/adult_census_sample.csv.gz}, integer-coded categories; see data/README.md):
 * the first 2,400 rows train, the last 600 are scored, some with missing values and a category
 * the training rows never had.
 */
class CategoricalTrainPredictTest {
    static final String CATEGORICAL = "workclass,education,marital-status,occupation,relationship,race,sex,native-country";
    static final Path SAMPLE = Path.of("../data/examples/adult_census_sample.csv.gz");

    @TempDir
    static Path tmp;
    static Path trainCsv;
    static Path testCsv;
    static Path model;
    static Path preds;
    static List<String> predictLog;

    @BeforeAll
    static void trainAndPredict() throws IOException {
        SparkTestSupport.spark();
        List<String> lines;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SAMPLE))) {
            lines = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
        assertEquals(3001, lines.size());
        trainCsv = Files.write(tmp.resolve("train.csv"), lines.subList(0, 2401));
        List<String> test = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 2401; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (i == 2401) {
                f[0] = "NA"; // age missing
                f[1] = "?"; // workclass missing
            } else if (i == 2402) {
                f[13] = "999"; // a native-country code the training rows never had
            } else if (i == 2403) {
                f[3] = ""; // education missing
            }
            test.add(String.join(",", f));
        }
        testCsv = Files.write(tmp.resolve("test.csv"), test);
        model = tmp.resolve("adult.zip");
        assertEquals(0, Main.execute("train", "--master", "local[2]", "--train", trainCsv.toString(), "--categorical", CATEGORICAL,
                "--model", "mlp(hidden=16)", "--loss", "ce", "--optimizer", "adam(lr=0.01)", "--epochs", "3", "--seed", "7",
                "--batch-size", "64", "-o", model.toString()));
        preds = tmp.resolve("p.csv");
        try (LogCapture log = new LogCapture("org.counterweight.train.Preparation", Level.INFO)) {
            assertEquals(0, Main.execute("predict", "--master", "local[2]", "--model", model.toString(), "-i", testCsv.toString(),
                    "-o", preds.toString()));
            predictLog = log.messages();
        }
    }

    @Test
    void everyRowIsScoredAndTheModelLearnsFromTheCategories() throws IOException {
        List<String> rows = Files.readAllLines(preds);
        assertEquals("row_id,label,prediction,prob_0,prob_1", rows.get(0));
        assertEquals(601, rows.size());
        long[][] confusion = new long[2][2];
        for (String r : rows.subList(1, rows.size())) {
            String[] f = r.split(",");
            confusion[Integer.parseInt(f[1])][Integer.parseInt(f[2])]++;
        }
        double balanced = (confusion[0][0] / (double) (confusion[0][0] + confusion[0][1])
                + confusion[1][1] / (double) (confusion[1][0] + confusion[1][1])) / 2;
        // logistic regression on Adult reaches about 0.75-0.80; chance is 0.5
        assertTrue(balanced > 0.65, "balanced accuracy " + balanced);
    }

    @Test
    void theUnseenCategoryIsCountedInTheLog() {
        assertTrue(predictLog.stream().anyMatch(m -> m.endsWith(
                "1 categorical value(s) unseen in training went to the unknown slot (native-country: 1)")), predictLog.toString());
    }

    @Test
    void theModelFileStoresThePreparation() throws IOException {
        Map<String, Object> meta = null;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(model))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals("model.json")) {
                    meta = new ObjectMapper().readValue(zip.readAllBytes(), new TypeReference<Map<String, Object>>() { });
                }
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> prep = (Map<String, Object>) meta.get("preparation");
        assertEquals(List.of(CATEGORICAL.split(",")), prep.get("categorical"));
        @SuppressWarnings("unchecked")
        List<List<String>> categories = (List<List<String>>) prep.get("categories");
        assertEquals(2, categories.get(6).size(), "sex has two codes");
        assertEquals("median", prep.get("impute"));
        assertEquals(14, ((List<?>) meta.get("features")).size());
    }

    /** {@code split} and {@code resample} write or resample features as they are: missing values are refused. */
    @Test
    void commandsWithoutImputationRefuseMissingValues() {
        Path out = tmp.resolve("split-out");
        CliTest.Result r = CliTest.run("split", "--master", "local[2]", "-i", testCsv.toString(), "-o", out.toString());
        assertEquals(2, r.code());
        assertEquals("error: " + testCsv + ": 3 missing value(s); this command needs every feature value (train and experiment"
                + " fill missing values in from the training part)", r.err().strip());
        assertFalse(Files.exists(out));
    }

    @Test
    void badCategoricalInputIsExitTwoWithOneLineAndNoOutput() throws IOException {
        Path out = tmp.resolve("bad.zip");
        CliTest.Result unknown = CliTest.run("train", "--master", "local[2]", "--train", trainCsv.toString(),
                "--categorical", "workclass,colour", "--epochs", "1", "-o", out.toString());
        assertEquals(2, unknown.code());
        assertEquals("error: " + trainCsv + ": categorical column 'colour' is not in the input (columns: age, workclass, fnlwgt,"
                + " education, education-num, marital-status, occupation, relationship, race, sex, ... (15 in all))",
                unknown.err().strip());
        CliTest.Result levels = CliTest.run("train", "--master", "local[2]", "--train", trainCsv.toString(),
                "--categorical", CATEGORICAL, "--max-levels", "20", "--epochs", "1", "-o", out.toString());
        assertEquals(2, levels.code());
        assertEquals("error: " + trainCsv + ": categorical column 'native-country' has more than 20 distinct values (max-levels 20);"
                + " raise the limit with --max-levels", levels.err().strip());
        List<String> lines = new ArrayList<>(Files.readAllLines(trainCsv));
        lines.set(5, lines.get(5).substring(0, lines.get(5).lastIndexOf(',') + 1) + "?");
        Path noLabel = Files.write(tmp.resolve("nolabel.csv"), lines);
        CliTest.Result label = CliTest.run("train", "--master", "local[2]", "--train", noLabel.toString(),
                "--categorical", CATEGORICAL, "--epochs", "1", "-o", out.toString());
        assertEquals(2, label.code());
        assertEquals("error: " + noLabel + " line 6, column 'label': missing label '?' (labels are never missing)",
                label.err().strip());
        assertFalse(Files.exists(out));
        assertEquals(List.of(), Files.list(tmp).filter(p -> p.getFileName().toString().startsWith(".bad")).toList());
    }
}
