package org.counterweight.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.SparkTestSupport;
import org.counterweight.cli.Main;
import org.counterweight.data.DataException;
import org.counterweight.evaluate.MetricRow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store of the Parquet layout (the fixture {@code results/parquet-store}, made by the Parquet
 * ResultsStore; its README lists its rows) is refused with a pointer to {@code store migrate},
 * which copies every run, status and cell into a Delta store that then works as any other.
 */
class ResultsStoreMigrationTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.spark();
    }

    private static double value(String sql) {
        List<Row> rows = spark.sql(sql).collectAsList();
        assertEquals(1, rows.size(), sql);
        return ((Number) rows.get(0).get(0)).doubleValue();
    }

    /** Every file under {@code root} with its size: what "left alone" compares. */
    static Map<String, Long> listing(Path root) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(f).toString(), Files.size(f));
            }
        }
        return files;
    }

    private Path oldStore() throws Exception {
        Path fixture = Path.of(getClass().getResource("/results/parquet-store").toURI());
        Path old = dir.resolve("old");
        try (Stream<Path> all = Files.walk(fixture)) {
            for (Path f : all.toList()) {
                Path to = old.resolve(fixture.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return old;
    }

    @Test
    void aParquetStoreIsRefusedThenMigratedWhole() throws Exception {
        Path old = oldStore();
        Map<String, Long> before = listing(old);
        DataException refused = assertThrows(DataException.class, () -> ResultsStore.open(spark, old.toString()));
        assertEquals("results store '" + old + "' is in the Parquet layout of Counterweight before Delta Lake (layout 1); "
                + "migrate it into a new store first: counterweight store migrate --from " + old + " --warehouse NEW_DIR",
                refused.getMessage());
        assertThrows(DataException.class, () -> ResultsStore.openExisting(spark, old.toString()));

        Path migrated = dir.resolve("delta");
        assertEquals(0, Main.execute("store", "migrate", "--from", old.toString(), "--warehouse", migrated.toString()));
        assertEquals(before, listing(old), "the old store is only read");

        ResultsStore store = ResultsStore.openExisting(spark, migrated.toString());
        store.registerViews();
        assertEquals(3, value("SELECT count(*) FROM runs"));
        assertEquals(2, value("SELECT count(*) FROM finished_runs"));
        assertEquals(RunStatus.RUNNING, store.run("cut").status());
        RunInfo done = store.run("done");
        assertEquals(RunStatus.FINISHED, done.status());
        assertEquals("h1", done.configHash());
        assertEquals("0.1.0-SNAPSHOT", done.codeVersion());
        assertTrue(done.finished().isAfter(done.started()));
        assertEquals(0.8, value("SELECT value FROM finished_metrics WHERE run_id = 'done' AND fold = 1 AND metric = 'accuracy'"));
        assertEquals(0.45, value("SELECT value FROM finished_metrics WHERE run_id = 'done' AND fold = 0 AND class = 'cat'"));
        assertEquals(2.0, value("SELECT value FROM finished_metrics WHERE run_id = 'older' AND metric = 'tuned_gamma'"));
        assertEquals(7, value("SELECT count(*) FROM metrics"));
        assertEquals(0, value("SELECT count(*) FROM params WHERE run_id = 'older'"), "written before the params table");
        Map<String, String> params = new LinkedHashMap<>();
        spark.sql("SELECT param, value FROM params WHERE run_id = 'done' AND fold = 1 ORDER BY param").collectAsList()
                .forEach(r -> params.put(r.getString(0), r.getString(1)));
        assertEquals(Map.of("loss", "focal(gamma=2,alpha=inverse)", "lr", "0.05"), params);
        assertEquals(3, value("SELECT count(*) FROM finished_curves WHERE run_id = 'done'"));
        assertEquals(Double.POSITIVE_INFINITY, value("SELECT threshold FROM curves WHERE run_id = 'done' AND point = 0"));
        assertEquals(4 * 1.75, value("SELECT sum(seconds) FROM timings"));
        CellKey cut = new CellKey("iris", "ce", 8, 0);
        assertEquals(Set.of(new CellKey("iris", "ce", 7, 0), new CellKey("iris", "ce", 7, 1)), store.finishedCells("done"));
        assertEquals(Set.of(cut), store.finishedCells("cut"));
        assertEquals(cut.id(), spark.sql("SELECT DISTINCT cell FROM metrics WHERE run_id = 'cut'").first().getString(0));

        // The interrupted run goes on in the new store.
        ResultsStore writable = ResultsStore.open(spark, migrated.toString());
        writable.resumeRun("cut");
        writable.writeCell("cut", new CellKey("iris", "ce", 8, 1), List.of(new MetricRow("accuracy", null, 0.7)),
                List.of(), List.of(), Map.of());
        writable.finishRun("cut", RunStatus.FINISHED);
        writable.registerViews();
        assertEquals(3, value("SELECT count(*) FROM finished_runs"));
        assertEquals(2, value("SELECT count(*) FROM finished_metrics WHERE run_id = 'cut'"));

        // A migration never replaces a store, and a Delta store has nothing to migrate.
        assertEquals(2, Main.execute("store", "migrate", "--from", old.toString(), "--warehouse", migrated.toString()));
        DataException delta = assertThrows(DataException.class,
                () -> ParquetStoreMigration.migrate(spark, migrated.toString(), dir.resolve("again").toString()));
        assertTrue(delta.getMessage().endsWith("is not a results store of the Parquet layout (layout 1): nothing to migrate"),
                delta.getMessage());
        assertTrue(Files.notExists(dir.resolve("again")));
    }
}
