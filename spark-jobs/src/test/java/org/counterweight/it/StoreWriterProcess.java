package org.counterweight.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.counterweight.evaluate.MetricRow;
import org.counterweight.results.CellKey;
import org.counterweight.results.ResultsStore;
import org.counterweight.results.RunStatus;
import org.counterweight.results.TimingRow;
import org.counterweight.spark.SparkSessions;

/**
 * One experiment process of {@link ResultsStoreProcessesIT}: opens the store, waits until every
 * writer has opened it (so their commits overlap), writes {@code cells} cells of run {@code runId}
 * (accuracy = base + seed / 1000), writes cell 0 a second time as a retried commit would, and
 * finishes the run.
 * Arguments: warehouse, run id, cells, base accuracy, barrier directory, writers.
 */
public final class StoreWriterProcess {
    private StoreWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        String warehouse = args[0];
        String runId = args[1];
        int cells = Integer.parseInt(args[2]);
        double base = Double.parseDouble(args[3]);
        Path barrier = Path.of(args[4]);
        int writers = Integer.parseInt(args[5]);
        SparkConf conf = new SparkConf().setMaster("local[1]").setAppName("store-writer-" + runId)
                .set("spark.ui.enabled", "false").set("spark.sql.shuffle.partitions", "1");
        SparkSessions.configureDelta(conf);
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        ResultsStore store = ResultsStore.open(spark, warehouse);
        Files.createFile(barrier.resolve(runId));
        long deadline = System.currentTimeMillis() + 120_000;
        while (Files.list(barrier).count() < writers && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        store.beginRun(runId, "processes", "h");
        for (int seed = 0; seed < cells; seed++) {
            write(store, runId, seed, base);
        }
        write(store, runId, 0, base); // a retried commit of a committed cell
        store.finishRun(runId, RunStatus.FINISHED);
        spark.stop();
    }

    private static void write(ResultsStore store, String runId, int seed, double base) {
        double accuracy = base + seed / 1000.0;
        store.writeCell(runId, new CellKey("d", "ce", seed, 0),
                List.of(new MetricRow("accuracy", null, accuracy), new MetricRow("recall", "yes", accuracy / 2)),
                List.of(new TimingRow("train", 1.0)), List.of(), Map.of("lr", "0.01"));
    }
}
