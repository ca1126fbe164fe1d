package org.counterweight.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.SparkTestSupport;
import org.counterweight.data.Columns;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.ReadOptions;
import org.counterweight.evaluate.Evaluation;
import org.counterweight.evaluate.MetricRow;
import org.counterweight.evaluate.MetricTable;
import org.counterweight.evaluate.MetricsEvaluator;
import org.counterweight.resample.Smote;
import org.counterweight.train.Engine;
import org.counterweight.train.Predictor;
import org.counterweight.train.SparkTrainer;
import org.counterweight.train.TrainedModel;
import org.counterweight.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's Spark job in plain Java, using only the public API (README, "Using Counterweight from
 * Java/Spark"): Spark ML feature stages → {@link LabeledFrame#of} → SMOTE → {@link SparkTrainer}
 * with the focal loss → {@link Predictor} → {@link MetricsEvaluator}. The data is an imbalanced,
 * well separated three-class frame with string labels (cat 300, dog 90, bird 30 training rows).
 */
class UserSparkJobExampleTest {
    private static final String[] ANIMALS = {"cat", "dog", "bird"};
    private static final int[] TRAIN_COUNTS = {300, 90, 30};
    private static final int[] TEST_COUNTS = {100, 30, 10};
    private static final StructType SCHEMA = new StructType()
            .add("x1", DataTypes.DoubleType, false).add("x2", DataTypes.DoubleType, false)
            .add("coat", DataTypes.StringType, false).add("animal", DataTypes.StringType, false);

    private final SparkSession spark = SparkTestSupport.spark();

    @TempDir
    Path work;

    @Test
    void sparkMlFeaturesThenSmoteThenFocalLossTrainingThenMetricsInRawLabelValues() {
        List<Row> trainRows = animals(TRAIN_COUNTS, 1);
        List<Row> testRows = animals(TEST_COUNTS, 2);
        Dataset<Row> trainDf = spark.createDataFrame(trainRows, SCHEMA);
        Dataset<Row> testDf = spark.createDataFrame(testRows, SCHEMA);

        // --- the user's job (the README shows these lines) ---
        PipelineModel features = new Pipeline().setStages(new PipelineStage[] {
            new StringIndexer().setInputCol("coat").setOutputCol("coat_index"),
            new VectorAssembler().setInputCols(new String[] {"x1", "x2", "coat_index"}).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("scaled").setWithMean(true)}).fit(trainDf);
        LabeledFrame train = LabeledFrame.of(features.transform(trainDf), "scaled", "animal");
        LabeledFrame test = LabeledFrame.of(features.transform(testDf), "scaled",
                ReadOptions.defaults().withLabelCol("animal").withLabels(train.labels()));

        Dataset<Row> smoted = new Smote().setKNeighbors(5).setSeed(7).resample(train.frame().persist());
        LabeledFrame balanced = train.withFrame(smoted.persist());

        TrainingConfig cfg = new TrainingConfig().model("mlp(hidden=16)").loss("focal(gamma=2)")
                .optimizer("adam(lr=0.01)").epochs(3).batchSize(32).seed(7).engine(Engine.LOCAL)
                .workDir(work.toUri().toString());
        TrainedModel model = new SparkTrainer().train(balanced, null, cfg);

        Dataset<Row> predictions = Predictor.predict(model, test);           // class indexes, prob_0..prob_2
        Evaluation evaluation = new MetricsEvaluator().evaluate(predictions);
        List<MetricRow> metrics = MetricTable.rows(evaluation, model.labels());   // classes by label value
        Dataset<Row> readable = Predictor.withOriginalLabels(predictions, model.labels());   // label values, prob_<value>
        // --- end of the user's job ---

        // Classes are indexed in sorted order of the label values, as the CLI indexes them.
        assertEquals(List.of("bird", "cat", "dog"), train.labels().values());
        assertEquals(train.labels(), model.labels());
        assertArrayEquals(new long[] {30, 300, 90}, train.classCounts());

        // SMOTE's 'auto' raises every class but the majority to the majority's count (imbalanced-learn's
        // 'not majority'): bird gains 270 rows, dog 210, cat none; the original rows are all kept.
        assertArrayEquals(new long[] {300, 300, 300}, balanced.classCounts());
        assertEquals(480, smoted.where(Columns.SYNTHETIC).count());
        assertArrayEquals(new long[] {30, 300, 90}, balanced.withFrame(smoted.where("NOT " + Columns.SYNTHETIC)).classCounts());

        // Predictions name classes by their label values, row by row as in the user's test frame
        // (row ids are positions in it).
        assertEquals(List.of(Columns.ROW_ID, Columns.LABEL, Columns.PREDICTION, "prob_bird", "prob_cat", "prob_dog"),
                List.of(readable.columns()));
        List<Row> scored = readable.orderBy(Columns.ROW_ID).collectAsList();
        assertEquals(testRows.size(), scored.size());
        for (int i = 0; i < scored.size(); i++) {
            assertEquals(i, scored.get(i).getLong(0));
            assertEquals(testRows.get(i).getString(3), scored.get(i).getString(1), "row " + i);
            double total = scored.get(i).getDouble(3) + scored.get(i).getDouble(4) + scored.get(i).getDouble(5);
            assertEquals(1.0, total, 1e-5, "row " + i);
        }

        // The classes are far apart: well above the chance balanced accuracy of 1/3, the minority included.
        Map<String, Double> recall = new TreeMap<>();
        Map<String, Double> support = new TreeMap<>();
        double balancedAccuracy = Double.NaN;
        for (MetricRow m : metrics) {
            if (m.metric().equals("recall")) {
                recall.put(m.className(), m.value());
            } else if (m.metric().equals("support")) {
                support.put(m.className(), m.value());
            } else if (m.metric().equals("balanced_accuracy")) {
                balancedAccuracy = m.value();
            }
        }
        assertEquals(Map.of("bird", 10.0, "cat", 100.0, "dog", 30.0), support);
        assertEquals((recall.get("bird") + recall.get("cat") + recall.get("dog")) / 3, balancedAccuracy, 1e-12);
        assertTrue(balancedAccuracy > 0.8, "balanced accuracy " + balancedAccuracy + ", recalls " + recall);
        assertTrue(recall.get("bird") >= 0.7, "recalls " + recall);
    }

    /**
     * {@code counts[c]} rows of {@code ANIMALS[c]}, classes interleaved at random: two Gaussian
     * blobs 4 standard deviations apart, and a coat that says little beyond the class.
     */
    private static List<Row> animals(int[] counts, long seed) {
        Random random = new Random(seed);
        double[][] centres = {{0, 0}, {2, 0}, {0, 2}};
        List<Integer> classes = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            for (int i = 0; i < counts[c]; i++) {
                classes.add(c);
            }
        }
        java.util.Collections.shuffle(classes, random);
        List<Row> rows = new ArrayList<>();
        for (int c : classes) {
            String coat = c == 2 ? (random.nextDouble() < 0.8 ? "feathers" : "short") : random.nextBoolean() ? "short" : "long";
            rows.add(RowFactory.create(centres[c][0] + 0.5 * random.nextGaussian(), centres[c][1] + 0.5 * random.nextGaussian(),
                    coat, ANIMALS[c]));
        }
        return rows;
    }
}
