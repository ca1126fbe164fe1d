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

    @Option(names = {"-v", "--verbose"}, description = "Log Spark's INFO lines and print stack traces on errors.")
    boolean verbose;

    /** Applies verbosity and returns the session. */
    public SparkSession spark(String appName) {
        if (verbose) {
            Configurator.setRootLevel(Level.INFO);
        }
        return SparkSessions.getOrCreate("counterweight " + appName, master);
    }

    public boolean verbose() {
        return verbose;
    }
}
