package org.counterweight;

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
        if (session != null) {
            session.stop();
        }
        session = start(master);
        return session;
    }

    private static SparkSession start(String master) {
        SparkConf delta = new SparkConf(false);
        SparkSessions.configureDelta(delta);
        return SparkSession.builder()
                .config(delta)
                .master(master)
                .appName("counterweight-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", "org.counterweight.spark.KryoRegistrator")
                .getOrCreate();
    }
}
