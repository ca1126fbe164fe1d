package org.counterweight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.counterweight.SparkTestSupport;
import org.counterweight.experiment.ExperimentConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code experiment} as a user meets it: the summary line and exit codes of failed, refused and replaced runs. */
class ExperimentCommandTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void sharedSession() {
        SparkTestSupport.spark();
    }

    /**
     * Two missing datasets fail both cells (not one per message); reusing the run id with other
     * seeds is refused with exit code 2 unless --replace is given.
     */
    @Test
    void failedCellsAreCountedAndAChangedConfigNeedsReplace() throws IOException {
        Path conf = dir.resolve("missing.conf");
        Files.writeString(conf, """
                name = missing
                datasets = [{name = a, path = "%s"}, {name = b, path = "%s"}]
                methods = [ce]
                engine = local
                """.formatted(dir.resolve("a.csv"), dir.resolve("b.csv")));
        String warehouse = dir.resolve("wh").toString();
        List<String> run = List.of("experiment", "--config", conf.toString(), "--warehouse", warehouse, "--run-id", "m");

        CliTest.Result failed = CliTest.run(run.toArray(String[]::new));
        assertEquals(1, failed.code(), failed.err());
        assertTrue(failed.out().contains("run m: failed (0/2 cells done, 2 failed) in "), failed.out());

        String oldHash = ExperimentConfig.load(conf.toFile(), null).hash();
        String newHash = ExperimentConfig.load(conf.toFile(), null, List.of(2L)).hash();
        CliTest.Result refused = CliTest.run(concat(run, "--seeds", "2"));
        assertEquals(2, refused.code(), refused.out());
        assertEquals("error: run m exists with config hash " + oldHash + ", but this config's hash is " + newHash
                + "; use another --run-id, or --replace to delete run m's results and run it afresh", refused.err().strip());

        CliTest.Result replaced = CliTest.run(concat(run, "--seeds", "2", "--replace"));
        assertEquals(1, replaced.code(), replaced.err());
        assertTrue(replaced.out().contains("run m: failed (0/2 cells done, 2 failed) in "), replaced.out());
    }

    private static String[] concat(List<String> args, String... more) {
        return java.util.stream.Stream.concat(args.stream(), java.util.Arrays.stream(more)).toArray(String[]::new);
    }
}
