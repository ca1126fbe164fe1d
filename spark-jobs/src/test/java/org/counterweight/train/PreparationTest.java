package org.counterweight.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.LogCapture;
import org.counterweight.SparkTestSupport;
import org.counterweight.data.CategoricalFeatures;
import org.counterweight.data.Columns;
import org.counterweight.data.DataReader;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.ReadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preparation is fitted on the training part only and transforms every other part the same
 * way. Expected values are worked out by hand from the rows below.
 */
class PreparationTest {
    private static final double TOL = 1e-12;
    private final SparkSession spark = SparkTestSupport.spark();

    @TempDir
    Path dir;

    /**
     * Training rows: x = 1, 2, 3, ?, 10 (median of the four values 2 with Spark's approximate
     * median, which returns an observed value: the lower middle one); colour = red ×3, blue ×1,
     * missing ×1 (frequency order red, blue).
     */
    private static final String TRAIN = "x,colour,label\n1,red,a\n2,blue,b\n3,red,a\n?,red,b\n10,NA,a\n";
    /** Test rows: a missing x, a category the training part lacks, a missing category. */
    private static final String TEST = "x,colour,label\nNA,green,a\n4,,b\n";

    private LabeledFrame read(String name, String csv) throws IOException {
        Path p = Files.writeString(dir.resolve(name), csv);
        return DataReader.read(spark, p.toString(), ReadOptions.defaults().withCategorical(List.of("colour")));
    }

    private static List<double[]> rows(LabeledFrame lf) {
        return lf.frame().orderBy(Columns.ROW_ID).collectAsList().stream()
                .map(r -> ((Vector) r.getAs(Columns.FEATURES)).toArray()).toList();
    }

    @Test
    void fittedOnTrainingOnlyAndAppliedToOtherParts() throws IOException {
        LabeledFrame train = read("train.csv", TRAIN);
        LabeledFrame test = read("test.csv", TEST);
        Preparation p = Preparation.fit(train, PrepareOptions.defaults());
        // x after imputation: 1, 2, 3, 2, 10: mean 3.6, sample std sqrt(47.2 / 4) (Summarizer's std)
        double mean = 3.6;
        double std = Math.sqrt(((1 - mean) * (1 - mean) + (2 - mean) * (2 - mean) + (3 - mean) * (3 - mean)
                + (2 - mean) * (2 - mean) + (10 - mean) * (10 - mean)) / 4);
        LabeledFrame tr = p.transform(train, false);
        assertEquals(CategoricalFeatures.at(1).withLevels(2), tr.categorical());
        assertEquals(tr.categorical(), CategoricalFeatures.of(tr.frame()), "the features column's attributes say the same");
        assertTrue(CategoricalFeatures.of(train.frame()).isEmpty());
        assertNull(tr.raw());
        List<double[]> t = rows(tr);
        double[][] expected = {{1, 0}, {2, 1}, {3, 0}, {2, 0}, {10, 0}};
        for (int i = 0; i < expected.length; i++) {
            assertEquals((expected[i][0] - mean) / std, t.get(i)[0], TOL, "row " + i);
            assertEquals(expected[i][1], t.get(i)[1], "row " + i + ": red is 0, blue 1, a missing colour the most frequent (red)");
        }
        List<double[]> s;
        try (LogCapture log = new LogCapture("org.counterweight.train.Preparation", Level.INFO)) {
            s = rows(p.transform(test, true));
            assertTrue(log.messages().stream().anyMatch(m -> m.endsWith(
                    "1 categorical value(s) unseen in training went to the unknown slot (colour: 1)")), log.messages().toString());
        }
        // test statistics never enter: the missing x gets the training median, green the unknown slot 2
        assertArrayEquals(new double[] {(2 - mean) / std, 2}, s.get(0), TOL);
        assertArrayEquals(new double[] {(4 - mean) / std, 0}, s.get(1), TOL);
    }

    @Test
    void imputationStrategiesAndMissingIndicators() throws IOException {
        LabeledFrame train = read("train.csv", TRAIN);
        Preparation mean = Preparation.fit(train, new PrepareOptions("mean", true));
        assertEquals(List.of("x", "colour", "missing_x"), mean.featureNames());
        List<double[]> rows = rows(new LabeledFrame(mean.transform(train, false).frame(), train.labels(), mean.featureNames(),
                "t"));
        // mean of 1, 2, 3, 10 = 4 fills the gap; the indicator is 1 only there and is not scaled
        double m = 4.0;
        double std = Math.sqrt((9 + 4 + 1 + 0 + 36) / 4.0);
        assertEquals((m - m) / std, rows.get(3)[0], TOL);
        assertEquals(1.0, rows.get(3)[2]);
        assertEquals(0.0, rows.get(0)[2]);
        Preparation mode = Preparation.fit(read("t2.csv", "x,colour,label\n5,red,a\n5,red,b\n7,blue,a\n?,red,b\n"),
                new PrepareOptions("most-frequent", false));
        assertEquals(5.0, mode.toJson().get("surrogates") instanceof double[] d ? d[0] : Double.NaN);
    }

    @Test
    void oneHotForTheNetworkHasAnUnknownSlotPerCategoricalFeature() throws IOException {
        LabeledFrame train = read("train.csv", TRAIN);
        Preparation p = Preparation.fit(train, PrepareOptions.defaults());
        LabeledFrame test = p.transform(read("test.csv", TEST), false);
        assertEquals(1 + 3, NetworkInput.width(test.categorical(), test.numFeatures()));
        List<double[]> hot = NetworkInput.of(test).orderBy(Columns.ROW_ID).collectAsList().stream()
                .map(r -> ((Vector) r.getAs(Columns.FEATURES)).toArray()).toList();
        assertArrayEquals(new double[] {0, 0, 1}, java.util.Arrays.copyOfRange(hot.get(0), 1, 4), "green: the unknown slot");
        assertArrayEquals(new double[] {1, 0, 0}, java.util.Arrays.copyOfRange(hot.get(1), 1, 4), "missing: red");
        assertEquals(4, hot.get(0).length);
    }

    @Test
    void storedFormRoundTrips() throws IOException {
        Preparation p = Preparation.fit(read("train.csv", TRAIN), new PrepareOptions("median", true));
        Preparation back = Preparation.fromJson(new org.nd4j.shade.jackson.databind.ObjectMapper().readValue(
                new org.nd4j.shade.jackson.databind.ObjectMapper().writeValueAsBytes(p.toJson()),
                new org.nd4j.shade.jackson.core.type.TypeReference<java.util.Map<String, Object>>() { }));
        LabeledFrame test = read("test.csv", TEST);
        List<Row> a = p.transform(test, false).frame().orderBy(Columns.ROW_ID).collectAsList();
        List<Row> b = back.transform(test, false).frame().orderBy(Columns.ROW_ID).collectAsList();
        assertEquals(a, b);
        assertEquals(p.featureNames(), back.featureNames());
        assertEquals(p.categoricalFeatures(), back.categoricalFeatures());
    }
}
