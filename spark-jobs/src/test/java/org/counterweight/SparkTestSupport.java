package org.counterweight;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.counterweight.spark.SparkSessions;

/** One in-process Spark session shared by the tests of a JVM (local[2], quiet, small shuffles, Delta Lake). */
public final class SparkTestSupport {
    private static SparkSession session;

    private SparkTestSupport() {
    }

    public static synchronized SparkSession spark() {
        if (session == null) {
            session = start("local[2]");
        }
        return session;
    }

    /**
     * Replaces the shared session by one with another master (for tests that a result does not
     * depend on the number of cores). Callers restore {@code local[2]} afterwards.
     */
    public static synchronized SparkSession restart(String master) {
        return restart(master, Map.of());
    }

    /** {@link #restart(String)} with extra Spark settings (e.g. {@code spark.hadoop.*} keys). */
    public static synchronized SparkSession restart(String master, Map<String, String> settings) {
        if (session != null) {
            session.stop();
        }
        session = start(master, settings);
        return session;
    }

    private static SparkSession start(String master) {
        return start(master, Map.of());
    }

    private static SparkSession start(String master, Map<String, String> settings) {
        SparkConf delta = new SparkConf(false);
        SparkSessions.configureDelta(delta);
        SparkSession.Builder b = SparkSession.builder().config(delta);
        settings.forEach(b::config);
        return b
                .master(master)
                .appName("counterweight-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", "org.counterweight.spark.KryoRegistrator")
                .getOrCreate();
    }
}
