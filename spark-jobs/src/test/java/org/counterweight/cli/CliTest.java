package org.counterweight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user meets it: exit codes, one-line errors, outputs. */
class CliTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void sharedSession() {
        SparkTestSupport.spark();
    }

    /** Runs the CLI, returning exit code, stdout and stderr. */
    static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    record Result(int code, String out, String err) {
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : List.of("generate", "split", "datasets", "resample", "train", "predict", "experiment")) {
            Result r = run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().contains("Usage: counterweight " + cmd), r.out());
        }
        assertTrue(run("--version").out().startsWith("counterweight "));
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,label\n1,0\nx,1\n");
        Result r = run("split", "--input", bad.toString(), "--output-dir", dir.resolve("out").toString());
        assertEquals(2, r.code());
        assertEquals("error: " + bad + " line 3, column 'a': 'x' is not a number", r.err().strip());
        assertFalse(Files.exists(dir.resolve("out")));

        Result unknown = run("split", "--input", "satimage", "--output-dir", "x", "--test-fraktion", "0.1");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("error: Unknown options: '--test-fraktion'"), unknown.err());

        Result range = run("generate", "--rows", "100", "--imbalance-ratio", "0", "--output", dir.resolve("g.csv").toString());
        assertEquals(2, range.code());
        assertEquals("error: --imbalance-ratio: must be a finite number >= 1.0, got 0.0", range.err().strip());

        Result engine = run("train", "--train", "satimage", "--epochs", "1", "--engine", "gpu",
                "--output", dir.resolve("m.zip").toString());
        assertEquals(2, engine.code());
        assertEquals("error: --engine: 'gpu' is not one of spark|local", engine.err().strip());
        assertFalse(Files.exists(dir.resolve("m.zip")));
    }

    @Test
    void missingLabelColumnAdviceNamesOnlyAnOptionTheCommandHas() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("good.csv"), "a,label\n1,x\n2,y\n3,x\n");
        Path target = Files.writeString(data.resolve("target.csv"), "a,target\n1,x\n2,y\n");

        Result split = run("split", "--input", target.toString(), "--output-dir", dir.resolve("out").toString());
        assertEquals(2, split.code());
        assertEquals("error: " + target + ": no label column 'label' in header (columns: a, target); choose one with --label-col",
                split.err().strip());

        // datasets has no --label-col: it lists every file, the unreadable one below the table with its error.
        Result ds = run("datasets", "--data-dir", data.toString());
        assertEquals(2, ds.code(), ds.err());
        assertTrue(ds.out().lines().anyMatch(l -> l.startsWith("good ") && l.endsWith("x: 2, y: 1")), ds.out());
        assertTrue(ds.out().contains("could not read 1 dataset(s):\n  target: " + target
                + ": no label column 'label' in header (columns: a, target)\n"), ds.out());
        assertFalse(ds.out().contains("--label-col"), ds.out());
    }

    @Test
    void generateThenSplitWritesCsvParts() throws IOException {
        Path g = dir.resolve("g.csv");
        assertEquals(0, run("generate", "--rows", "500", "--num-features", "3", "--imbalance-ratio", "4", "--seed", "3",
                "--output", g.toString()).code());
        List<String> lines = Files.readAllLines(g);
        assertEquals("f0,f1,f2,label", lines.get(0));
        assertEquals(501, lines.size());
        Path out = dir.resolve("split");
        Result r = run("split", "--input", g.toString(), "--output-dir", out.toString(), "--test-fraction", "0.2",
                "--validation-fraction", "0.2", "--seed", "1", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        long total = 0;
        for (String part : List.of("train.csv", "validation.csv", "test.csv")) {
            List<String> p = Files.readAllLines(out.resolve(part));
            assertEquals("f0,f1,f2,label", p.get(0));
            total += p.size() - 1;
        }
        assertEquals(500, total);
        assertEquals(100, Files.readAllLines(out.resolve("test.csv")).size() - 1);
    }

    @Test
    void splitIntoFolds() {
        Path out = dir.resolve("folds");
        Result r = run("split", "--input", "satimage", "--output-dir", out.toString(), "--folds", "3", "--seed", "2");
        assertEquals(0, r.code(), r.err());
        for (int i = 1; i <= 3; i++) {
            assertTrue(Files.isDirectory(out.resolve("fold-" + i).resolve("train")));
            assertTrue(Files.isDirectory(out.resolve("fold-" + i).resolve("test")));
        }
        assertTrue(r.out().contains("fold-1 test: 0: 1937, 1: 209") || r.out().contains("fold-1 test: 0: 1936, 1: 209")
                || r.out().contains("fold-1 test: 0: 1936, 1: 208") || r.out().contains("fold-1 test: 0: 1937, 1: 208"), r.out());
    }
}
