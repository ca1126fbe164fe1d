package org.counterweight.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.counterweight.dl4j.Dl4jRuntime;

/**
 * Creates the SparkSession every Counterweight entry point uses, with the settings DL4J on Spark
 * needs (Kryo with {@link KryoRegistrator}, {@link Dl4jRuntime} for the driver and the executors) and
 * a local master when none is configured, and Delta Lake's session extension and catalog, which
 * the results store's tables need ({@link #configureDelta}).
 *
 * <p>Under {@code spark-submit} the master and other settings come from the submit command and
 * {@code conf/spark-defaults.conf}; explicit settings here only fill gaps.
 */
public final class SparkSessions {
    /** Master used when neither {@code --master} nor {@code spark.master} is given. */
    public static final String DEFAULT_MASTER = "local[*]";
    /** The session extension Delta Lake needs for any table access (and for its SQL). */
    public static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
    /** The session catalog Delta Lake needs for any table access (and for SQL time travel). */
    public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
    private static final String EXTENSIONS = "spark.sql.extensions";
    private static final String SESSION_CATALOG = "spark.sql.catalog.spark_catalog";

    private SparkSessions() {
    }

    /**
     * Returns the active session or builds one.
     *
     * @param appName shown in the Spark UI
     * @param master  a master URL, or null to keep {@code spark.master} from the environment
     *                (falling back to {@link #DEFAULT_MASTER})
     */
    public static SparkSession getOrCreate(String appName, String master) {
        Dl4jRuntime.ensureConfigured();
        SparkConf conf = new SparkConf();
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(DEFAULT_MASTER);
        }
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", "org.counterweight.spark.KryoRegistrator");
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        configureDelta(conf);
        Dl4jRuntime.configureExecutors(conf);
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /**
     * Adds Delta Lake's extension to {@code spark.sql.extensions} (after any configured ones) and
     * makes its catalog the session catalog unless another one is configured. Delta refuses every
     * table access without both (from 3.0 on, even through the DataFrame API), and both must be
     * set before the session starts.
     */
    public static void configureDelta(SparkConf conf) {
        String extensions = conf.get(EXTENSIONS, "").trim();
        if (!extensions.contains(DELTA_EXTENSION)) {
            conf.set(EXTENSIONS, extensions.isEmpty() ? DELTA_EXTENSION : extensions + "," + DELTA_EXTENSION);
        }
        conf.setIfMissing(SESSION_CATALOG, DELTA_CATALOG);
        // Delta rebuilds a table's state in 50 partitions by default: 50 tasks per snapshot of a
        // results store's few-MB log, most of the time of a commit on a small machine.
        conf.setIfMissing("spark.databricks.delta.snapshotPartitions", "2");
    }

    /** Why {@code spark} cannot use Delta tables, or null when it can (see {@link #configureDelta}). */
    public static String whyNoDelta(SparkSession spark) {
        String extensions = spark.conf().get(EXTENSIONS, "");
        String catalog = spark.conf().get(SESSION_CATALOG, "");
        if (extensions.contains(DELTA_EXTENSION) && catalog.equals(DELTA_CATALOG)) {
            return null;
        }
        return "the SparkSession lacks Delta Lake: start it with " + EXTENSIONS + "=" + DELTA_EXTENSION + " and "
                + SESSION_CATALOG + "=" + DELTA_CATALOG + " (SparkSessions.configureDelta)";
    }
}
