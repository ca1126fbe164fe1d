package org.counterweight.evaluate;

import org.counterweight.SparkTestSupport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.DataException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad predictions frames fail with a message naming the column; K can exceed the classes seen. */
class MetricsEvaluatorValidationTest {
    private static SparkSession spark;
    private static final StructType SCHEMA = new StructType()
            .add("label", DataTypes.DoubleType, true).add("prediction", DataTypes.DoubleType, true)
            .add("prob_0", DataTypes.DoubleType, true).add("prob_1", DataTypes.DoubleType, true);

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.spark();
    }

    private static Dataset<Row> frame(Object[]... rows) {
        return spark.createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA);
    }

    @Test
    void labelOutsideTheClassesIsNamed() {
        Dataset<Row> f = frame(new Object[] {0.0, 0.0, 0.9, 0.1}, new Object[] {2.0, 1.0, 0.2, 0.8});
        DataException e = assertThrows(DataException.class, () -> new MetricsEvaluator().evaluate(f));
        assertTrue(e.getMessage().contains("column 'label'") && e.getMessage().contains("0..1"), e.getMessage());
    }

    @Test
    void fractionalPredictionIsNamed() {
        Dataset<Row> f = frame(new Object[] {0.0, 0.5, 0.9, 0.1}, new Object[] {1.0, 1.0, 0.2, 0.8});
        DataException e = assertThrows(DataException.class, () -> new MetricsEvaluator().evaluate(f));
        assertTrue(e.getMessage().contains("column 'prediction'"), e.getMessage());
    }

    @Test
    void nanProbabilityIsNamed() {
        Dataset<Row> f = frame(new Object[] {0.0, 0.0, Double.NaN, 0.1}, new Object[] {1.0, 1.0, 0.2, 0.8});
        DataException e = assertThrows(DataException.class, () -> new MetricsEvaluator().evaluate(f));
        assertTrue(e.getMessage().contains("prob_0..prob_1"), e.getMessage());
    }

    @Test
    void missingColumnFailsBeforeAnyJob() {
        Dataset<Row> f = frame(new Object[] {0.0, 0.0, 0.9, 0.1}).drop("prediction");
        DataException e = assertThrows(DataException.class, () -> new MetricsEvaluator().validateSchema(f.schema()));
        assertTrue(e.getMessage().contains("'prediction'"), e.getMessage());
        assertThrows(DataException.class,
                () -> new MetricsEvaluator().validateSchema(frame().drop("prob_1").schema()));
    }

    @Test
    void emptyFrameIsAnError() {
        assertThrows(DataException.class, () -> new MetricsEvaluator().evaluate(frame()));
    }

    @Test
    void hundredPercentCorrectGivesOnes() {
        Evaluation e = new MetricsEvaluator().evaluate(frame(new Object[] {0.0, 0.0, 0.9, 0.1},
                new Object[] {0.0, 0.0, 0.6, 0.4}, new Object[] {1.0, 1.0, 0.3, 0.7}));
        for (String m : List.of("accuracy", "balanced_accuracy", "f1_macro", "f1_minority", "g_mean", "mcc",
                "auc_roc", "average_precision")) {
            assertEquals(1.0, MetricTable.overall(e, m), 1e-12, m);
        }
        assertEquals(1, e.minorityClass());
    }
}
