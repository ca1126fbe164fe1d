package org.counterweight.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading categorical columns and missing values: what the frame holds, and the bad inputs named. */
class CategoricalReadTest {
    private final SparkSession spark = SparkTestSupport.spark();

    @TempDir
    Path dir;

    private String file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p.toString();
    }

    private static ReadOptions categorical(String... cols) {
        return ReadOptions.defaults().withCategorical(List.of(cols));
    }

    private String error(String path, ReadOptions options) {
        return assertThrows(DataException.class, () -> DataReader.read(spark, path, options)).getMessage();
    }

    @Test
    void categoriesTravelAsTextMissingAsNullAndNaN() throws IOException {
        String p = file("c.csv", "x,colour,code,label\n1.5,red,7,a\nNA,?,07.0,b\n2,blue,,a\n");
        LabeledFrame lf = DataReader.read(spark, p, categorical("colour", "code"));
        assertEquals(List.of("x", "colour", "code"), lf.featureNames());
        assertEquals(List.of("colour", "code"), lf.raw().categorical());
        assertEquals(3, lf.raw().missing(), "NA in x, ? in colour, the empty code");
        List<Row> rows = lf.frame().orderBy(Columns.ROW_ID).collectAsList();
        assertArrayEquals(new double[] {1.5, 0, 0}, ((Vector) rows.get(0).getAs(Columns.FEATURES)).toArray());
        assertTrue(Double.isNaN(((Vector) rows.get(1).getAs(Columns.FEATURES)).apply(0)));
        assertEquals(List.of("red", "7"), rows.get(0).getList(rows.get(0).fieldIndex(Columns.CATEGORIES)));
        // integer codes are one category however written; a missing one is null
        assertEquals(Arrays.asList(null, "7"), rows.get(1).getList(rows.get(1).fieldIndex(Columns.CATEGORIES)));
        assertEquals(Arrays.asList("blue", null), rows.get(2).getList(rows.get(2).fieldIndex(Columns.CATEGORIES)));
    }

    @Test
    void framesWithoutCategoricalOrMissingValuesAreAsBefore() throws IOException {
        LabeledFrame lf = DataReader.read(spark, file("n.csv", "a,b,label\n1,2,x\n3,4,y\n"));
        assertNull(lf.raw());
        assertEquals(List.of(Columns.FEATURES, Columns.LABEL, Columns.ROW_ID), List.of(lf.frame().columns()));
    }

    @Test
    void missingValueTextsAreASetting() throws IOException {
        String p = file("m.csv", "a,b,label\n1,-999,x\n3,4,y\n");
        assertNull(DataReader.read(spark, p).raw());
        assertEquals(1, DataReader.read(spark, p, ReadOptions.defaults().withMissingValues("empty, -999")).raw().missing());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReadOptions.defaults().withMissingValues("NA,,?"))
                .getMessage().startsWith("missing-values: has an empty entry"));
    }

    @Test
    void aMissingLabelIsAnErrorNamingFileLineAndColumn() throws IOException {
        String p = file("l.csv", "a,label\n1,x\n2,NA\n3,y\n");
        assertEquals(p + " line 3, column 'label': missing label 'NA' (labels are never missing)", error(p, ReadOptions.defaults()));
        String q = file("l2.csv", "a,label\n1,x\n2,\n3,y\n");
        assertEquals(q + " line 3, column 'label': empty label (labels are never missing)", error(q, ReadOptions.defaults()));
    }

    @Test
    void anUnknownCategoricalColumnIsAnErrorNamingFileAndColumn() throws IOException {
        String p = file("u.csv", "a,b,label\n1,2,x\n3,4,y\n");
        assertEquals(p + ": categorical column 'colour' is not in the input (columns: a, b, label)", error(p, categorical("colour")));
        assertEquals(p + ": categorical column 'label' is the label column", error(p, categorical("label")));
        assertEquals(p + ": categorical column 'b' is not one of the features (a)",
                error(p, categorical("b").withFeatures(List.of("a"))));
    }

    @Test
    void tooManyLevelsIsAnErrorNamingFileAndColumn() throws IOException {
        StringBuilder sb = new StringBuilder("a,city,label\n");
        for (int i = 0; i < 12; i++) {
            sb.append(i).append(",c").append(i).append(',').append(i % 2).append('\n');
        }
        String p = file("lv.csv", sb.toString());
        assertEquals(p + ": categorical column 'city' has more than 10 distinct values (max-levels 10)",
                error(p, categorical("city").withMaxLevels(10)));
        assertEquals(12, DataReader.read(spark, p, categorical("city").withMaxLevels(12)).frame().count());
        String only = file("om.csv", "a,city,label\n1,?,0\n2,NA,1\n");
        assertEquals(only + ": categorical column 'city' has only missing values", error(only, categorical("city")));
    }

    @Test
    void parquetAndFramesTakeNullsAsMissingAndAnyCategoryType() {
        StructType schema = new StructType().add("x", DataTypes.DoubleType).add("code", DataTypes.IntegerType)
                .add("y", DataTypes.StringType);
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(1.0, 3, "a"), RowFactory.create(null, null, "b"),
                RowFactory.create(2.0, 3, "a")), schema);
        LabeledFrame lf = LabeledFrame.of(df, null, ReadOptions.defaults().withLabelCol("y").withCategorical(List.of("code")));
        assertEquals(2, lf.raw().missing());
        List<Row> rows = lf.frame().orderBy(Columns.ROW_ID).collectAsList();
        assertEquals(List.of("3"), rows.get(0).getList(rows.get(0).fieldIndex(Columns.CATEGORIES)));
        assertTrue(Double.isNaN(((Vector) rows.get(1).getAs(Columns.FEATURES)).apply(0)));
    }
}
