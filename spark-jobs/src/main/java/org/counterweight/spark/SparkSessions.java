package org.counterweight.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.counterweight.dl4j.Dl4jRuntime;

/**
 * Creates the SparkSession every Counterweight entry point uses, with the settings DL4J on Spark
 * needs (Kryo with {@link KryoRegistrator}, {@link Dl4jRuntime} for the driver and the executors) and
 * a local master when none is configured.
 *
 * <p>Under {@code spark-submit} the master and other settings come from the submit command and
 * {@code conf/spark-defaults.conf}; explicit settings here only fill gaps.
 */
public final class SparkSessions {
    /** Master used when neither {@code --master} nor {@code spark.master} is given. */
    public static final String DEFAULT_MASTER = "local[*]";

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
        Dl4jRuntime.configureExecutors(conf);
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
