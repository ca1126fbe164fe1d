package org.counterweight.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.Version;
import org.counterweight.data.DataException;
import org.counterweight.evaluate.MetricRow;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic cells, replaced re-runs, interrupted runs and concurrent writers of the results store. */
class ResultsStoreTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    /** Where the report commands of a test write (outside the warehouse). */
    @TempDir
    Path reports;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.spark();
    }

    private static List<MetricRow> metrics(double accuracy) {
        return List.of(new MetricRow("accuracy", null, accuracy), new MetricRow("recall", "cat", accuracy / 2),
                new MetricRow("recall", "dog", accuracy / 3));
    }

    private static final List<TimingRow> TIMINGS = List.of(new TimingRow("train", 1.5), new TimingRow("evaluate", 0.25));
    private static final List<CurveRow> CURVES = List.of(new CurveRow(CurveRow.ROC, "dog", 0, Double.POSITIVE_INFINITY, 0, 0),
            new CurveRow(CurveRow.ROC, "dog", 1, 0.5, 0.2, 0.7), new CurveRow(CurveRow.ROC, "dog", 2, Double.NEGATIVE_INFINITY, 1, 1));

    /** A cell's hyper-parameters: a word and a number among them, both kept as text. */
    private static final Map<String, String> PARAMS = params("focal(gamma=2,alpha=inverse)", "0.05");

    private static Map<String, String> params(String loss, String lr) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("loss", loss);
        p.put("lr", lr);
        p.put("alpha", "inverse");
        return p;
    }

    private static double value(String sql) {
        List<Row> rows = spark.sql(sql).collectAsList();
        assertEquals(1, rows.size(), sql);
        return ((Number) rows.get(0).get(0)).doubleValue();
    }

    @Test
    void finishedRunIsQueryableWithProvenance() {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        store.beginRun("r1", "exp", "hash1");
        CellKey a = new CellKey("iris", "smote(k=5)+ce", 7, 0);
        CellKey b = new CellKey("iris", "ce", 7, 1);
        store.writeCell("r1", a, metrics(0.9), TIMINGS, CURVES, PARAMS);
        store.writeCell("r1", b, metrics(0.8), TIMINGS, List.of(), PARAMS);
        store.finishRun("r1", RunStatus.FINISHED);
        store.registerViews();

        assertEquals(0.9, value("SELECT value FROM finished_metrics WHERE method = 'smote(k=5)+ce' AND metric = 'accuracy'"));
        assertEquals(0.4, value("SELECT value FROM finished_metrics WHERE fold = 1 AND class = 'cat'"), 1e-15);
        assertEquals(6, value("SELECT count(*) FROM finished_metrics"));
        assertEquals(3.5, value("SELECT sum(seconds) FROM finished_timings"));
        assertEquals(3, value("SELECT count(*) FROM finished_curves WHERE run_id = 'r1'"));
        Map<String, String> stored = new LinkedHashMap<>();
        spark.sql("SELECT param, value FROM finished_params WHERE dataset = 'iris' AND method = 'smote(k=5)+ce' AND seed = 7 "
                + "AND fold = 0").collectAsList().forEach(r -> stored.put(r.getString(0), r.getString(1)));
        assertEquals(PARAMS, stored);
        assertEquals(6, value("SELECT count(*) FROM params WHERE run_id = 'r1'"));
        assertEquals(Double.NEGATIVE_INFINITY, value("SELECT threshold FROM curves WHERE point = 2"));
        Row run = spark.sql("SELECT status, code_version, spark_master, config_hash, finished IS NOT NULL, "
                + "run_date = to_date(started) FROM runs").first();
        assertEquals("finished", run.getString(0));
        assertEquals(Version.version(), run.getString(1));
        assertEquals(spark.sparkContext().master(), run.getString(2));
        assertEquals("hash1", run.getString(3));
        assertTrue(run.getBoolean(4));
        assertEquals(Set.of(a, b), store.finishedCells("r1"));
    }

    @Test
    void rewritingACellReplacesIt() {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        store.beginRun("r1", "exp", "h");
        CellKey a = new CellKey("d", "ce", 1, 0);
        store.writeCell("r1", a, metrics(0.5), TIMINGS, CURVES, PARAMS);
        store.writeCell("r1", a, metrics(0.6), TIMINGS, CURVES, params("ce", "0.01"));
        store.registerViews();
        assertEquals(3, value("SELECT count(*) FROM metrics"));
        assertEquals(0.6, value("SELECT value FROM metrics WHERE metric = 'accuracy'"));
        assertEquals(List.of("ce|0.01|inverse"), spark.sql("SELECT concat_ws('|', max(IF(param = 'loss', value, NULL)), "
                + "max(IF(param = 'lr', value, NULL)), max(IF(param = 'alpha', value, NULL))) FROM params").collectAsList()
                .stream().map(r -> r.getString(0)).toList(), "the params of the second write only");
    }

    /**
     * Several cells in one commit: one new version of cell_rows for all of them, a cell written
     * before replaced, and a batch naming a cell twice refused before anything is written.
     */
    @Test
    void aBatchOfCellsIsOneCommit() {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        store.beginRun("r1", "exp", "h");
        CellKey a = new CellKey("d", "ce", 1, 0);
        CellKey b = new CellKey("d", "focal", 1, 0);
        store.writeCell("r1", a, metrics(0.5), TIMINGS, CURVES, PARAMS);
        io.delta.tables.DeltaTable table = io.delta.tables.DeltaTable.forPath(spark, dir.resolve("cell_rows").toString());
        long before = table.history().agg(org.apache.spark.sql.functions.max("version")).first().getLong(0);
        store.writeCells("r1", List.of(new CellResult(a, metrics(0.7), TIMINGS, CURVES, PARAMS),
                new CellResult(b, metrics(0.8), TIMINGS, List.of(), PARAMS)));
        assertEquals(before + 1, table.history().agg(org.apache.spark.sql.functions.max("version")).first().getLong(0),
                "one commit");
        store.registerViews();
        assertEquals(0.7, value("SELECT value FROM metrics WHERE method = 'ce' AND metric = 'accuracy'"));
        assertEquals(0.8, value("SELECT value FROM metrics WHERE method = 'focal' AND metric = 'accuracy'"));
        assertEquals(Set.of(a, b), store.finishedCells("r1"));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> store.writeCells("r1",
                List.of(new CellResult(b, metrics(0.1), TIMINGS, CURVES, PARAMS), new CellResult(b, metrics(0.2), TIMINGS,
                        CURVES, PARAMS))));
        assertTrue(twice.getMessage().endsWith("is given twice"), twice.getMessage());
        assertEquals(before + 1, table.history().agg(org.apache.spark.sql.functions.max("version")).first().getLong(0),
                "nothing written");
    }

    /**
     * A cell is committed with its params or not at all: when its params cannot be written the
     * cell's other tables are not published either.
     */
    @Test
    void aCellWhoseParamsCannotBeWrittenIsNotCommitted() {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        store.beginRun("r1", "exp", "h");
        Map<String, String> broken = new LinkedHashMap<>(PARAMS);
        broken.put("momentum", null);
        CellKey cell = new CellKey("d", "ce", 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.writeCell("r1", cell, metrics(0.5), TIMINGS, CURVES, broken));
        assertTrue(e.getMessage().contains("value must not be null"), e.getMessage());
        assertEquals(Set.of(), store.finishedCells("r1"));
        store.registerViews();
        for (String table : List.of("metrics", "timings", "curves", "params")) {
            assertEquals(0, value("SELECT count(*) FROM " + table), table);
        }
    }

    @Test
    void replacingARunIdReplacesItsRows() {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        store.beginRun("r1", "exp", "old");
        store.writeCell("r1", new CellKey("d", "ce", 1, 0), metrics(0.5), TIMINGS, CURVES, PARAMS);
        store.writeCell("r1", new CellKey("d", "ce", 1, 1), metrics(0.5), TIMINGS, CURVES, PARAMS);
        store.finishRun("r1", RunStatus.FINISHED);

        store.replaceRun("r1", "exp", "new");
        store.writeCell("r1", new CellKey("d", "focal", 1, 0), metrics(0.7), TIMINGS, CURVES, PARAMS);
        store.registerViews();
        assertEquals(1, value("SELECT count(*) FROM runs"));
        assertEquals(3, value("SELECT count(*) FROM metrics WHERE run_id = 'r1'"));
        assertEquals(0, value("SELECT count(*) FROM finished_metrics"), "the re-run has not finished yet");
        assertEquals("new", store.run("r1").configHash());
    }

    /** Beginning a run id the warehouse holds is refused and deletes nothing, even with its row gone. */
    @Test
    void beginningAnExistingRunIdIsRefused() throws Exception {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        assertTrue(store.findRun("r1").isEmpty());
        store.beginRun("r1", "exp", "h");
        CellKey cell = new CellKey("d", "ce", 1, 0);
        store.writeCell("r1", cell, metrics(0.5), TIMINGS, CURVES, PARAMS);
        store.finishRun("r1", RunStatus.FINISHED);
        assertEquals(RunStatus.FINISHED, store.findRun("r1").orElseThrow().status());

        DataException refused = assertThrows(DataException.class, () -> store.beginRun("r1", "exp", "other"));
        assertTrue(refused.getMessage().startsWith("run 'r1' already exists in results warehouse"), refused.getMessage());
        assertEquals("h", store.run("r1").configHash());
        // cells without a row (the row deleted by hand) are refused too
        deltaReplace("runs", "run_id = 'r1'", List.of(), StoreTables.RUNS_SCHEMA);
        assertTrue(store.findRun("r1").isEmpty());
        assertTrue(assertThrows(DataException.class, () -> store.beginRun("r1", "exp", "other")).getMessage()
                .contains("no row in the runs table"));
        assertEquals(Set.of(cell), store.finishedCells("r1"));
    }

    /** A row that cannot be decoded is an error, never "no such run" (which would free the id). */
    @Test
    void aDamagedRunRowIsAnErrorNotNoRun() throws Exception {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        store.beginRun("r1", "exp", "h");
        deltaReplace("runs", "run_id = 'r1'", List.of(org.apache.spark.sql.RowFactory.create("exp",
                new java.sql.Timestamp(0), null, "h", "v", "local", "paused", java.sql.Date.valueOf("1970-01-01"), "r1")),
                StoreTables.RUNS_SCHEMA);
        DataException damaged = assertThrows(DataException.class, () -> store.findRun("r1"));
        assertTrue(damaged.getMessage().startsWith("the row of run 'r1' in results warehouse"), damaged.getMessage());
    }

    @Test
    void interruptedRunIsNeverFinishedAndCanResume() throws Exception {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        store.beginRun("done", "exp", "h");
        store.writeCell("done", new CellKey("d", "ce", 1, 0), metrics(0.5), TIMINGS, CURVES, PARAMS);
        store.finishRun("done", RunStatus.FINISHED);
        store.beginRun("cut", "exp", "h");
        CellKey committed = new CellKey("d", "ce", 2, 0);
        store.writeCell("cut", committed, metrics(0.9), TIMINGS, CURVES, PARAMS);
        // A crash while writing a second cell leaves data files that no Delta commit names.
        CellKey crashed = new CellKey("d", "ce", 3, 0);
        spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("cut", crashed.id(), java.sql.Date.valueOf("2026-01-01"),
                "d", "ce", 3L, 0, "metric", "accuracy", null, 1.0, null, null, null, null, null)), StoreTables.CELL_ROWS_SCHEMA)
                .drop("run_id", "cell").coalesce(1).write()
                .parquet(dir.resolve("cell_rows/run_id=cut/cell=" + crashed.id()).toString());

        store.registerViews();
        assertEquals(RunStatus.RUNNING, store.run("cut").status());
        assertEquals(0, value("SELECT count(*) FROM finished_metrics WHERE run_id = 'cut'"));
        assertEquals(3, value("SELECT count(*) FROM finished_metrics"));
        assertEquals(3, value("SELECT count(*) FROM metrics WHERE run_id = 'cut'"), "uncommitted files are never read");
        assertEquals(1, value("SELECT count(*) FROM finished_runs"));

        store.resumeRun("cut");
        assertEquals(Set.of(committed), store.finishedCells("cut"));
        store.writeCell("cut", crashed, metrics(0.8), TIMINGS, CURVES, PARAMS);
        store.finishRun("cut", RunStatus.FINISHED);
        store.registerViews();
        assertEquals(6, value("SELECT count(*) FROM finished_metrics WHERE run_id = 'cut'"));

        // The statements `store sql` prints for spark-sql define the same views.
        spark.sql("DROP VIEW finished_metrics");
        for (String statement : store.sqlScript()) {
            spark.sql(statement);
        }
        assertEquals(9, value("SELECT count(*) FROM finished_metrics"));
        assertEquals(2, value("SELECT count(*) FROM finished_runs"));
        assertEquals(0.8, value("SELECT value FROM metrics WHERE run_id = 'cut' AND seed = 3 AND metric = 'accuracy'"));
    }

    /**
     * Time travel: the store as of a time between two commits shows the run as it was then, the
     * cell_rows table at an older version its old rows (SQL {@code VERSION AS OF}); a store as of
     * then is read-only, and a time before the store is a clear error.
     */
    @Test
    void earlierStatesStayReadable() throws Exception {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        store.beginRun("r1", "exp", "old");
        CellKey cell = new CellKey("d", "ce", 1, 0);
        store.writeCell("r1", cell, metrics(0.5), TIMINGS, CURVES, PARAMS);
        store.finishRun("r1", RunStatus.FINISHED);
        Thread.sleep(50);
        String between = new java.sql.Timestamp(System.currentTimeMillis()).toString();
        Thread.sleep(50);
        store.replaceRun("r1", "exp", "new");
        store.writeCell("r1", cell, metrics(0.9), TIMINGS, CURVES, PARAMS);

        ResultsStore then = store.asOf(between);
        assertEquals(RunStatus.FINISHED, then.run("r1").status());
        assertEquals("old", then.run("r1").configHash());
        then.registerViews();
        assertEquals(0.5, value("SELECT value FROM finished_metrics WHERE metric = 'accuracy'"));
        store.registerViews();
        assertEquals(0, value("SELECT count(*) FROM finished_metrics"), "the run is running again");
        assertEquals(0.9, value("SELECT value FROM metrics WHERE metric = 'accuracy'"));
        // cell_rows versions: 0 created, 1 the first cell, 2 the replace, 3 the second cell
        String table = "delta.`" + dir.resolve("cell_rows") + "`";
        assertEquals(0.5, value("SELECT value FROM " + table + " VERSION AS OF 1 WHERE kind = 'metric' AND name = 'accuracy'"));
        assertEquals(0, value("SELECT count(*) FROM " + table + " VERSION AS OF 2"));
        assertEquals(0.5, value("SELECT value FROM " + table + " TIMESTAMP AS OF '" + between + "' WHERE name = 'accuracy'"));

        assertTrue(assertThrows(IllegalStateException.class, () -> then.beginRun("r2", "exp", "h")).getMessage()
                .endsWith("is read-only"));
        DataException before = assertThrows(DataException.class, () -> store.asOf("2000-01-01").runs());
        assertTrue(before.getMessage().startsWith("results store '" + store.path() + "' has no state as of '2000-01-01'"),
                before.getMessage());

        // The same through `report --as-of`: then, r1 was finished with accuracy 0.5; now it is
        // running, so a report of today's finished runs has nothing to show.
        Path then1 = reports.resolve("then");
        assertEquals(0, org.counterweight.cli.Main.execute("report", "--warehouse", dir.toString(), "--as-of", between,
                "--metric", "accuracy", "--output", then1.toString()));
        String md = Files.readString(then1.resolve("report.md"));
        assertTrue(md.contains("r1") && md.contains("0.5000"), md);
        Path now = reports.resolve("now");
        assertEquals(2, org.counterweight.cli.Main.execute("report", "--warehouse", dir.toString(), "--metric", "accuracy",
                "--output", now.toString()));
        Path early = reports.resolve("early");
        assertEquals(2, org.counterweight.cli.Main.execute("report", "--warehouse", dir.toString(), "--as-of", "2000-01-01",
                "--output", early.toString()));
        assertFalse(Files.exists(now) || Files.exists(early), "a refused report leaves nothing behind");
    }

    /** A store of a newer layout than this build's is refused, naming store and layout, and left as it was. */
    @Test
    void aStoreOfANewerLayoutIsRefusedAndLeftAlone() throws Exception {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        store.beginRun("r1", "exp", "h");
        Files.writeString(dir.resolve("_LAYOUT"), "layout=3\nwriter=counterweight 9.0\n");
        Map<String, Long> before = ResultsStoreMigrationTest.listing(dir);
        for (boolean write : new boolean[] {true, false}) {
            DataException e = assertThrows(DataException.class, () -> {
                if (write) {
                    ResultsStore.open(spark, dir.toString());
                } else {
                    ResultsStore.openExisting(spark, dir.toString());
                }
            });
            assertEquals("results store '" + dir + "' has layout 3 (written by counterweight 9.0); counterweight "
                    + Version.version() + " reads layout 2 at most: use a newer Counterweight for it", e.getMessage());
        }
        assertEquals(before, ResultsStoreMigrationTest.listing(dir), "nothing written");
    }

    /**
     * A table whose Delta protocol is newer than this build's Delta Lake reads (a commit of a
     * future writer) is refused, naming the store, the table and the version, and left as it was.
     */
    @Test
    void aTableOfANewerDeltaProtocolIsRefusedAndLeftAlone() throws Exception {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        store.beginRun("r1", "exp", "h");
        Path log = dir.resolve("runs/_delta_log");
        long next;
        try (Stream<Path> commits = Files.list(log)) {
            next = commits.filter(f -> f.getFileName().toString().matches("\\d{20}\\.json")).count();
        }
        Files.writeString(log.resolve(String.format("%020d.json", next)),
                "{\"protocol\":{\"minReaderVersion\":4,\"minWriterVersion\":8,\"readerFeatures\":[],\"writerFeatures\":[]}}\n");
        Map<String, Long> before = ResultsStoreMigrationTest.listing(dir);
        DataException e = assertThrows(DataException.class, () -> ResultsStore.open(spark, dir.toString()));
        assertTrue(e.getMessage().startsWith("results store '" + dir + "': its table runs needs Delta protocol reader 4 / "
                + "writer 8, newer than Delta Lake " + StoreLayout.deltaVersion()), e.getMessage());
        assertEquals(before, ResultsStoreMigrationTest.listing(dir), "nothing written");
    }

    @Test
    void concurrentRunsDoNotCorruptEachOther() throws Exception {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        int cells = 4;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> jobs = new ArrayList<>();
        for (String runId : List.of("left", "right")) {
            jobs.add(pool.submit(() -> {
                ResultsStore own = ResultsStore.open(spark, dir.toString());
                own.beginRun(runId, "exp-" + runId, "h");
                for (int seed = 0; seed < cells; seed++) {
                    double acc = (runId.equals("left") ? 0.1 : 0.2) + seed / 100.0;
                    own.writeCell(runId, new CellKey("d", "ce", seed, 0), metrics(acc), TIMINGS, CURVES, PARAMS);
                }
                own.finishRun(runId, RunStatus.FINISHED);
                return null;
            }));
        }
        for (Future<?> f : jobs) {
            f.get();
        }
        pool.shutdown();
        store.registerViews();
        assertEquals(2, value("SELECT count(*) FROM finished_runs"));
        assertEquals(2 * cells * 3, value("SELECT count(*) FROM finished_metrics"));
        for (int seed = 0; seed < cells; seed++) {
            assertEquals(0.1 + seed / 100.0, value("SELECT value FROM metrics WHERE run_id = 'left' AND metric = 'accuracy' "
                    + "AND seed = " + seed), 1e-15);
            assertEquals(0.2 + seed / 100.0, value("SELECT value FROM metrics WHERE run_id = 'right' AND metric = 'accuracy' "
                    + "AND seed = " + seed), 1e-15);
        }
        assertEquals("exp-right", store.run("right").experiment());
    }

    /** Replaces the rows of a store's table matching {@code where}, as a user's own Delta write would. */
    private void deltaReplace(String table, String where, List<Row> rows, org.apache.spark.sql.types.StructType schema) {
        spark.createDataFrame(rows, schema).write().format("delta").mode("overwrite").option("replaceWhere", where)
                .save(dir.resolve(table).toString());
    }

    @Test
    void rejectsUnsafeRunIdsAndUnknownRuns() {
        ResultsStore store = ResultsStore.open(spark, dir.toString());
        assertThrows(IllegalArgumentException.class, () -> store.beginRun("../x", "exp", "h"));
        assertThrows(IllegalArgumentException.class, () -> store.beginRun("a*", "exp", "h"));
        assertThrows(DataException.class,
                () -> store.writeCell("nope", new CellKey("d", "ce", 1, 0), metrics(0.5), TIMINGS, CURVES, PARAMS));
        store.registerViews();
        assertEquals(0, value("SELECT count(*) FROM finished_metrics"));
    }
}
