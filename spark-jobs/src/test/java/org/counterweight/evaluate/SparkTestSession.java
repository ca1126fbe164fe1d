package org.counterweight.evaluate;

import org.apache.spark.sql.SparkSession;

/** The in-process session evaluation tests share (local[2], no UI, 4 shuffle partitions). */
public final class SparkTestSession {
    private SparkTestSession() {
    }

    /** Builds or returns the session. */
    public static SparkSession get() {
        return SparkSession.builder().master("local[2]").appName("counterweight-evaluate-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }
}
