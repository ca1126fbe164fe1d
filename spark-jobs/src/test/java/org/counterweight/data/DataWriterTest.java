package org.counterweight.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataWriterTest {
    private final SparkSession spark = SparkTestSupport.spark();

    @TempDir
    Path dir;

    private LabeledFrame sample() throws IOException {
        Path p = dir.resolve("in.csv");
        Files.writeString(p, "x1,x2,label\n1.5,2,cat\n3,4,dog\n5,6,\"a,b\"\n7,8,dog\n");
        return DataReader.read(spark, p.toString());
    }

    @Test
    void csvOutputIsOneFileWithHeaderAndOriginalLabels() throws IOException {
        LabeledFrame lf = sample();
        Path out = dir.resolve("out.csv");
        DataWriter.write(lf, Output.of(out.toString(), OutputKind.DATASET));
        List<String> lines = Files.readAllLines(out);
        assertEquals("x1,x2,label", lines.get(0));
        assertEquals(List.of("1.5,2.0,cat", "3.0,4.0,dog", "5.0,6.0,\"a,b\"", "7.0,8.0,dog"), lines.subList(1, lines.size()));
        LabeledFrame back = DataReader.read(spark, out.toString());
        assertEquals(lf.labels(), back.labels());
        assertArrayEquals(lf.classCounts(), back.classCounts());
        assertNoLeftovers();
    }

    @Test
    void parquetRoundTripKeepsLabelIndexEvenWhenAClassIsAbsent() throws IOException {
        LabeledFrame lf = sample();
        LabeledFrame onlyDogs = lf.withFrame(lf.frame().filter("label = 2 or label = 1"));
        Path out = dir.resolve("part");
        DataWriter.write(onlyDogs, Output.of(out.toString(), OutputKind.DATASET));
        LabeledFrame back = DataReader.read(spark, out.toString(), ReadOptions.defaults());
        assertEquals(lf.labels(), back.labels());
        assertEquals(List.of("x1", "x2"), back.featureNames());
        assertArrayEquals(onlyDogs.classCounts(), back.classCounts());
        assertEquals(onlyDogs.frame().select("row_id").orderBy("row_id").collectAsList(),
                back.frame().select("row_id").orderBy("row_id").collectAsList());
        assertNoLeftovers();
    }

    @Test
    void failedWriteLeavesNothingAndKeepsTheOldOutput() throws IOException {
        Path target = dir.resolve("t.csv");
        Files.writeString(target, "old");
        assertThrows(IllegalStateException.class, () -> AtomicOutput.write(spark.sparkContext().hadoopConfiguration(),
                Output.of(target.toString(), OutputKind.DATASET).overwrite(true), tmp -> {
                    Files.writeString(Path.of(tmp.toUri()), "partial");
                    throw new IllegalStateException("job failed");
                }));
        assertEquals("old", Files.readString(target));
        assertNoLeftovers();
        Path fresh = dir.resolve("new-dir");
        assertThrows(IllegalStateException.class, () -> AtomicOutput.write(spark.sparkContext().hadoopConfiguration(),
                Output.of(fresh.toString(), OutputKind.DATASET), tmp -> {
                    throw new IllegalStateException("job failed");
                }));
        assertFalse(Files.exists(fresh));
    }

    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> hidden = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") && !n.endsWith(".crc") && !n.endsWith(".counterweight")).toList();
            assertEquals(List.of(), hidden);
        }
    }
}
