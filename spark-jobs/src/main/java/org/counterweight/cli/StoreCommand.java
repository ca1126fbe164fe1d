package org.counterweight.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.counterweight.results.ParquetStoreMigration;
import org.counterweight.results.ResultsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code store}: maintenance of a results store (docs/evaluation.md, "Results store"). */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Results store maintenance: migrate a Parquet-layout store to Delta Lake, print its SQL views.",
        subcommands = {StoreCommand.Migrate.class, StoreCommand.Sql.class})
public final class StoreCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code store migrate}: a Parquet-layout store (before Delta Lake) copied into a new Delta store. */
    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Copy a results store of the Parquet layout (Counterweight before Delta Lake) into a new "
                + "Delta Lake store: every run, status and cell. The old store is only read; the new one is written "
                + "atomically and never replaces an existing directory."})
    static final class Migrate implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--from", paramLabel = "DIR", required = true, description = "The Parquet-layout store.")
        String from;

        @Option(names = "--warehouse", paramLabel = "DIR", required = true,
                description = "The new store: a path that does not exist, or an empty directory.")
        String warehouse;

        @Override
        public Integer call() {
            SparkSession spark = common.spark("store migrate");
            ParquetStoreMigration.Migrated m = ParquetStoreMigration.migrate(spark, from, warehouse);
            PrintWriter out = spec.commandLine().getOut();
            out.println("migrated " + m.runs() + " runs, " + m.cells() + " cells (" + m.rows() + " rows) from " + from
                    + " to " + warehouse);
            out.flush();
            return 0;
        }
    }

    /** {@code store sql}: the statements that define the store's views in {@code spark-sql} or a notebook. */
    @Command(name = "sql", mixinStandardHelpOptions = true,
            description = {"Print the SQL that defines the store's views (runs, metrics, timings, curves, params, "
                + "finished_*) for spark-sql or a notebook with Delta Lake; see docs/evaluation.md."})
    static final class Sql implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--warehouse", paramLabel = "DIR", defaultValue = ResultsStore.DEFAULT_WAREHOUSE,
                description = "Results warehouse directory (default: ${DEFAULT-VALUE}).")
        String warehouse;

        @Override
        public Integer call() {
            SparkSession spark = common.spark("store sql");
            PrintWriter out = spec.commandLine().getOut();
            for (String statement : ResultsStore.openExisting(spark, warehouse).sqlScript()) {
                out.println(statement + ";");
            }
            out.flush();
            return 0;
        }
    }
}
