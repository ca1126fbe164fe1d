package org.counterweight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.counterweight.SparkTestSupport;
import org.counterweight.cli.CliTest.Result;
import org.counterweight.data.DataException;
import org.counterweight.results.ResultsStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every writing command, as a user meets it: an output never deletes what Counterweight did not
 * write, and never an input, even with {@code --overwrite}.
 */
class OutputSafetyTest {
    private static final String DATA = "f0,f1,label\n" + "0.1,1.0,a\n0.2,1.1,a\n0.3,0.9,a\n0.4,1.2,a\n0.5,1.0,a\n"
            + "0.6,0.8,a\n0.7,1.3,a\n0.8,1.1,a\n2.1,3.0,b\n2.2,3.1,b\n2.3,2.9,b\n2.4,3.2,b\n";

    @TempDir
    Path dir;

    @BeforeAll
    static void sharedSession() {
        SparkTestSupport.spark();
    }

    private Path userDirectory() throws IOException {
        Path d = Files.createDirectories(dir.resolve("D"));
        Files.writeString(d.resolve("tx.csv"), DATA);
        Files.writeString(d.resolve("notes.txt"), "my notes");
        return d;
    }

    private static Set<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static void assertRefused(Result r, String pathShown) {
        assertEquals(2, r.code(), r.out() + r.err());
        String line = r.err().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("error: refusing to"), line);
        assertTrue(line.contains(pathShown), line);
    }

    @Test
    void splitIntoTheInputsDirectoryIsRefusedEvenWithOverwrite() throws IOException {
        Path d = userDirectory();
        String input = d.resolve("tx.csv").toString();
        assertRefused(CliTest.run("split", "-i", input, "-o", d.toString(), "--format", "csv"), d.toString());
        Result forced = CliTest.run("split", "-i", input, "-o", d.toString(), "--format", "csv", "--overwrite");
        assertRefused(forced, d.toString());
        assertTrue(forced.err().contains("contains the input " + input), forced.err());
        assertEquals(Set.of("tx.csv", "notes.txt"), names(d));
        assertEquals(DATA, Files.readString(d.resolve("tx.csv")));
    }

    @Test
    void aForeignDirectoryNeedsOverwriteAndAnEarlierSplitIsReplaced() throws IOException {
        Path d = userDirectory();
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("keep.txt"), "mine");
        String input = d.resolve("tx.csv").toString();
        assertRefused(CliTest.run("split", "-i", input, "-o", other.toString(), "--format", "csv"), other.toString());
        assertEquals(Set.of("keep.txt"), names(other));

        Result forced = CliTest.run("split", "-i", input, "-o", other.toString(), "--format", "csv", "--overwrite");
        assertEquals(0, forced.code(), forced.err());
        assertFalse(Files.exists(other.resolve("keep.txt")));
        // An earlier split is replaced without --overwrite...
        Result again = CliTest.run("split", "-i", input, "-o", other.toString(), "--format", "csv", "--seed", "7");
        assertEquals(0, again.code(), again.err());
        assertTrue(Files.exists(other.resolve("train.csv")));
        // ...until the user puts something of theirs into it.
        Files.writeString(other.resolve("analysis.txt"), "mine too");
        Result guarded = CliTest.run("split", "-i", input, "-o", other.toString(), "--format", "csv");
        assertRefused(guarded, other.toString());
        assertTrue(guarded.err().contains("'analysis.txt'"), guarded.err());
        assertTrue(Files.exists(other.resolve("analysis.txt")));
        // Another command's output is not replaced either.
        assertRefused(CliTest.run("resample", "-i", input, "-o", other.toString(), "--method", "random-over"), other.toString());
    }

    @Test
    void resampleNeverReplacesItsInput() throws IOException {
        Path d = userDirectory();
        Path input = d.resolve("tx.csv");
        assertRefused(CliTest.run("resample", "-i", input.toString(), "-o", d.toString(), "--method", "random-over", "--overwrite"),
                d.toString());
        Result same = CliTest.run("resample", "-i", input.toString(), "-o", input.toString(), "--method", "random-over",
                "--overwrite");
        assertRefused(same, input.toString());
        assertTrue(same.err().contains("is the input"), same.err());
        assertEquals(DATA, Files.readString(input));
        assertEquals(Set.of("tx.csv", "notes.txt"), names(d));
    }

    @Test
    void aSingleFileOutputIsReplacedOnlyWhileUnchanged() throws IOException {
        Path g = dir.resolve("g.csv");
        Files.writeString(g, "someone else's file");
        String[] generate = {"generate", "--rows", "50", "--num-features", "2", "-o", g.toString()};
        assertRefused(CliTest.run(generate), g.toString());
        assertEquals("someone else's file", Files.readString(g));
        Files.delete(g);
        assertEquals(0, CliTest.run(generate).code());
        assertEquals(0, CliTest.run(generate).code(), "an earlier generate output is replaced");
        Files.writeString(g, "edited by hand");
        Result edited = CliTest.run(generate);
        assertRefused(edited, g.toString());
        assertTrue(edited.err().contains("changed after Counterweight wrote it"), edited.err());
        assertEquals("edited by hand", Files.readString(g));
    }

    @Test
    void modelPredictionsMetricsAndReportOutputsAreGuarded() throws IOException {
        Path d = userDirectory();
        Path input = d.resolve("tx.csv");
        Path foreign = dir.resolve("foreign.bin");
        Files.writeString(foreign, "x");
        assertRefused(CliTest.run("train", "--train", input.toString(), "--epochs", "1", "-o", foreign.toString()),
                foreign.toString());
        assertRefused(CliTest.run("train", "--train", input.toString(), "--epochs", "1", "-o", input.toString(), "--overwrite"),
                input.toString());
        Path model = dir.resolve("m.zip");
        assertEquals(0, CliTest.run("train", "--train", input.toString(), "--epochs", "1", "--engine", "local", "-o",
                model.toString()).code());
        assertRefused(CliTest.run("predict", "--model", model.toString(), "--input", input.toString(), "-o", foreign.toString()),
                foreign.toString());
        assertRefused(CliTest.run("predict", "--model", model.toString(), "--input", input.toString(), "-o", model.toString(),
                "--overwrite"), model.toString());
        Path predictions = dir.resolve("p.csv");
        assertEquals(0, CliTest.run("predict", "--model", model.toString(), "--input", input.toString(), "-o",
                predictions.toString()).code());
        assertRefused(CliTest.run("metrics", "--predictions", predictions.toString(), "-o", foreign.toString()),
                foreign.toString());
        assertRefused(CliTest.run("metrics", "--predictions", predictions.toString(), "-o", predictions.toString(),
                "--overwrite"), predictions.toString());
        assertEquals("x", Files.readString(foreign));
        assertEquals(DATA, Files.readString(input));
    }

    @Test
    void reportNeedsAnExistingStoreAndCreatesNothing() {
        Path typo = dir.resolve("reslts");
        Result r = CliTest.run("report", "--warehouse", typo.toString(), "-o", dir.resolve("rep").toString());
        assertEquals(2, r.code());
        assertEquals("error: no results store at '" + typo + "' (run an experiment with --warehouse " + typo + " first)",
                r.err().strip());
        assertFalse(Files.exists(typo));
        assertFalse(Files.exists(dir.resolve("rep")));
    }

    @Test
    void aResultsStoreIsNeverOpenedInAForeignDirectory() throws IOException {
        Path d = userDirectory();
        DataException e = assertThrows(DataException.class, () -> ResultsStore.open(SparkTestSupport.spark(), d.toString()));
        assertTrue(e.getMessage().contains("is not a results store: it holds"), e.getMessage());
        assertEquals(Set.of("tx.csv", "notes.txt"), names(d));
        // A new or empty directory becomes a store, and opens again as one.
        Path fresh = dir.resolve("store");
        ResultsStore.open(SparkTestSupport.spark(), fresh.toString());
        ResultsStore.open(SparkTestSupport.spark(), fresh.toString());
        assertEquals(Set.of("_COUNTERWEIGHT", "_LAYOUT", "cell_rows", "runs"), names(fresh));
    }
}
