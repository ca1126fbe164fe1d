package org.counterweight.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.SparkTestSupport;
import org.counterweight.resample.Smote;
import org.counterweight.train.SparkTrainer;
import org.counterweight.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LabeledFrame#of}: a plain Spark ML frame (vector features, raw labels of any type, no
 * row ids) becomes the frame contract exactly as the CLI reads the same rows from a CSV file;
 * row ids are positions, whatever the partitioning; stages given a frame outside the contract
 * point to it.
 */
class LabeledFrameOfTest {
    private final SparkSession spark = SparkTestSupport.spark();

    @TempDir
    Path dir;

    private static final StructType VECTOR_AND_LABEL_TEXT = new StructType()
            .add("vec", SQLDataTypes.VectorType(), false).add("y", DataTypes.StringType, true);

    /** Label values of each Spark type, in an order that is neither sorted nor the numeric order. */
    static Stream<Arguments> labelTypes() {
        return Stream.of(
                Arguments.of(DataTypes.StringType, List.of("dog", "cat", "bird", "cat", "Cat")),
                Arguments.of(DataTypes.IntegerType, List.of(10, 2, 1, 2, -3)),
                Arguments.of(DataTypes.LongType, List.of(10L, 9L, 100L, 9L, 10L)),
                Arguments.of(DataTypes.DoubleType, List.of(0.5, 10.0, 2.0, 2.0, 0.5)),
                Arguments.of(DataTypes.BooleanType, List.of(true, false, true, true, false)));
    }

    @ParameterizedTest
    @MethodSource("labelTypes")
    void rawLabelsOfAnyTypeAreIndexedAsTheCliIndexesTheSameValuesInACsvFile(DataType type, List<Object> labels)
            throws IOException {
        List<Row> rows = new ArrayList<>();
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < labels.size(); i++) {
            rows.add(RowFactory.create(Vectors.dense(i, i + 0.25), labels.get(i)));
            csv.append(i).append(',').append(i + 0.25).append(',').append(labels.get(i)).append('\n');
        }
        StructType schema = new StructType().add("vec", SQLDataTypes.VectorType(), false).add("y", type, false);
        LabeledFrame api = LabeledFrame.of(spark.createDataFrame(rows, schema), "vec", "y");

        Path file = dir.resolve("labels.csv");
        Files.writeString(file, csv);
        LabeledFrame cli = DataReader.read(spark, file.toString(), ReadOptions.defaults().withLabelCol("y"));

