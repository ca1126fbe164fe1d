package org.counterweight.results;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The two Delta tables of a results store and the SQL views over them, as text, so that
 * {@link ResultsStore#registerViews} and a user's {@code spark-sql} ({@code store sql}) define the
 * same views.
 *
 * <p>{@code runs}: one row per run, partitioned by {@code run_id}. {@code cell_rows}: every row
 * of every cell (metrics, timings, curve points, params, and one {@code cell} row that says the
 * cell is there), partitioned by {@code run_id} and {@code cell}, distinguished by {@code kind}.
 * One table for a cell's rows makes a cell one Delta commit: it appears all at once or not at
 * all, on any file system Delta supports, with no second table to keep in step (docs/evaluation.md,
 * "Results store").
 */
final class StoreTables {
    static final String RUNS = "runs";
    static final String CELL_ROWS = "cell_rows";

    /** The columns a run is stored with (the {@link RunInfo} fields but its id). */
    static final StructType RUN_COLUMNS = new StructType()
            .add("experiment", DataTypes.StringType, false)
            .add("started", DataTypes.TimestampType, false)
            .add("finished", DataTypes.TimestampType, true)
            .add("config_hash", DataTypes.StringType, false)
            .add("code_version", DataTypes.StringType, false)
            .add("spark_master", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false);
    /** The runs table: the run columns, then run_date and run_id as in the Parquet layout. */
    static final StructType RUNS_SCHEMA = RUN_COLUMNS
            .add("run_date", DataTypes.DateType, false)
            .add("run_id", DataTypes.StringType, false);

    /** The cell_rows table. Columns a kind does not use are null. */
    static final StructType CELL_ROWS_SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("cell", DataTypes.StringType, false)
            .add("run_date", DataTypes.DateType, false)
            .add("dataset", DataTypes.StringType, false)
            .add("method", DataTypes.StringType, false)
            .add("seed", DataTypes.LongType, false)
            .add("fold", DataTypes.IntegerType, false)
            .add("kind", DataTypes.StringType, false)
            .add("name", DataTypes.StringType, true)   // metric, stage, curve or param
            .add("class", DataTypes.StringType, true)  // metric and curve
            .add("value", DataTypes.DoubleType, true)  // metric value, timing seconds
            .add("text", DataTypes.StringType, true)   // param value
            .add("point", DataTypes.IntegerType, true) // curve
            .add("threshold", DataTypes.DoubleType, true)
            .add("x", DataTypes.DoubleType, true)
            .add("y", DataTypes.DoubleType, true);
    static final List<String> CELL_PARTITIONS = List.of("run_id", "cell");

    /** Kinds of cell_rows. */
    static final String METRIC = "metric";
    static final String TIMING = "timing";
    static final String CURVE = "curve";
    static final String PARAM = "param";
    /** One per committed cell: {@link ResultsStore#finishedCells} lists these. */
    static final String CELL = "cell";

    /** The per-cell views: name, kind, and the columns they had as Parquet tables, in that order. */
    private static final List<String[]> CELL_VIEWS = List.of(
            new String[] {"metrics", METRIC, "name AS metric, class, value"},
            new String[] {"timings", TIMING, "name AS stage, value AS seconds"},
            new String[] {"curves", CURVE, "name AS curve, class, point, threshold, x, y"},
            new String[] {"params", PARAM, "name AS param, text AS value"});
    private static final List<String> TABLES = List.of("runs", "metrics", "timings", "curves", "params");

    private StoreTables() {
    }

    /**
     * The statements defining the views {@code runs}, {@code metrics}, {@code timings},
     * {@code curves}, {@code params} and {@code <prefix>_…} (finished runs plus
     * {@code alsoUnfinished}) over the temp views {@code runs} and {@code cell_rows}, which the
     * caller defines first. Run ids are checked by the caller ({@link ResultsStore}'s rule: no quotes).
     */
    static List<String> viewStatements(String prefix, List<String> alsoUnfinished) {
        List<String> sql = new ArrayList<>();
        for (String[] v : CELL_VIEWS) {
            sql.add("CREATE OR REPLACE TEMPORARY VIEW " + v[0] + " AS SELECT " + String.join(", ", columns(v[0]))
                    + " FROM " + CELL_ROWS + " WHERE kind = '" + v[1] + "'");
        }
        String shown = "status = '" + RunStatus.FINISHED.stored() + "'";
        if (!alsoUnfinished.isEmpty()) {
            shown += " OR run_id IN (" + alsoUnfinished.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", "))
                    + ")";
        }
        for (String t : TABLES) {
            String body = t.equals("runs") ? "SELECT * FROM runs WHERE " + shown
                    : "SELECT * FROM " + t + " WHERE run_id IN (SELECT run_id FROM " + prefix + "_runs)";
            sql.add("CREATE OR REPLACE TEMPORARY VIEW " + prefix + "_" + t + " AS " + body);
        }
        return sql;
    }

    /** The kind of cell_rows behind the per-cell view {@code view} (metrics, timings, curves or params). */
    static String kind(String view) {
        return cellView(view)[1];
    }

    /** The columns of the per-cell view {@code view}, as select expressions over cell_rows. */
    static String[] columns(String view) {
        List<String> c = new ArrayList<>(List.of("dataset", "method", "seed", "fold"));
        c.addAll(List.of(cellView(view)[2].split(", ")));
        c.addAll(List.of("run_date", "run_id", "cell"));
        return c.toArray(new String[0]);
    }

    private static String[] cellView(String view) {
        return CELL_VIEWS.stream().filter(v -> v[0].equals(view)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cell view " + view));
    }

    /** The statements a {@code spark-sql} user runs to get the store's views ({@code store sql}). */
    static List<String> sqlScript(String root) {
        List<String> sql = new ArrayList<>();
        for (String table : List.of(RUNS, CELL_ROWS)) {
            sql.add("CREATE OR REPLACE TEMPORARY VIEW " + table + " AS SELECT * FROM delta.`" + root + "/" + table + "`");
        }
        sql.addAll(viewStatements("finished", List.of()));
        return sql;
    }
}
