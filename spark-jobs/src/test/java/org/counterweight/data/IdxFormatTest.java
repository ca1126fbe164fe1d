package org.counterweight.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX images + labels: 12 images of 3x2 pixels written by the test, read back and broken on purpose. */
class IdxFormatTest {
    private static final int N = 12;
    private static final int ROWS = 3;
    private static final int COLS = 2;
    /** Label byte of image i: cycles 2, 10, 0, so the sorted classes are "0" < "2" < "10" (numeric, not lexicographic). */
    private static final int[] CYCLE = {2, 10, 0};

    private final SparkSession spark = SparkTestSupport.spark();

    @TempDir
    Path dir;

    private static int label(int i) {
        return CYCLE[i % 3];
    }

    /** Pixel (r, c) of image i; image 0 starts at 0 and the last pixel of the last image is 255. */
    private static int pixel(int i, int r, int c) {
        return i == N - 1 && r == ROWS - 1 && c == COLS - 1 ? 255 : (i * ROWS * COLS + r * COLS + c) * 3;
    }

    private static byte[] imagesFile(int magic, int count, int imagesWritten) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(ROWS);
        out.writeInt(COLS);
        for (int i = 0; i < imagesWritten; i++) {
            for (int r = 0; r < ROWS; r++) {
                for (int c = 0; c < COLS; c++) {
                    out.writeByte(pixel(i, r, c));
                }
            }
        }
        return b.toByteArray();
    }

    private static byte[] labelsFile(int magic, int count, int labelsWritten) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        out.writeInt(count);
        for (int i = 0; i < labelsWritten; i++) {
            out.writeByte(label(i));
        }
        return b.toByteArray();
    }

    private String write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = name.endsWith(".gz") ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(content);
        }
        return p.toString();
    }

    /** A valid pair named like Fashion-MNIST; returns the image path. */
    private String validPair(String prefix, String suffix) throws IOException {
        write(prefix + "-labels-idx1-ubyte" + suffix, labelsFile(0x801, N, N));
        return write(prefix + "-images-idx3-ubyte" + suffix, imagesFile(0x803, N, N));
    }

    private String error(String path) {
        return assertThrows(DataException.class, () -> DataReader.read(spark, path)).getMessage();
    }

    private void assertReadsTestImages(LabeledFrame lf) {
        assertEquals(List.of("px_0_0", "px_0_1", "px_1_0", "px_1_1", "px_2_0", "px_2_1"), lf.featureNames());
        assertEquals(List.of("0", "2", "10"), lf.labels().values());
        assertArrayEquals(new long[] {4, 4, 4}, lf.classCounts());
        List<Row> rows = lf.frame().orderBy(Columns.ROW_ID).collectAsList();
        assertEquals(N, rows.size());
        for (int i = 0; i < N; i++) {
            Row row = rows.get(i);
            assertEquals(i, row.getLong(row.fieldIndex(Columns.ROW_ID)));
            assertEquals(lf.labels().indexOf(Integer.toString(label(i))), (int) row.getDouble(row.fieldIndex(Columns.LABEL)));
            double[] expected = new double[ROWS * COLS];
            for (int r = 0; r < ROWS; r++) {
                for (int c = 0; c < COLS; c++) {
                    expected[r * COLS + c] = pixel(i, r, c) / 255.0;
                }
            }
            assertArrayEquals(expected, ((Vector) row.get(row.fieldIndex(Columns.FEATURES))).toArray(), 0.0, "image " + i);
        }
        Vector last = (Vector) rows.get(N - 1).get(rows.get(N - 1).fieldIndex(Columns.FEATURES));
        assertEquals(1.0, last.apply(ROWS * COLS - 1));
        assertEquals(0.0, ((Vector) rows.get(0).get(rows.get(0).fieldIndex(Columns.FEATURES))).apply(0));
    }

    @Test
    void readsPixelsScaledLabelsNumericallySortedAndRowIdsInFileOrder() throws IOException {
        assertReadsTestImages(DataReader.read(spark, validPair("train", "")));
    }

    @Test
    void readsGzipPairs() throws IOException {
        assertReadsTestImages(DataReader.read(spark, validPair("t10k", ".gz")));
    }

    @Test
    void longTailOfAnImageSetKeepsTheFirstImagesOfEachClass() throws IOException {
        LabeledFrame lf = DataReader.read(spark, validPair("lt", ".gz"));
        // 4 images per class; rho = 4 over K = 3 classes keeps floor(4 * (1/4)^(c/2)) = 4, 2, 1 of classes "0", "2", "10".
        long[] keep = {4, 2, 1};
        List<Long> expected = new ArrayList<>();
        long[] seen = new long[3];
        for (int i = 0; i < N; i++) {
            int c = lf.labels().indexOf(Integer.toString(label(i)));
            if (seen[c]++ < keep[c]) {
                expected.add((long) i);
            }
        }
        LabeledFrame lt = LongTail.of(lf, 4);
        List<Long> got = new ArrayList<>();
        for (Row r : lt.frame().orderBy(Columns.ROW_ID).collectAsList()) {
            got.add(r.getLong(r.fieldIndex(Columns.ROW_ID)));
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 5L, 8L, 11L), got);
        assertEquals(expected, got);
        assertArrayEquals(keep, lt.classCounts());
    }

    @Test
    void slicesSplitImagesWithoutLosingOrReorderingAny() throws IOException {
        String p = validPair("sliced", "");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ParsedInput in = IdxFormat.parse(jsc, p, ReadOptions.defaults(), 5);
        assertEquals(3, in.records().getNumPartitions());
        List<Integer> sizes = in.records().glom().map(List::size).collect();
        assertEquals(List.of(5, 5, 2), sizes);
        List<ParsedRecord> records = in.records().collect();
        for (int i = 0; i < N; i++) {
            assertEquals(i, records.get(i).rowId);
            assertEquals(Integer.toString(label(i)), records.get(i).label);
            assertEquals(pixel(i, 1, 0) / 255.0, records.get(i).values[2]);
        }
    }

    @Test
    void labelFileIsFoundByName() {
        assertEquals("/d/train-labels-idx1-ubyte.gz", IdxFormat.labelsPathOf("/d/train-images-idx3-ubyte.gz"));
        assertEquals("t10k-labels-idx1-ubyte", IdxFormat.labelsPathOf("t10k-images-idx3-ubyte"));
        String msg = assertThrows(DataException.class, () -> IdxFormat.labelsPathOf("/d/digits-idx3-ubyte")).getMessage();
        assertEquals("/d/digits-idx3-ubyte: cannot locate the IDX label file: the image file name must contain "
                + "'images-idx3-ubyte' (its labels are read from the same name with 'labels-idx1-ubyte')", msg);
    }

    @Test
    void missingLabelFileIsNamed() throws IOException {
        String p = write("train-images-idx3-ubyte.gz", imagesFile(0x803, N, N));
        assertEquals(p + ": label file not found: " + dir.resolve("train-labels-idx1-ubyte.gz")
                + " (IDX images are read together with the labels file of the same name)", error(p));
    }

    @Test
    void wrongMagicNumbersAreErrors() throws IOException {
        write("a-labels-idx1-ubyte", labelsFile(0x801, N, N));
        String images = write("a-images-idx3-ubyte", imagesFile(0x801, N, N));
        assertEquals(images + ": not an IDX image file (magic number 0x00000801, expected 0x00000803)", error(images));
        String labels = write("b-labels-idx1-ubyte", labelsFile(0x803, N, N));
        String ok = write("b-images-idx3-ubyte", imagesFile(0x803, N, N));
        assertEquals(labels + ": not an IDX label file (magic number 0x00000803, expected 0x00000801)", error(ok));
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        String labels = write("c-labels-idx1-ubyte", labelsFile(0x801, N - 1, N - 1));
        String images = write("c-images-idx3-ubyte", imagesFile(0x803, N, N));
        assertEquals(images + ": 12 images, but the label file " + labels + " has 11 labels", error(images));
    }

    @Test
    void truncatedFilesAreErrors() throws IOException {
        write("d-labels-idx1-ubyte", labelsFile(0x801, N, N));
        byte[] full = imagesFile(0x803, N, N);
        String images = write("d-images-idx3-ubyte", Arrays.copyOf(full, full.length - 4));
        assertEquals(images + ": truncated IDX file: the header announces 12 images of 3x2 pixels, but the file ends inside image 11",
                error(images));

        String labels = write("e-labels-idx1-ubyte.gz", labelsFile(0x801, N, N - 2));
        String ok = write("e-images-idx3-ubyte.gz", imagesFile(0x803, N, N));
        assertEquals(labels + ": truncated IDX file: the header announces 12 labels, but the file has 10", error(ok));

        write("f-labels-idx1-ubyte", labelsFile(0x801, N, N));
        String header = write("f-images-idx3-ubyte", Arrays.copyOf(full, 10));
        assertEquals(header + ": truncated IDX header (file ends before the row count)", error(header));
    }

    @Test
    void trailingBytesAndCorruptGzipAreErrors() throws IOException {
        write("g-labels-idx1-ubyte", labelsFile(0x801, N, N));
        byte[] full = imagesFile(0x803, N, N);
        String images = write("g-images-idx3-ubyte", Arrays.copyOf(full, full.length + 1));
        assertEquals(images + ": IDX file is longer than its header announces (12 images of 3x2 pixels)", error(images));

        write("h-labels-idx1-ubyte.gz", labelsFile(0x801, N, N));
        String notGzip = dir.resolve("h-images-idx3-ubyte.gz").toString();
        Files.write(Path.of(notGzip), full);
        assertEquals(notGzip + ": cannot read IDX data: Not in GZIP format", error(notGzip));

        String rawLabels = dir.resolve("i-labels-idx1-ubyte.gz").toString();
        Files.write(Path.of(rawLabels), labelsFile(0x801, N, N));
        String gzImages = write("i-images-idx3-ubyte.gz", full);
        assertEquals(rawLabels + ": cannot read IDX data: Not in GZIP format", error(gzImages));
    }

    /** Only the whole image can be named (as 'predict' does with a model's features); no id column. */
    @Test
    void featureSelectionIsRefused() throws IOException {
        String p = validPair("sel", "");
        String msg = assertThrows(DataException.class,
                () -> DataReader.read(spark, p, ReadOptions.defaults().withFeatures(List.of("px_0_0")))).getMessage();
        assertTrue(msg.startsWith(p + ": IDX images are read whole (features px_0_0 .. px_"), msg);
        List<String> all = DataReader.read(spark, p).featureNames();
        assertEquals(all, DataReader.read(spark, p, ReadOptions.defaults().withFeatures(all)).featureNames());
        assertThrows(DataException.class, () -> DataReader.read(spark, p, ReadOptions.defaults().withIdCol("id")));
    }

    @Test
    void catalogListsImageSetsButNotTheirLabelFiles() throws IOException {
        Files.createDirectories(dir.resolve("images/fmnist"));
        validPair("images/fmnist/train", ".gz");
        validPair("images/fmnist/t10k", ".gz");
        List<Path> files = DatasetCatalog.files(dir);
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            names.add(DatasetCatalog.nameOf(dir, f));
        }
        assertEquals(List.of("images/fmnist/t10k", "images/fmnist/train"), names);
        DatasetCatalog.Entry e = DatasetCatalog.describe(spark, names.get(1), files.get(1).toString());
        assertEquals(N, e.rows());
        assertEquals(ROWS * COLS, e.features());
        assertArrayEquals(new long[] {4, 4, 4}, e.counts());
    }
}
