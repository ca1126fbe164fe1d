package org.counterweight.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.counterweight.Version;
import org.counterweight.data.DataException;
import org.counterweight.data.OutputKind;
import org.counterweight.data.OutputMarker;
import org.counterweight.evaluate.MetricRow;
import org.counterweight.spark.SparkSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results store: two Delta Lake tables under a warehouse directory (default {@code results/}),
 * queryable with plain Spark SQL after {@link #registerViews()}.
 *
 * <pre>
 * warehouse/
 *   runs/        Delta table, one row per run, partitioned by run_id
 *   cell_rows/   Delta table, every row of every cell (kind: metric, timing, curve, param, cell),
 *                partitioned by run_id and cell
 *   _LAYOUT      the layout number (2), the writer and its Delta version ({@link StoreLayout})
 *   _COUNTERWEIGHT  the output marker
 * </pre>
 *
 * <p>Every change is one Delta commit, which is atomic on every file system Delta supports (local,
 * HDFS, and object stores with Delta's log store for them): a cell's metrics, timings, curves and
 * params are written together by replacing its partition ({@code replaceWhere}), so a reader sees
 * the old cell, no cell, or the new cell, never a part of one, and writing a cell again (a retry,
 * a re-run) replaces it instead of adding rows. The run's row is replaced the same way when its
 * status changes. Consequences:
 * <ul>
 *   <li>{@link #beginRun} refuses a run id the warehouse already holds. {@link #resumeRun} keeps
 *       the committed cells ({@link #finishedCells} lists them); only {@link #replaceRun} deletes
 *       them (one Delta commit), marking the run running first.</li>
 *   <li>An interrupted run stays {@code running}; the {@code finished_*} views, which reports use,
 *       only contain runs whose status is {@code finished}.</li>
 *   <li>Writers of different runs, in one JVM or several, touch disjoint partitions, so Delta's
 *       optimistic concurrency lets their commits through without conflict (on S3, writers in
 *       several processes need Delta's DynamoDB log store). Two writers of the same run id are
 *       not supported.</li>
 *   <li>Earlier states stay readable: {@link #asOf} ({@code TIMESTAMP AS OF} in SQL), for as
 *       long as Delta keeps their log (30 days by default) and nobody vacuums the tables.</li>
 * </ul>
 * Stores of the Parquet layout written before Delta Lake are refused with a pointer to
 * {@link ParquetStoreMigration} ({@code counterweight store migrate}).
 */
public final class ResultsStore {
    private static final Logger LOG = LoggerFactory.getLogger(ResultsStore.class);
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Attempts of one commit that lost a race with a concurrent commit touching the same files. */
    private static final int COMMIT_ATTEMPTS = 5;

    /** Default warehouse directory. */
    public static final String DEFAULT_WAREHOUSE = "results";

    /** The params row holding the number of candidates a cell's method was trained with (its tuning budget). */
    public static final String PARAM_CANDIDATES = "tune.candidates";
    /** The params row saying how the kept candidate was selected: none, validation or inner-3-fold. */
    public static final String PARAM_SELECTION = "tune.selection";
    /**
     * The params row naming the overall metric the cell's experiment config ranks methods by
     * ({@code metric}): the report's default for the run. Not a hyper-parameter; cells of stores
     * written before it lack the row.
     */
    public static final String PARAM_METRIC = "experiment.metric";
    /** The params row listing the grid keys the candidates set, comma-separated (their kept values are rows too). */
    public static final String PARAM_TUNED = "tune.params";
    /** The top-level entries of a store written before stores carried a marker (Parquet layout). */
    private static final Set<String> STORE_ENTRIES = Set.of("runs", "cells", "_staging");

    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;
    /** The time travelled to ({@link #asOf}), null for the latest state. */
    private final String asOf;
    /** Runs this instance began, resumed or finished: writeCell needs no read for them. */
    private final Map<String, RunInfo> known = new ConcurrentHashMap<>();

    private ResultsStore(SparkSession spark, Path root, FileSystem fs, String asOf) {
        this.spark = spark;
        this.root = root;
        this.fs = fs;
        this.asOf = asOf;
    }

    /**
     * Opens the warehouse at {@code path} for writing, creating it if needed. An existing path
     * must be a results store (or an empty directory): anything else is the user's and is
     * refused, never written into. A store this build cannot write (a newer layout or Delta
     * protocol, or the Parquet layout) is refused before anything is written.
     */
    public static ResultsStore open(SparkSession spark, String path) {
        return open(spark, path, true);
    }

    /** Opens an existing warehouse for reading; a missing path or one that is not a store is an error. */
    public static ResultsStore openExisting(SparkSession spark, String path) {
        return open(spark, path, false);
    }

    private static ResultsStore open(SparkSession spark, String path, boolean create) {
        String noDelta = SparkSessions.whyNoDelta(spark);
        if (noDelta != null) {
            throw new IllegalStateException("cannot open results store '" + path + "': " + noDelta);
        }
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            Path root = fs.makeQualified(p);
            boolean exists = fs.exists(root);
            if (!exists && !create) {
                throw new DataException("no results store at '" + path + "' (run an experiment with --warehouse "
                        + path + " first)");
            }
            if (exists) {
                if (!fs.getFileStatus(root).isDirectory()) {
                    throw new DataException("results warehouse '" + path + "' is a file, not a directory");
                }
                String foreign = whyNotAStore(fs, root, create);
                if (foreign != null) {
                    throw new DataException("'" + path + "' is not a results store: " + foreign
                            + " (give --warehouse a new or empty directory, or an existing store)");
                }
                StoreLayout.check(spark, fs, root, path, create);
            }
            ResultsStore store = new ResultsStore(spark, root, fs, null);
            if (create) {
                store.create();
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open results warehouse '" + path + "'", e);
        }
    }

    /** Creates whatever of the store is missing; safe when another process creates it at the same time. */
    private void create() throws IOException {
        fs.mkdirs(root);
        if (!OutputMarker.isMarkedDirectory(fs, root)) {
            OutputMarker.markDirectory(fs, root, OutputKind.RESULTS_STORE, true);
        }
        createTable(StoreTables.RUNS, StoreTables.RUNS_SCHEMA, List.of("run_id"));
        createTable(StoreTables.CELL_ROWS, StoreTables.CELL_ROWS_SCHEMA, StoreTables.CELL_PARTITIONS);
        if (!fs.exists(new Path(root, StoreLayout.FILE))) {
            StoreLayout.write(fs, root);
        }
    }

    private void createTable(String name, StructType schema, List<String> partitions) {
        Path t = new Path(root, name);
        if (isTable(t)) {
            return;
        }
        try {
            spark.createDataFrame(new ArrayList<Row>(), schema).write().format("delta").mode("append")
                    .partitionBy(partitions.toArray(new String[0])).save(t.toString());
        } catch (Exception e) { // a concurrent opener may have created it first: then all is well
            if (!isTable(t)) {
                throw new IllegalStateException("cannot create the " + name + " table of results store " + root, e);
            }
        }
    }

    /**
     * Null when {@code root} is a store (marked, or written before stores were marked: only its
     * own tables), or an empty directory we may create one in; else why not.
     */
    private static String whyNotAStore(FileSystem fs, Path root, boolean mayCreate) throws IOException {
        if (OutputMarker.isMarkedDirectory(fs, root)) {
            return OutputMarker.whyForeign(fs, root, OutputKind.RESULTS_STORE);
        }
        FileStatus[] entries = fs.listStatus(root);
        if (entries.length == 0) {
            return mayCreate ? null : "the directory is empty";
        }
        boolean hasRuns = false;
        for (FileStatus e : entries) {
            String name = e.getPath().getName();
            hasRuns |= name.equals("runs");
            if (!STORE_ENTRIES.contains(name) && !name.startsWith(".")) {
                return "it holds '" + name + "', which is not part of a results store";
            }
        }
        return hasRuns ? null : "it has no runs table";
    }

    /** The warehouse directory. */
    public String path() {
        return root.toString();
    }

    /**
     * This store as it was at {@code timestamp} (Delta time travel; a date {@code 2026-11-24} or
     * a timestamp {@code 2026-11-24 23:00:00}, in the session time zone), read-only: what
     * "last Tuesday's run" said before it was resumed or replaced. A time before the store
     * existed is a {@link DataException} when the tables are read.
     */
    public ResultsStore asOf(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            throw new IllegalArgumentException("asOf needs a date or timestamp");
        }
        return new ResultsStore(spark, root, fs, timestamp);
    }

    /**
     * Starts a new run {@code runId}. An id the warehouse already holds (a row in the runs table or
     * cells) is refused with a {@link DataException}: resume it or replace it instead.
     */
    public RunInfo beginRun(String runId, String experiment, String configHash) {
        checkRunId(runId);
        if (findRun(runId).isPresent()) {
            throw new DataException("run '" + runId + "' already exists in results warehouse " + root
                    + "; resume or replace it");
        }
        if (!cellRows().where(functions.col("run_id").equalTo(runId)).limit(1).isEmpty()) {
            // e.g. its row was deleted by hand: the cells are kept until replaced on purpose
            throw new DataException("run '" + runId + "' has cells in results warehouse " + root
                    + " but no row in the runs table; replace it (experiment --replace) to delete them");
        }
        RunInfo run = start(runId, experiment, configHash);
        LOG.info("began run {} of experiment {} in {}", runId, experiment, root);
        return run;
    }

    /**
     * Starts run {@code runId} afresh, deleting whatever the warehouse holds under that id: the run
     * is marked running first (so it no longer counts as finished), then its old cells are removed
     * in one commit.
     */
    public RunInfo replaceRun(String runId, String experiment, String configHash) {
        checkRunId(runId);
        RunInfo run = start(runId, experiment, configHash);
        replace(StoreTables.CELL_ROWS, "run_id = '" + runId + "'", List.of());
        LOG.info("began run {} of experiment {} in {}, replacing any earlier results", runId, experiment, root);
        return run;
    }

    private RunInfo start(String runId, String experiment, String configHash) {
        RunInfo run = new RunInfo(runId, experiment, Instant.now(), null, configHash, Version.version(),
                spark.sparkContext().master(), RunStatus.RUNNING);
        writeRun(run);
        return run;
    }

    /** Marks an existing run running again, keeping its committed cells (see {@link #finishedCells}). */
    public RunInfo resumeRun(String runId) {
        RunInfo old = run(runId);
        RunInfo run = new RunInfo(runId, old.experiment(), old.started(), null, old.configHash(), Version.version(),
                spark.sparkContext().master(), RunStatus.RUNNING);
        writeRun(run);
        return run;
    }

    /** Sets the final status of a run (finished or failed) and its finish time. */
    public RunInfo finishRun(String runId, RunStatus status) {
        if (status == RunStatus.RUNNING) {
            throw new IllegalArgumentException("finishRun needs status finished or failed");
        }
        RunInfo old = run(runId);
        RunInfo run = new RunInfo(runId, old.experiment(), old.started(), Instant.now(), old.configHash(),
                old.codeVersion(), old.sparkMaster(), status);
        writeRun(run);
        return run;
    }

    /** The stored row of a run; a {@link DataException} if there is none. */
    public RunInfo run(String runId) {
        return findRun(runId).orElseThrow(() -> new DataException("no run '" + runId + "' in results warehouse " + root));
    }

    /**
     * The stored row of a run, empty if the warehouse has none. A runs table that cannot be read is
     * an error, never "no run": callers decide from this whether a run id is free.
     */
    public Optional<RunInfo> findRun(String runId) {
        checkRunId(runId);
        List<Row> rows = runs().where(functions.col("run_id").equalTo(runId)).collectAsList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Row r = rows.get(0);
        try {
            return Optional.of(new RunInfo(runId, r.getString(0), r.getTimestamp(1).toInstant(),
                    r.isNullAt(2) ? null : r.getTimestamp(2).toInstant(), r.getString(3), r.getString(4), r.getString(5),
                    RunStatus.ofStored(r.getString(6))));
        } catch (RuntimeException e) {
            throw new DataException("the row of run '" + runId + "' in results warehouse " + root + " is damaged: " + r, e);
        }
    }

    /**
     * Writes one cell of a run atomically — its metrics, timings, curves and {@code params}
     * (hyper-parameter name to value, in order) together, in one Delta commit — replacing the cell
     * if it was written before. The run must have been begun (or resumed) in this warehouse.
     */
    public void writeCell(String runId, CellKey cell, List<MetricRow> metrics, List<TimingRow> timings,
                          List<CurveRow> curves, Map<String, String> params) {
        writeCells(runId, List.of(new CellResult(cell, metrics, timings, curves, params)));
    }

    /**
     * Writes several cells of a run in one Delta commit: all of them or none, each replacing the
     * cell if it was written before (results computed together, or imported in bulk: a commit
     * costs about a second however small, so a thousand cells are one commit rather than a
     * thousand). The run must have been begun (or resumed) in this warehouse.
     */
    public void writeCells(String runId, List<CellResult> cells) {
        RunInfo run = known.containsKey(runId) ? known.get(runId) : run(runId);
        if (run.status() != RunStatus.RUNNING) {
            throw new IllegalStateException("run '" + runId + "' is " + run.status().stored()
                    + "; begin or resume it before writing cells");
        }
        if (cells.isEmpty()) {
            return;
        }
        List<Row> rows = new ArrayList<>();
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (CellResult c : cells) {
            if (!ids.add(c.cell().id())) {
                throw new IllegalArgumentException("cell " + c.cell() + " is given twice");
            }
            rows.addAll(cellRows(runId, Date.valueOf(run.runDate()), c));
        }
        String in = ids.stream().map(id -> "'" + id + "'").collect(java.util.stream.Collectors.joining(", "));
        replace(StoreTables.CELL_ROWS, "run_id = '" + runId + "' AND cell " + (ids.size() == 1 ? "= " + in : "IN (" + in + ")"),
                rows);
    }

    private static List<Row> cellRows(String runId, Date runDate, CellResult c) {
        CellRows rows = new CellRows(runId, runDate, c.cell());
        rows.add(StoreTables.CELL, null, null, null, null, null, null, null, null);
        for (MetricRow m : c.metrics()) {
            rows.add(StoreTables.METRIC, required(m.metric(), "metric name"), m.className(), m.value(), null, null, null,
                    null, null);
        }
        for (TimingRow t : c.timings()) {
            rows.add(StoreTables.TIMING, required(t.stage(), "timing stage"), null, t.seconds(), null, null, null, null,
                    null);
        }
        for (CurveRow cr : c.curves()) {
            rows.add(StoreTables.CURVE, required(cr.curve(), "curve name"), required(cr.className(), "curve class"), null,
                    null, cr.point(), cr.threshold(), cr.x(), cr.y());
        }
        for (Map.Entry<String, String> p : c.params().entrySet()) {
            rows.add(StoreTables.PARAM, required(p.getKey(), "param name"), null, null,
                    required(p.getValue(), "param '" + p.getKey() + "' value"), null, null, null, null);
        }
        return rows.rows;
    }

    /** The rows of one cell in cell_rows order, the key columns filled in. */
    private static final class CellRows {
        final List<Row> rows = new ArrayList<>();
        private final Object[] key;

        CellRows(String runId, Date runDate, CellKey cell) {
            key = new Object[] {runId, cell.id(), runDate, cell.dataset(), cell.method(), cell.seed(), cell.fold()};
        }

        void add(String kind, String name, String className, Double value, String text, Integer point, Double threshold,
                 Double x, Double y) {
            Object[] all = new Object[key.length + 9];
            System.arraycopy(key, 0, all, 0, key.length);
            Object[] rest = {kind, name, className, value, text, point, threshold, x, y};
            System.arraycopy(rest, 0, all, key.length, rest.length);
            rows.add(RowFactory.create(all));
        }
    }

    private static String required(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + ": value must not be null");
        }
        return value;
    }

    /** The cells of a run that are committed (for resuming an interrupted run). */
    public Set<CellKey> finishedCells(String runId) {
        checkRunId(runId);
        Set<CellKey> cells = new HashSet<>();
        for (Row r : cellRows().where(functions.col("run_id").equalTo(runId).and(functions.col("kind").equalTo(StoreTables.CELL)))
                .select("dataset", "method", "seed", "fold").collectAsList()) {
            cells.add(new CellKey(r.getString(0), r.getString(1), r.getLong(2), r.getInt(3)));
        }
        return cells;
    }

    /** The runs table: the {@link RunInfo} columns, run_date and run_id. */
    public Dataset<Row> runs() {
        return table(StoreTables.RUNS, StoreTables.RUNS_SCHEMA);
    }

    /**
     * Every row of every cell as stored: the key columns, {@code kind} and the columns of that kind
     * (the per-table methods below select one kind each).
     */
    public Dataset<Row> cellRows() {
        return table(StoreTables.CELL_ROWS, StoreTables.CELL_ROWS_SCHEMA);
    }

    /** The metrics table of all runs, finished or not. */
    public Dataset<Row> metrics() {
        return cellView("metrics");
    }

    /** The timings table of all runs. */
    public Dataset<Row> timings() {
        return cellView("timings");
    }

    /** The curves table of all runs. */
    public Dataset<Row> curves() {
        return cellView("curves");
    }

    /**
     * The params table of all runs: every hyper-parameter of every cell, as text. Cells of stores
     * written before the table existed have no rows here (their tuned values are
     * {@code tuned_<param>} metrics).
     */
    public Dataset<Row> params() {
        return cellView("params");
    }

    private Dataset<Row> cellView(String view) {
        return cellRows().where(functions.col("kind").equalTo(StoreTables.kind(view))).selectExpr(StoreTables.columns(view));
    }

    /**
     * Registers temp views {@code runs}, {@code metrics}, {@code timings}, {@code curves},
     * {@code params} (every run) and {@code finished_runs}, {@code finished_metrics},
     * {@code finished_timings}, {@code finished_curves}, {@code finished_params} (only runs with
     * status finished), for plain Spark SQL; besides, {@code cell_rows} (the stored table).
     */
    public void registerViews() {
        registerViews("finished", List.of());
    }

    /**
     * Registers the all-runs views (as {@link #registerViews()}) and {@code <prefix>_runs},
     * {@code <prefix>_metrics}, {@code <prefix>_timings}, {@code <prefix>_curves},
     * {@code <prefix>_params}: the finished runs plus the runs named in {@code alsoUnfinished},
     * whatever their status. The statements are the ones {@code counterweight store sql} prints.
     */
    public void registerViews(String prefix, List<String> alsoUnfinished) {
        alsoUnfinished.forEach(ResultsStore::checkRunId); // they are quoted into SQL
        runs().createOrReplaceTempView(StoreTables.RUNS);
        cellRows().createOrReplaceTempView(StoreTables.CELL_ROWS);
        for (String statement : StoreTables.viewStatements(prefix, alsoUnfinished)) {
            spark.sql(statement);
        }
    }

    /** The SQL that defines this store's views in a {@code spark-sql} session with Delta Lake ({@code store sql}). */
    public List<String> sqlScript() {
        return StoreTables.sqlScript(root.toString());
    }

    /** Reads a table (as of {@link #asOf} if set); a table not created yet reads empty. */
    private Dataset<Row> table(String name, StructType schema) {
        Path t = new Path(root, name);
        if (!isTable(t)) {
            return spark.createDataFrame(new ArrayList<Row>(), schema);
        }
        DataFrameReader reader = spark.read().format("delta");
        if (asOf != null) {
            reader = reader.option("timestampAsOf", asOf);
        }
        try {
            return reader.load(t.toString()).select(columns(schema));
        } catch (Exception e) { // Delta's AnalysisException is checked in Java's eyes
            if (asOf != null) {
                throw new DataException("results store '" + root + "' has no state as of '" + asOf + "' (table " + name
                        + "): " + e.getMessage(), e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot read " + t, e);
        }
    }

    private static org.apache.spark.sql.Column[] columns(StructType schema) {
        String[] names = schema.fieldNames();
        org.apache.spark.sql.Column[] cols = new org.apache.spark.sql.Column[names.length];
        for (int i = 0; i < names.length; i++) {
            cols[i] = functions.col(names[i]);
        }
        return cols;
    }

    private void writeRun(RunInfo run) {
        replace(StoreTables.RUNS, "run_id = '" + run.runId() + "'", List.of(RowFactory.create(run.experiment(),
                Timestamp.from(run.started()), run.finished() == null ? null : Timestamp.from(run.finished()),
                run.configHash(), run.codeVersion(), run.sparkMaster(), run.status().stored(), Date.valueOf(run.runDate()),
                run.runId())));
        known.put(run.runId(), run);
    }

    /**
     * Replaces the rows of {@code table} matching {@code where} (a predicate on its partition
     * columns) by {@code rows}, in one Delta commit. Idempotent, so a commit that lost a race is
     * simply tried again.
     */
    private void replace(String name, String where, List<Row> rows) {
        if (asOf != null) {
            throw new IllegalStateException("results store " + root + " as of " + asOf + " is read-only");
        }
        boolean cells = name.equals(StoreTables.CELL_ROWS);
        StructType schema = cells ? StoreTables.CELL_ROWS_SCHEMA : StoreTables.RUNS_SCHEMA;
        List<String> partitions = cells ? StoreTables.CELL_PARTITIONS : List.of("run_id");
        Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1);
        String target = new Path(root, name).toString();
        for (int attempt = 1; ; attempt++) {
            try {
                df.write().format("delta").mode("overwrite").option("replaceWhere", where)
                        .partitionBy(partitions.toArray(new String[0])).save(target);
                return;
            } catch (org.apache.spark.sql.delta.DeltaConcurrentModificationException e) {
                if (attempt == COMMIT_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("commit to {} ({}) lost a race, attempt {}: {}", target, where, attempt, e.getMessage());
            }
        }
    }

    private boolean isTable(Path table) {
        try {
            return fs.exists(new Path(table, "_delta_log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + table, e);
        }
    }

    static void checkRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id '" + runId
                    + "' must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }
}
