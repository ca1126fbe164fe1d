package org.counterweight.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.Version;
import org.counterweight.data.DataException;
import org.counterweight.data.OutputKind;
import org.counterweight.data.OutputMarker;
import org.counterweight.evaluate.MetricRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results store: Parquet tables under a warehouse directory (default {@code results/}),
 * queryable with plain Spark SQL after {@link #registerViews()}.
 *
 * <pre>
 * warehouse/
 *   runs/run_date=2026-11-26/run_id=R/runs.parquet               one row per run
 *   cells/run_date=2026-11-26/run_id=R/cell=c…/metrics.parquet   one directory per cell holding
 *                                             /timings.parquet   a file per table
 *                                             /curves.parquet
 *                                             /params.parquet    (stores written before it lack it)
 *   _staging/…                                                   work in progress (never read)
 * </pre>
 *
 * <p>Atomicity comes from directory renames. Every write goes to a fresh directory under
 * {@code _staging} and is then renamed into place; an existing directory is first moved aside, so
 * a reader sees the old cell, no cell, or the new cell, never a partial one: a cell's metrics,
 * timings, curves and params move together. The run's row is replaced the same way when its
 * status changes. Consequences:
 * <ul>
 *   <li>{@link #beginRun} refuses a run id the warehouse already holds. {@link #resumeRun} keeps
 *       the committed cells ({@link #finishedCells} lists them); only {@link #replaceRun} deletes
 *       them, marking the run running first.</li>
 *   <li>An interrupted run stays {@code running}; the {@code finished_*} views, which reports use,
 *       only contain runs whose status is {@code finished}.</li>
 *   <li>Runs with different ids write disjoint directories (staging names are random UUIDs), so
 *       concurrent runs cannot corrupt each other. Two writers of the same run id are not
 *       supported.</li>
 * </ul>
 * Renames are atomic on local and HDFS file systems; on object stores (S3) they are copies, and
 * the guarantees above do not hold.
 */
public final class ResultsStore {
    private static final Logger LOG = LoggerFactory.getLogger(ResultsStore.class);
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** Default warehouse directory. */
    public static final String DEFAULT_WAREHOUSE = "results";

    static final StructType RUNS = new StructType()
            .add("experiment", DataTypes.StringType, false)
            .add("started", DataTypes.TimestampType, false)
            .add("finished", DataTypes.TimestampType, true)
            .add("config_hash", DataTypes.StringType, false)
            .add("code_version", DataTypes.StringType, false)
            .add("spark_master", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false);
    private static final StructType CELL = new StructType()
            .add("dataset", DataTypes.StringType, false)
            .add("method", DataTypes.StringType, false)
            .add("seed", DataTypes.LongType, false)
            .add("fold", DataTypes.IntegerType, false);
    static final StructType METRICS = append(CELL, new StructType()
            .add("metric", DataTypes.StringType, false)
            .add("class", DataTypes.StringType, true)
            .add("value", DataTypes.DoubleType, false));
    static final StructType TIMINGS = append(CELL, new StructType()
            .add("stage", DataTypes.StringType, false)
            .add("seconds", DataTypes.DoubleType, false));
    static final StructType CURVES = append(CELL, new StructType()
            .add("curve", DataTypes.StringType, false)
            .add("class", DataTypes.StringType, false)
            .add("point", DataTypes.IntegerType, false)
            .add("threshold", DataTypes.DoubleType, false)
            .add("x", DataTypes.DoubleType, false)
            .add("y", DataTypes.DoubleType, false));
    /** Every hyper-parameter a cell was trained with, tuned or fixed, as text (docs/evaluation.md). */
    static final StructType PARAMS = append(CELL, new StructType()
            .add("param", DataTypes.StringType, false)
            .add("value", DataTypes.StringType, false));
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
    private static final StructType RUN_PARTITIONS = new StructType()
            .add("run_date", DataTypes.DateType, false)
            .add("run_id", DataTypes.StringType, false);
    private static final StructType CELL_PARTITIONS = append(RUN_PARTITIONS, new StructType()
            .add("cell", DataTypes.StringType, false));

    /** The tables of a cell, each a file in the cell's directory. */
    private enum CellTable {
        METRICS("metrics.parquet", ResultsStore.METRICS),
        TIMINGS("timings.parquet", ResultsStore.TIMINGS),
        CURVES("curves.parquet", ResultsStore.CURVES),
        PARAMS("params.parquet", ResultsStore.PARAMS);

        final String file;
        final StructType schema;

        CellTable(String file, StructType schema) {
            this.file = file;
            this.schema = schema;
        }
    }
    private static final String RUN_FILE = "runs.parquet";
    /** The top-level entries of a store written before stores carried a marker. */
    private static final Set<String> STORE_ENTRIES = Set.of("runs", "cells", "_staging");

    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;
    /** Runs this instance began, resumed or finished: writeCell needs no read for them. */
    private final java.util.Map<String, RunInfo> known = new java.util.concurrent.ConcurrentHashMap<>();

    private ResultsStore(SparkSession spark, Path root, FileSystem fs) {
        this.spark = spark;
        this.root = root;
        this.fs = fs;
    }

    /**
     * Opens the warehouse at {@code path} for writing, creating it if needed. An existing path
     * must be a results store (or an empty directory): anything else is the user's and is
     * refused, never written into.
     */
    public static ResultsStore open(SparkSession spark, String path) {
        return open(spark, path, true);
    }

    /** Opens an existing warehouse for reading; a missing path or one that is not a store is an error. */
    public static ResultsStore openExisting(SparkSession spark, String path) {
        return open(spark, path, false);
    }

    private static ResultsStore open(SparkSession spark, String path, boolean create) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            Path root = fs.makeQualified(p);
            if (!fs.exists(root)) {
                if (!create) {
                    throw new DataException("no results store at '" + path + "' (run an experiment with --warehouse "
                            + path + " first)");
                }
                fs.mkdirs(root);
            } else if (!fs.getFileStatus(root).isDirectory()) {
                throw new DataException("results warehouse '" + path + "' is a file, not a directory");
            }
            String foreign = whyNotAStore(fs, root, create);
            if (foreign != null) {
                throw new DataException("'" + path + "' is not a results store: " + foreign
                        + " (give --warehouse a new or empty directory, or an existing store)");
            }
            if (create && !OutputMarker.isMarkedDirectory(fs, root)) {
                OutputMarker.markDirectory(fs, root, OutputKind.RESULTS_STORE, true);
            }
            return new ResultsStore(spark, root, fs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open results warehouse '" + path + "'", e);
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
     * Starts a new run {@code runId}. An id the warehouse already holds (a row in the runs table or
     * cells) is refused with a {@link DataException}: resume it or replace it instead.
     */
    public RunInfo beginRun(String runId, String experiment, String configHash) {
        checkRunId(runId);
        if (glob(runDirs(runId)).length > 0) {
            throw new DataException("run '" + runId + "' already exists in results warehouse " + root
                    + "; resume or replace it");
        }
        if (glob(cellDirs(runId)).length > 0) {
            // e.g. a crash while its row was being rewritten: the cells are kept until replaced on purpose
            throw new DataException("run '" + runId + "' has cells in results warehouse " + root
                    + " but no row in the runs table; replace it (experiment --replace) to delete them");
        }
        RunInfo run = start(runId, experiment, configHash);
        LOG.info("began run {} of experiment {} in {}", runId, experiment, root);
        return run;
    }

    /**
     * Starts run {@code runId} afresh, deleting whatever the warehouse holds under that id: the run
     * is marked running first (so it no longer counts as finished), then its old cells are removed.
     */
    public RunInfo replaceRun(String runId, String experiment, String configHash) {
        checkRunId(runId);
        RunInfo run = start(runId, experiment, configHash);
        for (FileStatus old : glob(cellDirs(runId))) {
            remove(old.getPath());
        }
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
        List<Row> rows = read(runDirs(runId), new Path(root, "runs"), RUN_FILE, append(RUNS, RUN_PARTITIONS)).collectAsList();
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
     * (hyper-parameter name to value, in order) together — replacing the cell if it was written
     * before. The run must have been begun (or resumed) in this warehouse.
     */
    public void writeCell(String runId, CellKey cell, List<MetricRow> metrics, List<TimingRow> timings,
                          List<CurveRow> curves, Map<String, String> params) {
        RunInfo run = known.containsKey(runId) ? known.get(runId) : run(runId);
        if (run.status() != RunStatus.RUNNING) {
            throw new IllegalStateException("run '" + runId + "' is " + run.status().stored()
                    + "; begin or resume it before writing cells");
        }
        Path staged = staging();
        writeRows(new Path(staged, CellTable.METRICS.file), CellTable.METRICS.schema,
                rows(cell, metrics, m -> new Object[] {m.metric(), m.className(), m.value()}));
        writeRows(new Path(staged, CellTable.TIMINGS.file), CellTable.TIMINGS.schema,
                rows(cell, timings, t -> new Object[] {t.stage(), t.seconds()}));
        writeRows(new Path(staged, CellTable.CURVES.file), CellTable.CURVES.schema,
                rows(cell, curves, c -> new Object[] {c.curve(), c.className(), c.point(), c.threshold(), c.x(), c.y()}));
        writeRows(new Path(staged, CellTable.PARAMS.file), CellTable.PARAMS.schema,
                rows(cell, List.copyOf(params.entrySet()), p -> new Object[] {p.getKey(), p.getValue()}));
        publish(staged, new Path(root, "cells/run_date=" + run.runDate() + "/run_id=" + runId + "/cell=" + cell.id()));
    }

    /** The cells of a run that are committed (for resuming an interrupted run). */
    public Set<CellKey> finishedCells(String runId) {
        checkRunId(runId);
        Set<CellKey> cells = new HashSet<>();
        for (Row r : read(cellDirs(runId), new Path(root, "cells"),
                CellTable.METRICS.file, append(METRICS, CELL_PARTITIONS))
                .select("dataset", "method", "seed", "fold").distinct().collectAsList()) {
            cells.add(new CellKey(r.getString(0), r.getString(1), r.getLong(2), r.getInt(3)));
        }
        return cells;
    }

    /** The runs table: run_id, run_date and the {@link RunInfo} columns. */
    public Dataset<Row> runs() {
        return read(new Path(root, "runs"), new Path(root, "runs"), RUN_FILE, append(RUNS, RUN_PARTITIONS));
    }

    /** The metrics table of all runs, finished or not. */
    public Dataset<Row> metrics() {
        return cellTable(CellTable.METRICS);
    }

    /** The timings table of all runs. */
    public Dataset<Row> timings() {
        return cellTable(CellTable.TIMINGS);
    }

    /** The curves table of all runs. */
    public Dataset<Row> curves() {
        return cellTable(CellTable.CURVES);
    }

    /**
     * The params table of all runs: every hyper-parameter of every cell, as text. Cells of stores
     * written before the table existed have no rows here (their tuned values are
     * {@code tuned_<param>} metrics).
     */
    public Dataset<Row> params() {
        return cellTable(CellTable.PARAMS);
    }

    /**
     * Registers temp views {@code runs}, {@code metrics}, {@code timings}, {@code curves},
     * {@code params} (every run) and {@code finished_runs}, {@code finished_metrics},
     * {@code finished_timings}, {@code finished_curves}, {@code finished_params} (only runs with
     * status finished), for plain Spark SQL.
     */
    public void registerViews() {
        registerViews("finished", List.of());
    }

    /**
     * Registers the all-runs views (as {@link #registerViews()}) and {@code <prefix>_runs},
     * {@code <prefix>_metrics}, {@code <prefix>_timings}, {@code <prefix>_curves},
     * {@code <prefix>_params}: the finished runs plus the runs named in {@code alsoUnfinished},
     * whatever their status.
     */
    public void registerViews(String prefix, List<String> alsoUnfinished) {
        runs().createOrReplaceTempView("runs");
        metrics().createOrReplaceTempView("metrics");
        timings().createOrReplaceTempView("timings");
        curves().createOrReplaceTempView("curves");
        params().createOrReplaceTempView("params");
        Column shown = functions.col("status").equalTo(RunStatus.FINISHED.stored());
        if (!alsoUnfinished.isEmpty()) {
            shown = shown.or(functions.col("run_id").isin(alsoUnfinished.toArray()));
        }
        Dataset<Row> selected = spark.table("runs").filter(shown);
        selected.createOrReplaceTempView(prefix + "_runs");
        for (String t : List.of("metrics", "timings", "curves", "params")) {
            Dataset<Row> table = spark.table(t);
            table.join(selected.select("run_id"), table.col("run_id").equalTo(selected.col("run_id")), "left_semi")
                    .createOrReplaceTempView(prefix + "_" + t);
        }
    }

    private Dataset<Row> cellTable(CellTable t) {
        return read(new Path(root, "cells"), new Path(root, "cells"), t.file, append(t.schema, CELL_PARTITIONS));
    }

    /**
     * Reads the files named {@code file} under the directories matching {@code pattern}, with the
     * partition columns taken from the paths. Reading a whole table passes its root, so Spark
     * lists one tree instead of one path per cell.
     */
    private Dataset<Row> read(Path pattern, Path base, String file, StructType schema) {
        FileStatus[] matches = glob(pattern);
        if (matches.length == 0) {
            return spark.createDataFrame(new ArrayList<Row>(), schema);
        }
        String[] paths = new String[matches.length];
        for (int i = 0; i < matches.length; i++) {
            paths[i] = matches[i].getPath().toString();
        }
        return spark.read().schema(schema).option("basePath", base.toString()).option("pathGlobFilter", file)
                .parquet(paths);
    }

    private <T> List<Row> rows(CellKey cell, List<T> items, Function<T, Object[]> values) {
        List<Row> rows = new ArrayList<>(items.size());
        for (T item : items) {
            Object[] v = values.apply(item);
            Object[] all = new Object[4 + v.length];
            all[0] = cell.dataset();
            all[1] = cell.method();
            all[2] = cell.seed();
            all[3] = cell.fold();
            System.arraycopy(v, 0, all, 4, v.length);
            rows.add(RowFactory.create(all));
        }
        return rows;
    }

    private void writeRun(RunInfo run) {
        Path staged = staging();
        writeRows(new Path(staged, RUN_FILE), RUNS, List.of(RowFactory.create(run.experiment(), Timestamp.from(run.started()),
                run.finished() == null ? null : Timestamp.from(run.finished()), run.configHash(), run.codeVersion(),
                run.sparkMaster(), run.status().stored())));
        // A run's row lives in the partition of its start date; remove copies under other dates.
        Path target = new Path(root, "runs/run_date=" + run.runDate() + "/run_id=" + run.runId());
        for (FileStatus other : glob(runDirs(run.runId()))) {
            if (!other.getPath().equals(fs.makeQualified(target))) {
                remove(other.getPath());
            }
        }
        publish(staged, target);
        known.put(run.runId(), run);
    }

    private void writeRows(Path file, StructType schema, List<Row> rows) {
        try {
            ParquetRowWriter.write(spark.sparkContext().hadoopConfiguration(), file, schema, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The directories holding a run's row (one, unless a write was interrupted). */
    private Path runDirs(String runId) {
        return new Path(root, "runs/run_date=*/run_id=" + runId);
    }

    /** The directories holding a run's cells. */
    private Path cellDirs(String runId) {
        return new Path(root, "cells/run_date=*/run_id=" + runId);
    }

    private Path staging() {
        return new Path(root, "_staging/" + UUID.randomUUID());
    }

    /** Renames {@code staged} to {@code target}, first moving an existing target aside. */
    private void publish(Path staged, Path target) {
        try {
            fs.mkdirs(target.getParent());
            Path aside = null;
            if (fs.exists(target)) {
                aside = staging();
                fs.mkdirs(aside.getParent());
                rename(target, aside);
            }
            rename(staged, target);
            if (aside != null) {
                fs.delete(aside, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + target, e);
        }
    }

    private void remove(Path dir) {
        try {
            Path aside = staging();
            fs.mkdirs(aside.getParent());
            rename(dir, aside);
            fs.delete(aside, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    private void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("rename " + from + " -> " + to + " failed");
        }
    }

    private FileStatus[] glob(Path pattern) {
        try {
            FileStatus[] s = fs.globStatus(pattern);
            return s == null ? new FileStatus[0] : s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + pattern, e);
        }
    }

    private static void checkRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id '" + runId
                    + "' must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static StructType append(StructType a, StructType b) {
        StructType s = a;
        for (var f : b.fields()) {
            s = s.add(f);
        }
        return s;
    }
}