        assertEquals(cli.labels(), api.labels());
        assertEquals(List.of(Columns.FEATURES, Columns.LABEL, Columns.ROW_ID), List.of(api.frame().columns()));
        assertEquals(cli.frame().orderBy(Columns.ROW_ID).collectAsList(), api.frame().orderBy(Columns.ROW_ID).collectAsList());
    }

    @Test
    void numericLabelValuesAreOrderedAsNumbers() {
        List<Row> rows = List.of(RowFactory.create(Vectors.dense(1), 10), RowFactory.create(Vectors.dense(2), 9),
                RowFactory.create(Vectors.dense(3), 100));
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.IntegerType);
        LabeledFrame lf = LabeledFrame.of(spark.createDataFrame(rows, schema), "features", "label");
        assertEquals(List.of("9", "10", "100"), lf.labels().values());
        assertArrayEquals(new long[] {1, 1, 1}, lf.classCounts());
    }

    @Test
    void assignedRowIdsAreInputPositionsWhateverThePartitioning() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(RowFactory.create(Vectors.dense(i), i % 7 == 0 ? "rare" : "common"));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        for (int partitions : new int[] {1, 3, 8}) {
            Dataset<Row> frame = spark.createDataFrame(jsc.parallelize(rows, partitions), VECTOR_AND_LABEL_TEXT);
            for (Dataset<Row> sameOrder : List.of(frame, frame.coalesce(1))) {
                List<Row> out = LabeledFrame.of(sameOrder, "vec", "y").frame().collectAsList();
                assertEquals(1000, out.size());
                for (Row r : out) {
                    // feature 0 is the row's position in the input
                    assertEquals((long) ((Vector) r.get(0)).apply(0), r.getLong(2), "partitions=" + partitions);
                }
            }
        }
    }

    @Test
    void aGivenRowIdIsKeptAndMustBeAUniqueLong() {
        StructType schema = VECTOR_AND_LABEL_TEXT.add(Columns.ROW_ID, DataTypes.LongType, true);
        List<Row> rows = List.of(RowFactory.create(Vectors.dense(1), "a", 70L), RowFactory.create(Vectors.dense(2), "b", 5L));
        LabeledFrame lf = LabeledFrame.of(spark.createDataFrame(rows, schema), "vec", "y");
        assertEquals(List.of(5L, 70L), lf.frame().orderBy(Columns.ROW_ID).select(Columns.ROW_ID).as(
                org.apache.spark.sql.Encoders.LONG()).collectAsList());

        List<Row> dup = List.of(RowFactory.create(Vectors.dense(1), "a", 5L), RowFactory.create(Vectors.dense(2), "b", 5L));
        String m = assertThrows(DataException.class,
                () -> LabeledFrame.of(spark.createDataFrame(dup, schema), "vec", "y")).getMessage();
        assertEquals("frame: column 'row_id' has 2 rows with id 5; row ids must be unique longs (drop the column to have ids assigned)", m);

        StructType intIds = VECTOR_AND_LABEL_TEXT.add(Columns.ROW_ID, DataTypes.IntegerType);
        m = assertThrows(DataException.class, () -> LabeledFrame.of(spark.createDataFrame(
                List.of(RowFactory.create(Vectors.dense(1), "a", 1)), intIds), "vec", "y")).getMessage();
        assertTrue(m.contains("'row_id' has type int"), m);
    }

    @Test
    void featureNamesComeFromVectorAssemblerOrFromNumericColumns() {
        StructType schema = new StructType().add("height", DataTypes.DoubleType).add("weight", DataTypes.IntegerType)
                .add("kind", DataTypes.StringType);
        List<Row> rows = List.of(RowFactory.create(1.5, 60, "x"), RowFactory.create(1.8, 90, "y"));
        Dataset<Row> raw = spark.createDataFrame(rows, schema);
        Dataset<Row> assembled = new VectorAssembler().setInputCols(new String[] {"height", "weight"})
                .setOutputCol("v").transform(raw);
        LabeledFrame fromVector = LabeledFrame.of(assembled, "v", "kind");
        assertEquals(List.of("height", "weight"), fromVector.featureNames());

        LabeledFrame fromColumns = LabeledFrame.of(raw, null, ReadOptions.defaults().withLabelCol("kind"));
        assertEquals(List.of("height", "weight"), fromColumns.featureNames());
        assertEquals(fromVector.frame().orderBy(Columns.ROW_ID).collectAsList(),
                fromColumns.frame().orderBy(Columns.ROW_ID).collectAsList());
    }

    @Test
    void aTestPartIsIndexedWithTheTrainingClasses() {
        List<Row> rows = List.of(RowFactory.create(Vectors.dense(1), "b"));
        LabelIndex training = LabelIndex.of(List.of("a", "b", "c"));
        LabeledFrame test = LabeledFrame.of(spark.createDataFrame(rows, VECTOR_AND_LABEL_TEXT), "vec",
                ReadOptions.defaults().withLabelCol("y").withLabels(training));
        assertEquals(training, test.labels());
        assertEquals(1.0, test.frame().first().getDouble(1));
    }

    @Test
    void aFrameAlreadyInTheContractIsNotIndexedTwice() {
        LabeledFrame lf = LabeledFrame.of(spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1), "a"),
                RowFactory.create(Vectors.dense(2), "b")), VECTOR_AND_LABEL_TEXT), "vec", "y");
        String m = assertThrows(DataException.class, () -> LabeledFrame.of(lf.frame(), Columns.FEATURES, Columns.LABEL))
                .getMessage();
        assertEquals("frame: column 'label' already holds the class indexes of LabelIndex[a, b] (a frame in Counterweight's"
                + " contract); give new rows of it the classes with LabeledFrame.withFrame", m);
    }

    @Test
    void badFramesFailNamingTheColumnAndRow() {
        Dataset<Row> ok = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1), "a"),
                RowFactory.create(Vectors.dense(2), "b")), VECTOR_AND_LABEL_TEXT);
        assertEquals("frame: no features column 'features' (columns: vec, y)",
                assertThrows(DataException.class, () -> LabeledFrame.of(ok, "features", "y")).getMessage());
        assertTrue(assertThrows(DataException.class, () -> LabeledFrame.of(ok, "y", "vec")).getMessage()
                .startsWith("frame: features column 'y' has type string, not a vector"));
        assertTrue(assertThrows(DataException.class, () -> LabeledFrame.of(ok, "vec", "label")).getMessage()
                .startsWith("frame: no label column 'label'"));

        Dataset<Row> nullLabel = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1), "a"),
                RowFactory.create(Vectors.dense(2), null)), VECTOR_AND_LABEL_TEXT);
        assertEquals("frame row 1, column 'y': missing label",
                assertThrows(DataException.class, () -> LabeledFrame.of(nullLabel, "vec", "y")).getMessage());

        Dataset<Row> nan = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1), "a"),
                RowFactory.create(Vectors.dense(Double.POSITIVE_INFINITY), "b")), VECTOR_AND_LABEL_TEXT);
        assertEquals("frame row 1, column 'vec[0]': Infinity is not a finite number",
                assertThrows(DataException.class, () -> LabeledFrame.of(nan, "vec", "y")).getMessage());

        StructType arrays = new StructType().add("vec", SQLDataTypes.VectorType())
                .add("y", DataTypes.createArrayType(DataTypes.StringType));
        Dataset<Row> arrayLabel = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1), List.of("a").toArray())), arrays);
        assertEquals("frame: label column 'y' has type array<string>; labels must be strings, numbers or booleans",
                assertThrows(DataException.class, () -> LabeledFrame.of(arrayLabel, "vec", "y")).getMessage());
    }

    @Test
    void stagesGivenARawSparkFramePointToTheEntryPoint() {
        StructType raw = new StructType().add(Columns.FEATURES, SQLDataTypes.VectorType())
                .add(Columns.LABEL, DataTypes.StringType);
        Dataset<Row> frame = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1), "a")), raw);
        String resample = assertThrows(DataException.class, () -> new Smote().resample(frame)).getMessage();
        assertTrue(resample.endsWith(LabeledFrame.HOW_TO_CONVERT), resample);
        String train = assertThrows(DataException.class, () -> new SparkTrainer().train(frame, null, new TrainingConfig()))
                .getMessage();
        assertTrue(train.startsWith("training data: no double column 'label'") && train.endsWith(LabeledFrame.HOW_TO_CONVERT),
                train);
        Dataset<Row> indexedButNoIds = frame.withColumn(Columns.LABEL, frame.col(Columns.LABEL).isNull().cast("double"));
        String noIds = assertThrows(DataException.class, () -> new Smote().resample(indexedButNoIds)).getMessage();
        assertTrue(noIds.startsWith("column 'row_id' (rowIdCol) not found") && noIds.endsWith(LabeledFrame.HOW_TO_CONVERT),
                noIds);
    }
}
