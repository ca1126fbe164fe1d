package org.counterweight.train;

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
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MinibatchExporterTest {
    private static final int ROWS = 203;
    private static final Standardizer IDENTITY = new Standardizer(new double[] {0, 0, 0}, new double[] {1, 1, 1});
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = org.counterweight.SparkTestSupport.spark();
    }

    /** Row i has features (i, -i, i/10), label i % 3 and row_id 1000 + i. */
    private static List<Row> rows(int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(Vectors.dense(i, -i, i / 10.0), (double) (i % 3), 1000L + i));
        }
        return rows;
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * The executors' export (whole minibatches inside partitions, straddling ones on the driver)
     * writes exactly the files of the plain driver-side cut, for partitions smaller and larger
     * than a minibatch, empty partitions (more slices than rows) and one partial minibatch
     * spanning every partition.
     */
    @ParameterizedTest
    @CsvSource({"7, 9", "64, 4", "50, 9", "300, 5", "16, 250", "1, 3"})
    void executorsWriteTheSameFilesAsTheDriver(int batchSize, int partitions) throws IOException {
        List<Row> rows = rows(ROWS);
        Path onDriver = tmp.resolve("driver");
        Path onExecutors = tmp.resolve("executors");
        assertEquals(ROWS, MinibatchExporter.writeOnDriver(rows, IDENTITY, 3, batchSize, onDriver + "/"));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        assertEquals(ROWS, MinibatchExporter.writeOnExecutors(jsc.parallelize(rows, partitions),
                IDENTITY, 3, batchSize, onExecutors + "/"));

        List<String> names = files(onDriver);
        assertEquals((ROWS + batchSize - 1) / batchSize, names.size());
        assertEquals(names, files(onExecutors));
        for (String name : names) {
            assertArrayEquals(Files.readAllBytes(onDriver.resolve(name)), Files.readAllBytes(onExecutors.resolve(name)),
                    name);
        }
        // the last file holds the last rows in order: its last row is row 202 (label 202 % 3 = 1)
        var last = CachingMinibatchLoader.read(Files.newInputStream(onExecutors.resolve(names.get(names.size() - 1))));
        int lastSize = ROWS - (names.size() - 1) * batchSize;
        assertEquals(lastSize, last.numExamples());
        assertEquals(ROWS - 1, last.getFeatures().getDouble(lastSize - 1, 0), 0);
        assertEquals(1, last.getLabels().getDouble(lastSize - 1, 1), 0);
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void aLabelOutsideTheClassesNamesItsRow(boolean fromDriver) {
        List<Row> rows = rows(20);
        rows.set(13, RowFactory.create(Vectors.dense(1, 2, 3), 5.0, 77L));
        Exception e = assertThrows(Exception.class, () -> {
            if (fromDriver) {
                MinibatchExporter.writeOnDriver(rows, IDENTITY, 3, 4, tmp + "/");
            } else {
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                MinibatchExporter.writeOnExecutors(jsc.parallelize(rows, 3), IDENTITY, 3, 4, tmp + "/");
            }
        });
        String message = e.getMessage();
        assertTrue(message.contains("row_id 77") && message.contains("label 5.0"), message);
    }
}
