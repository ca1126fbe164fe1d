package org.counterweight.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.Test;

class LongTailTest {
    private final SparkSession spark = SparkTestSupport.spark();

    @Test
    void fashionMnistCountsMatchTheManifest() {
        // shared/datasets/MANIFEST.md section 3 (make_longtail.py, IF = 100): 14,886 images.
        long[] n = LongTail.counts(6000, 10, 100);
        assertArrayEquals(new long[] {6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60}, n);
        assertEquals(14_886, Arrays.stream(n).sum());
    }

    @Test
    void cifar10CountsMatchMethods() {
        // METHODS.md section 6 (Cui et al. 2019, CIFAR-10-LT, rho = 100).
        assertArrayEquals(new long[] {5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50}, LongTail.counts(5000, 10, 100));
    }

    @Test
    void countsEqualThePythonFormulaOnAGrid() throws IOException {
        // Fixture from tools/fixtures/longtail_counts.py: int(n_max * (1.0 / rho) ** (c / (k - 1.0))).
        int lines = 0;
        try (InputStream raw = getClass().getResourceAsStream("longtail_counts.csv");
             BufferedReader in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",");
                long[] expected = Arrays.stream(f[3].split(" ")).mapToLong(Long::parseLong).toArray();
                assertArrayEquals(expected, LongTail.counts(Long.parseLong(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2])), line);
                lines++;
            }
        }
        assertEquals(550, lines);
    }

    @Test
    void badParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LongTail.counts(100, 1, 10));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LongTail.counts(100, 3, 0.5)).getMessage()
                .contains("imbalance ratio must be a finite number >= 1, got 0.5"));
        assertThrows(IllegalArgumentException.class, () -> LongTail.counts(100, 3, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> LongTail.counts(-1, 3, 2));
    }

    /**
     * Class sizes 100, 90, 20, 60 (K = 4) in shuffled order over 3 partitions, row ids
     * 7 + 3·position (not contiguous, not the partition order), an extra column passed through.
     * With ρ = 2 and n_max = 100 the targets are 100, 79, 62, 50; class 2 has only 20 and keeps them.
     */
    @Test
    void keepsTheFirstRowsOfEachClassByRowId() {
        int[] sizes = {100, 90, 20, 60};
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < sizes.length; c++) {
            labels.addAll(Collections.nCopies(sizes[c], c));
        }
        Collections.shuffle(labels, new Random(3));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            long rowId = 7 + 3L * i;
            rows.add(RowFactory.create(Vectors.dense(rowId, -rowId), (double) labels.get(i), rowId, "r" + rowId));
        }
        Collections.shuffle(rows, new Random(5));
        StructType schema = DataReader.schema(LabelIndex.ofClassCount(4)).add("note", DataTypes.StringType);
        Dataset<Row> df = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 3), schema);
        LabeledFrame in = new LabeledFrame(df, LabelIndex.ofClassCount(4), List.of("a", "b"), "test");

        LabeledFrame out = LongTail.of(in, 2.0);

        long[] targets = {100, 79, 62, 50};
        assertArrayEquals(targets, LongTail.counts(100, 4, 2.0));
        TreeMap<Integer, TreeSet<Long>> byClass = new TreeMap<>();
        for (Row r : rows) {
            byClass.computeIfAbsent((int) r.getDouble(1), c -> new TreeSet<>()).add(r.getLong(2));
        }
        TreeSet<Long> expected = new TreeSet<>();
        byClass.forEach((c, ids) -> ids.stream().limit(targets[c]).forEach(expected::add));

        List<Row> got = out.frame().collectAsList();
        TreeSet<Long> ids = new TreeSet<>();
        for (Row r : got) {
            long id = r.getLong(r.fieldIndex(Columns.ROW_ID));
            ids.add(id);
            assertEquals(id, ((Vector) r.get(r.fieldIndex(Columns.FEATURES))).apply(0));
            assertEquals("r" + id, r.getString(r.fieldIndex("note")));
        }
        assertEquals(got.size(), ids.size());
        assertEquals(expected, ids);
        assertArrayEquals(new long[] {100, 79, 20, 50}, out.classCounts());
        assertEquals(Arrays.asList(df.columns()), Arrays.asList(out.frame().columns()));
        assertEquals(in.labels(), out.labels());
        assertEquals(3, out.frame().rdd().getNumPartitions());
    }

    @Test
    void missingRowIdIsNamedBeforeAnyJob() {
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1), 0.0)),
                new StructType().add(Columns.FEATURES, SQLDataTypes.VectorType()).add(Columns.LABEL, DataTypes.DoubleType));
        LabeledFrame lf = new LabeledFrame(df, LabelIndex.ofClassCount(2), List.of("a"), "t");
        assertEquals("long tail: input has no 'row_id' column (columns: features, label)",
                assertThrows(DataException.class, () -> LongTail.of(lf, 10)).getMessage());
    }
}
