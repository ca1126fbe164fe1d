package org.counterweight.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataReaderTest {
    private final SparkSession spark = SparkTestSupport.spark();

    @TempDir
    Path dir;

    private String file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            Files.writeString(p, content);
        }
        return p.toString();
    }

    private String error(String path) {
        return error(path, ReadOptions.defaults());
    }

    private String error(String path, ReadOptions options) {
        return assertThrows(DataException.class, () -> DataReader.read(spark, path, options)).getMessage();
    }

    @Test
    void readsBuiltinSatimageWithItsPublishedCounts() {
        LabeledFrame lf = DataReader.read(spark, "satimage");
        assertEquals(36, lf.numFeatures());
        assertEquals(List.of("0", "1"), lf.labels().values());
        assertArrayEquals(new long[] {5809, 626}, lf.classCounts());
        Row first = lf.frame().orderBy("row_id").first();
        assertEquals(0L, first.getLong(2));
        assertEquals(92.0, ((Vector) first.get(0)).apply(0));
        assertEquals(87.0, ((Vector) first.get(0)).apply(35));
    }

    @Test
    void readsGzipCsvAndKeepsRowOrderAsRowId() throws IOException {
        String p = file("d.csv.gz", "a,b,label\n1,2,x\n3,4,y\n5,6,x\n");
        LabeledFrame lf = DataReader.read(spark, p);
        List<Row> rows = lf.frame().orderBy("row_id").collectAsList();
        assertEquals(3, rows.size());
        assertEquals(List.of("a", "b"), lf.featureNames());
        assertEquals(5.0, ((Vector) rows.get(2).get(0)).apply(0));
        assertEquals(0.0, rows.get(2).getDouble(1));
        assertEquals(1.0, rows.get(1).getDouble(1));
    }

    @Test
    void numericLabelsAreIndexedInNumericOrderStringLabelsLexicographically() throws IOException {
        LabeledFrame nums = DataReader.read(spark, file("n.csv", "f,label\n1,10\n2,2\n3,-1\n"));
        assertEquals(List.of("-1", "2", "10"), nums.labels().values());
        LabeledFrame strs = DataReader.read(spark, file("s.csv", "f,label\n1,b\n2,B\n3,a\n"));
        assertEquals(List.of("B", "a", "b"), strs.labels().values());
    }

    @Test
    void labelAndFeatureColumnsCanBeChosen() throws IOException {
        String p = file("c.csv", "id,x,y,cls\n7,1,2,p\n8,3,4,q\n");
        LabeledFrame lf = DataReader.read(spark, p, ReadOptions.defaults().withLabelCol("cls").withFeatures(List.of("y", "x")));
        assertEquals(List.of("y", "x"), lf.featureNames());
        Row r = lf.frame().orderBy("row_id").first();
        assertArrayEquals(new double[] {2, 1}, ((Vector) r.get(0)).toArray());
        assertTrue(error(p, ReadOptions.defaults().withLabelCol("cls").withFeatures(List.of("z"))).contains("no feature column 'z'"));
    }

    @Test
    void quotedFieldsAreUnquoted() throws IOException {
        LabeledFrame lf = DataReader.read(spark, file("q.csv", "f,label\n1,\"a, b\"\n2,\"c\"\"d\"\n"));
        assertEquals(List.of("a, b", "c\"d"), lf.labels().values());
    }

    @Test
    void missingFileIsNamed() {
        String p = dir.resolve("nope.csv").toString();
        assertTrue(error(p).startsWith("input not found: " + p), error(p));
    }

    @Test
    void emptyFileAndHeaderOnlyAreErrors() throws IOException {
        assertTrue(error(file("e.csv", "")).endsWith("e.csv: file is empty (expected a header row)"));
        assertTrue(error(file("h.csv", "a,label\n")).endsWith("h.csv: has a header but no data rows"));
    }

    @Test
    void raggedRowNamesItsLine() throws IOException {
        String p = file("r.csv", "a,b,label\n1,2,0\n1,2,1\n3,1\n1,2\n");
        assertEquals(p + " line 4: 2 fields, but the header has 3", error(p));
    }

    @Test
    void nonNumericValueNamesLineAndColumn() throws IOException {
        String p = file("x.csv", "a,b,label\n1,2,0\n1,oops,1\n");
        assertEquals(p + " line 3, column 'b': 'oops' is not a number", error(p));
    }

    @Test
    void emptyCellIsAMissingValueUnlessTheMissingValueTextsLeaveItOut() throws IOException {
        String p = file("m.csv", "a,b,label\n1,2,0\n3,,1\n");
        LabeledFrame lf = DataReader.read(spark, p);
        assertEquals(1, lf.raw().missing());
        assertTrue(Double.isNaN(((Vector) lf.frame().orderBy("row_id").collectAsList().get(1).get(0)).apply(1)));
        assertEquals(p + " line 3, column 'b': empty field, and the empty field is not one of the missing-value texts"
                + " (--missing-values)", error(p, ReadOptions.defaults().withMissingValues("NA")));
    }

    @Test
    void semicolonAndTabSeparatedFilesAreReadWithTheirDelimiter() throws IOException {
        for (String d : List.of(";", "\t")) {
            String p = file("d" + d.hashCode() + ".csv", String.join(d, "a", "b", "label") + "\n"
                    + String.join(d, "1.5", "2", "x") + "\n" + String.join(d, "3", "\"4\"", "y") + "\n");
            LabeledFrame lf = DataReader.read(spark, p);
            assertEquals(List.of("a", "b"), lf.featureNames());
            assertEquals(List.of("x", "y"), lf.labels().values());
            Row first = lf.frame().orderBy("row_id").first();
            assertArrayEquals(new double[] {1.5, 2}, ((Vector) first.get(0)).toArray());
        }
        // A comma inside a value of a ;-separated file is a decimal comma, and the message says so.
        String comma = file("dc.csv", "a;label\n1,5;x\n2;y\n");
        assertEquals(comma + " line 2, column 'a': '1,5' is not a number (use '.' as the decimal separator)", error(comma));
    }

    @Test
    void delimiterIsTheOneThatSplitsTheHeaderMost() {
        assertEquals(',', CsvLineParser.delimiterOf("a,b;c,label"));
        assertEquals(';', CsvLineParser.delimiterOf("\"a,b\";c;label"));
        assertEquals('\t', CsvLineParser.delimiterOf("a b\tc\tlabel"));
        assertEquals(',', CsvLineParser.delimiterOf("label"));
    }

    @Test
    void nanAndInfinityAreRejected() throws IOException {
        String nan = file("nan.csv", "a,label\n1,0\nNaN,1\n");
        assertEquals(nan + " line 3, column 'a': NaN is not a finite number", error(nan));
        String inf = file("inf.csv", "a,label\n-Infinity,0\n1,1\n");
        assertEquals(inf + " line 2, column 'a': -Infinity is not a finite number", error(inf));
    }

    @Test
    void missingLabelColumnListsColumns() throws IOException {
        String p = file("l.csv", "a,b,target\n1,2,0\n");
        DataException e = assertThrows(DataException.class, () -> DataReader.read(spark, p));
        // The CLI adds the advice for commands that have the option (ErrorReporter); the data layer cannot know.
        assertEquals(p + ": no label column 'label' in header (columns: a, b, target)", e.getMessage());
        assertEquals("--label-col", e.option());
        assertEquals("choose one with --label-col", e.advice());
    }

    @Test
    void singleClassIsAnErrorUnlessLabelsAreGiven() throws IOException {
        String p = file("one.csv", "a,label\n1,7\n2,7\n");
        assertEquals(p + ": only one class ('7', 2 rows) in label column 'label'; at least 2 are needed", error(p));
        LabeledFrame scored = DataReader.read(spark, p, ReadOptions.defaults().withLabels(LabelIndex.of(List.of("3", "7"))));
        assertArrayEquals(new long[] {0, 2}, scored.classCounts());
        assertTrue(error(p, ReadOptions.defaults().withLabels(LabelIndex.of(List.of("1", "2"))))
                .contains("label '7' in column 'label' is not one of the known classes (1, 2)"));
    }

    @Test
    void readsLibSvm() throws IOException {
        String p = file("d.libsvm", "1 1:0.5 3:2\n0 2:1 # comment\n\n1 1:1\n");
        LabeledFrame lf = DataReader.read(spark, p);
        assertEquals(3, lf.numFeatures());
        List<Row> rows = lf.frame().orderBy("row_id").collectAsList();
        assertArrayEquals(new double[] {0.5, 0, 2}, ((Vector) rows.get(0).get(0)).toArray());
        assertArrayEquals(new double[] {0, 1, 0}, ((Vector) rows.get(1).get(0)).toArray());
        assertArrayEquals(new long[] {1, 2}, lf.classCounts());
        String bad = file("b.svm", "1 1:0.5\n0 3:1 2:1\n");
        assertEquals(bad + " line 2: indexes must be 1-based and ascending, got 2 after 3", error(bad));
    }

    @Test
    void libSvmFeaturesAreChosenByPositionalName() throws IOException {
        String p = file("c.libsvm", "1 1:0.5 3:2\n0 2:1\n");
        LabeledFrame lf = DataReader.read(spark, p, ReadOptions.defaults().withFeatures(List.of("f2", "f0", "f4")));
        assertEquals(List.of("f2", "f0", "f4"), lf.featureNames());
        assertArrayEquals(new double[] {2, 0.5, 0}, ((Vector) lf.frame().orderBy("row_id").first().get(0)).toArray());
        assertTrue(error(p, ReadOptions.defaults().withFeatures(List.of("f1", "x"))).endsWith("no feature x"));
    }

    /** Data to score: no label column, an id column kept as text and never a feature. */
    @Test
    void unlabeledInputWithAnIdColumn() throws IOException {
        String p = file("u.csv", "a,key,b\n1,k1,2\n3,k2,4\n");
        ReadOptions scoring = ReadOptions.defaults().withLabels(LabelIndex.of(List.of("x", "y"))).withIdCol("key");
        assertTrue(error(p, scoring).contains("no label column 'label'"), "unlabeled only when asked for");
        LabeledFrame lf = DataReader.read(spark, p, scoring.withOptionalLabel());
        assertEquals(List.of("a", "b"), lf.featureNames());
        assertEquals(List.of("features", "row_id", "key"), List.of(lf.frame().columns()));
        Row r = lf.frame().orderBy("row_id").collectAsList().get(1);
        assertArrayEquals(new double[] {3, 4}, ((Vector) r.get(0)).toArray());
        assertEquals("k2", r.getString(2));
        assertTrue(error(p, scoring.withOptionalLabel().withIdCol("nope")).contains("no id column 'nope'"));
    }

    /** A Parquet {@code features} vector is sliced by the names DataWriter stored with it. */
    @Test
    void parquetVectorFeaturesAreChosenByStoredName() throws IOException {
        String csv = file("v.csv", "a,b,c,label\n1,2,3,x\n4,5,6,y\n");
        String parquet = dir.resolve("v.parquet").toString();
        DataWriter.write(DataReader.read(spark, csv), Output.of(parquet, OutputKind.DATASET));
        LabeledFrame lf = DataReader.read(spark, parquet, ReadOptions.defaults().withFeatures(List.of("c", "a")));
        assertEquals(List.of("c", "a"), lf.featureNames());
        assertArrayEquals(new double[] {6, 4}, ((Vector) lf.frame().orderBy("row_id").collectAsList().get(1).get(0)).toArray());
        assertTrue(error(parquet, ReadOptions.defaults().withFeatures(List.of("a", "d", "e")))
                .startsWith(parquet + ": no feature columns 'd', 'e'"));
    }

    @Test
    void unknownExtensionIsAnError() throws IOException {
        String p = file("d.txt", "a,label\n");
        assertTrue(error(p).contains("unknown format"));
    }
}
