package org.counterweight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster jar, unchanged, on a real standalone cluster: {@code submit/spark-submit.sh} (the
 * launcher users run) submits it through {@code SparkSubmit} to a master with two workers and
 * authentication on, and the job's output is checked.
 */
class StandaloneClusterIT {
    @TempDir
    static Path work;

    private static StandaloneCluster cluster;
    private static final Path PROJECT = Path.of(System.getProperty("cw.projectDir", "..")).toAbsolutePath().normalize();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new StandaloneCluster(work, Path.of(System.getProperty("cw.sparkClasspath")), 2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Runs {@code submit/spark-submit.sh args...} against the cluster; returns its output. */
    private static String submit(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", PROJECT.resolve("submit/spark-submit.sh").toString()));
        cmd.addAll(args);
        cmd.addAll(List.of("--master", cluster.masterUrl()));
        Path log = work.resolve("logs").resolve("submit-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", cluster.sparkHome.toString());
        pb.environment().put("SPARK_SUBMIT_ARGS", cluster.submitArgs());
        Process p = pb.start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertTrue(done && p.exitValue() == 0, "spark-submit failed:\n" + out + "\n" + cluster.logTails());
        return out;
    }

    private static Map<String, Integer> labelCounts(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        assertEquals("label", lines.get(0).substring(lines.get(0).lastIndexOf(',') + 1));
        Map<String, Integer> counts = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            counts.merge(l.substring(l.lastIndexOf(',') + 1), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void aSmallExperimentRunsOnTheCluster() throws Exception {
        Path warehouse = work.resolve("results");
        String log = submit(List.of("experiment", "--config", PROJECT.resolve("spark-jobs/src/test/resources/experiment/tiny.conf").toString(),
                "--warehouse", warehouse.toString(), "--run-id", "cluster-1", "--work-dir", work.resolve("minibatches-experiment").toString()));
        assertTrue(log.contains("run cluster-1: finished (2/2 cells done)"), log);
        assertTrue(log.matches("(?s).*synth\\s+(ce|random-over\\+ce)\\s+1\\s+0\\.\\d+.*"), "leaderboard printed:\n" + log);
    }

    /**
     * The user's path through the cluster jar, each stage on executors in their own JVMs: split
     * the data, train on the training part (minibatches from a local work directory — DL4J's own
     * Export approach refuses a non-local master with a local file system — and a DRW switch in
     * epoch 2), then predict the test part. {@code --verbose} brings back the per-epoch lines
     * (DEBUG by default) that show both epochs ran.
     */
    @Test
    void splitTrainAndPredictRunOnTheCluster() throws Exception {
        Path parts = work.resolve("split-out");
        String split = submit(List.of("split", "--input", PROJECT.resolve("data/satimage.csv.gz").toString(),
                "--output-dir", parts.toString(), "--test-fraction", "0.2", "--seed", "7", "--format", "csv"));
        assertTrue(split.contains("wrote " + parts), split);
        // satimage: 5809 / 626 rows; test gets round(0.2 n_k) per class
        assertEquals(Map.of("0", 1162, "1", 125), labelCounts(parts.resolve("test.csv")));
        assertEquals(Map.of("0", 4647, "1", 501), labelCounts(parts.resolve("train.csv")));
        String state = cluster.masterState();
        assertTrue(StandaloneCluster.count(state, "aliveworkers") == 2, state);
        assertTrue(state.matches("(?s).*\"completedapps\" : \\[ \\{\\s*\"id\" : \"app-.*") && state.contains("org.counterweight.cli.Main"),
                "the master ran the application: " + state);

        Path model = work.resolve("model.zip");
        String log = submit(List.of("train", "--train", parts.resolve("train.csv").toString(),
                "--loss", "weighted-ce(weights=cb,drw=1)", "--epochs", "2", "--seed", "3", "--averaging-frequency", "5",
                "--work-dir", work.resolve("minibatches").toUri().toString(), "--output", model.toString(), "--verbose"));
        assertTrue(log.contains("wrote " + model) && log.contains("epoch 2/2"), log);
        Path preds = work.resolve("predictions.csv");
        submit(List.of("predict", "--model", model.toString(), "--input", parts.resolve("test.csv").toString(),
                "--output", preds.toString()));
        List<String> lines = Files.readAllLines(preds);
        assertEquals("row_id,label,prediction,prob_0,prob_1", lines.get(0));
        assertEquals(1162 + 125 + 1, lines.size());
    }
}
