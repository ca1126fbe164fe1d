package org.counterweight.evaluate;

import org.counterweight.SparkTestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every metric against scikit-learn 1.2.1 / imbalanced-learn 0.10.0 on committed fixtures
 * ({@code tools/fixtures/evaluate/make_fixtures.py}), to 1e-9.
 */
class MetricsParityTest {
    private static final double TOL = 1e-9;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.spark();
    }

    /** Bucket counts vary (2 = one cut, 64 = finer than the ties) because the answer must not depend on them. */
    @ParameterizedTest
    @CsvSource({"binary_ties, 2", "binary_ties, 64", "multiclass_never_predicted, 5", "multiclass_absent_label, 64",
        "one_row_classes, 3"})
    void matchesScikitLearn(String name, int buckets) {
        Map<String, Double> expected = expected(name);
        Dataset<Row> predictions = predictions(name).repartition(3);
        Evaluation e = new MetricsEvaluator().setScoreBuckets(buckets).evaluate(predictions);
        int k = e.numClasses();
        String at = name + " with " + buckets + " buckets: ";
        assertEquals(expected.get("minority").intValue(), e.minorityClass(), at + "minority");
        for (MetricTable.Overall m : MetricTable.OVERALL) {
            assertEquals(expected.get(m.name()), m.apply(e), TOL, at + m.name());
        }
        for (int c = 0; c < k; c++) {
            for (MetricTable.PerClass m : MetricTable.PER_CLASS) {
                String key = m.name() + "[" + c + "]";
                assertEquals(expected.get(key), m.apply(e, c), TOL, at + key);
            }
            ClassRanking r = e.rankings().get(c);
            if (k == 2 && c != 1 && c != e.minorityClass()) {
                assertTrue(Double.isNaN(r.auc()) && r.roc().isEmpty(), at + "binary: class " + c + " is not ranked");
            } else if (expected.containsKey("auc_roc[" + c + "]")) {
                assertEquals(expected.get("auc_roc[" + c + "]"), r.auc(), TOL, at + "auc_roc[" + c + "]");
                assertEquals(expected.get("average_precision[" + c + "]"), r.averagePrecision(), TOL,
                        at + "average_precision[" + c + "]");
            } else {
                assertFalse(r.defined(), at + "class " + c + " should have no one-vs-rest task");
            }
            for (int j = 0; j < k; j++) {
                assertEquals(expected.get("confusion[" + c + "][" + j + "]").longValue(),
                        e.confusion().count(c, j), at + "confusion[" + c + "][" + j + "]");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary_ties", "multiclass_never_predicted"})
    void curvesRunFromCornerToCorner(String name) {
        Evaluation e = new MetricsEvaluator().setScoreBuckets(8).evaluate(predictions(name));
        for (ClassRanking r : e.rankings()) {
            List<CurvePoint> roc = r.roc();
            assertEquals(0, roc.get(0).x());
            assertEquals(0, roc.get(0).y());
            assertEquals(1, roc.get(roc.size() - 1).x(), TOL);
            assertEquals(1, roc.get(roc.size() - 1).y(), TOL);
            for (int i = 1; i < roc.size(); i++) {
                assertTrue(roc.get(i).x() >= roc.get(i - 1).x() && roc.get(i).y() >= roc.get(i - 1).y(),
                        "ROC points must be monotone");
            }
            // The last PR point (threshold -inf) has recall 1 and precision = prevalence.
            CurvePoint last = r.precisionRecall().get(r.precisionRecall().size() - 1);
            assertEquals(1, last.x(), TOL);
            assertEquals((double) r.positives() / (r.positives() + r.negatives()), last.y(), TOL);
        }
    }

    /** Reads {@code metrics/<name>.csv} (a predictions frame) with double columns. */
    static Dataset<Row> predictions(String name) {
        Path p = resource("metrics/" + name + ".csv");
        String header;
        try {
            header = Files.readAllLines(p).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StructType schema = new StructType();
        for (String col : header.split(",")) {
            schema = schema.add(col, DataTypes.DoubleType, false);
        }
        return spark.read().option("header", "true").schema(schema).csv(p.toString());
    }

    static Map<String, Double> expected(String name) {
        Map<String, Double> out = new LinkedHashMap<>();
        try {
            List<String> lines = Files.readAllLines(resource("metrics/" + name + ".expected.csv"));
            for (String line : lines.subList(1, lines.size())) {
                String[] kv = line.split(",");
                out.put(kv[0], Double.parseDouble(kv[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Path resource(String relative) {
        try {
            return Paths.get(MetricsParityTest.class.getResource(relative).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
