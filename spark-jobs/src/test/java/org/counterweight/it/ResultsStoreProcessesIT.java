package org.counterweight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.SparkTestSupport;
import org.counterweight.results.ResultsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two experiment processes (JVMs, {@link StoreWriterProcess}) create and write one new results
 * store at the same time: both runs finish, every cell is there exactly once with its own values,
 * and the cell each wrote twice is not duplicated.
 */
class ResultsStoreProcessesIT {
    private static final int CELLS = 4;

    @TempDir
    Path work;

    @Test
    void twoProcessesWritingOneStoreLoseAndDuplicateNothing() throws Exception {
        Path warehouse = work.resolve("results");
        Path barrier = Files.createDirectories(work.resolve("barrier"));
        List<String> jvm = new ArrayList<>();
        jvm.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        jvm.add("-Xmx768m");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-Dlog4j2.configurationFile")) {
                jvm.add(a);
            }
        }
        jvm.addAll(List.of("-cp", System.getProperty("java.class.path"), StoreWriterProcess.class.getName()));
        List<Process> writers = new ArrayList<>();
        String[][] runs = {{"left", "0.1"}, {"right", "0.2"}};
        for (String[] run : runs) {
            List<String> cmd = new ArrayList<>(jvm);
            cmd.addAll(List.of(warehouse.toString(), run[0], Integer.toString(CELLS), run[1], barrier.toString(), "2"));
            writers.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(work.resolve(run[0] + ".log").toFile()).start());
        }
        for (int i = 0; i < writers.size(); i++) {
            Process p = writers.get(i);
            boolean done = p.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly();
            }
            assertTrue(done && p.exitValue() == 0,
                    "writer " + runs[i][0] + " failed:\n" + Files.readString(work.resolve(runs[i][0] + ".log")));
        }

        SparkSession spark = SparkTestSupport.spark();
        ResultsStore store = ResultsStore.openExisting(spark, warehouse.toString());
        store.registerViews();
        assertEquals(2L, spark.sql("SELECT count(*) FROM finished_runs").first().getLong(0));
        Row counts = spark.sql("SELECT count(*), count(DISTINCT run_id, dataset, method, seed, fold, metric, "
                + "coalesce(class, '')) FROM finished_metrics").first();
        assertEquals(2L * CELLS * 2, counts.getLong(0), "every metric row of every cell");
        assertEquals(counts.getLong(0), counts.getLong(1), "no duplicated rows");
        for (String[] run : runs) {
            assertEquals(CELLS, store.finishedCells(run[0]).size());
            for (Row r : spark.sql("SELECT seed, value FROM metrics WHERE metric = 'accuracy' AND run_id = '" + run[0] + "'")
                    .collectAsList()) {
                assertEquals(Double.parseDouble(run[1]) + r.getLong(0) / 1000.0, r.getDouble(1), 1e-15);
            }
        }
        // Which writer made each cell commit, in commit order: interleaved runs show the overlap.
        StringBuilder order = new StringBuilder();
        for (Row r : io.delta.tables.DeltaTable.forPath(spark, warehouse.resolve("cell_rows").toString()).history()
                .orderBy("version").selectExpr("operationParameters['predicate']").collectAsList()) {
            String predicate = r.isNullAt(0) ? "" : r.getString(0);
            order.append(predicate.contains("left") ? 'L' : predicate.contains("right") ? 'R' : '.');
        }
        // Printed, not logged: the test log config keeps Counterweight's loggers at WARN.
        System.out.println("ResultsStoreProcessesIT: cell_rows commits in order (L left, R right, . create): " + order);
    }
}
