package org.counterweight.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the report's queries, kept as plain Spark SQL files under
 * {@code org/counterweight/report/sql/} so users can read and adapt them. They read the report's
 * views of the results store ({@code report_runs}, {@code report_metrics}, {@code report_timings},
 * {@code report_curves}, {@code report_params}: finished runs, plus unfinished ones asked for) and its
 * {@code selected_runs} and {@code leaderboard_run}.
 */
final class ReportSql {
    private ReportSql() {
    }

    /** Runs {@code <name>.sql} with named parameters ({@code :name} in the SQL). */
    static Dataset<Row> run(SparkSession spark, String name, Map<String, Object> args) {
        String sql = load(name);
        return args.isEmpty() ? spark.sql(sql) : spark.sql(sql, args);
    }

    static String load(String name) {
        try (InputStream in = ReportSql.class.getResourceAsStream("sql/" + name + ".sql")) {
            if (in == null) {
                throw new IllegalStateException("missing report query sql/" + name + ".sql");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
