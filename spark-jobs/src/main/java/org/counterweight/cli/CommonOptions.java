package org.counterweight.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import org.counterweight.spark.SparkSessions;
import picocli.CommandLine.Option;

/** Options every Spark-running command shares: the master and verbosity. */
public final class CommonOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: spark.master from spark-submit, else local[*]).")
    String master;

    @Option(names = {"-v", "--verbose"},
            description = "Log every training epoch, Spark's INFO lines and stack traces (by default: one line per cell or run).")
    boolean verbose;

    /** Applies verbosity and returns the session. */
    public SparkSession spark(String appName) {
        applyVerbosity(verbose);
        return SparkSessions.getOrCreate("counterweight " + appName, master);
    }

    /**
     * With {@code verbose}: Spark and DL4J at INFO, Counterweight at DEBUG (the per-epoch lines of
     * {@code train/EpochLoop}, a failed cell's stack trace). Without it, conf/log4j2.xml's levels.
     */
    static void applyVerbosity(boolean verbose) {
        if (verbose) {
            Configurator.setRootLevel(Level.INFO);
            Configurator.setLevel("org.counterweight", Level.DEBUG);
        }
    }

    /** Whether --verbose was given. */
    public boolean verbose() {
        return verbose;
    }
}
