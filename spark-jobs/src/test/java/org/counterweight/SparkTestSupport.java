package org.counterweight;

import org.apache.spark.sql.SparkSession;

/** One in-process Spark session shared by the tests of a JVM (local[2], quiet, small shuffles). */
public final class SparkTestSupport {
    private static SparkSession session;

    private SparkTestSupport() {
    }

    public static synchronized SparkSession spark() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("counterweight-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                    .config("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator")
                    .getOrCreate();
        }
        return session;
    }
}
