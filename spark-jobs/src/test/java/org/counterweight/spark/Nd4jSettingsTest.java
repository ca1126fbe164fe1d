package org.counterweight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

class Nd4jSettingsTest {

    @Test
    void javaCppMemoryCheckIsOffInThisJvm() {
        assertTrue(Nd4jSettings.apply());
        assertEquals(0, Pointer.maxPhysicalBytes(), "JavaCPP must have read maxPhysicalBytes=0");
    }

    @Test
    void executorsGetTheJvmOptionAndOneOpenMpThread() {
        SparkConf conf = new SparkConf(false).set("spark.executor.extraJavaOptions", "--add-opens=java.base/java.nio=ALL-UNNAMED");
        Nd4jSettings.configureExecutors(conf);
        assertEquals("--add-opens=java.base/java.nio=ALL-UNNAMED -Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                conf.get("spark.executor.extraJavaOptions"));
        assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("1", conf.get("spark.executorEnv.OMP_THREAD_LIMIT"));
        // Applying twice (a session rebuilt from the same conf) adds nothing.
        Nd4jSettings.configureExecutors(conf);
        assertEquals("--add-opens=java.base/java.nio=ALL-UNNAMED -Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                conf.get("spark.executor.extraJavaOptions"));
    }

    @Test
    void explicitSettingsWin() {
        SparkConf conf = new SparkConf(false).set("spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.maxphysicalbytes=8G")
                .set("spark.executorEnv.OMP_THREAD_LIMIT", "2");
        Nd4jSettings.configureExecutors(conf);
        assertEquals("-Dorg.bytedeco.javacpp.maxphysicalbytes=8G", conf.get("spark.executor.extraJavaOptions"));
        assertEquals("2", conf.get("spark.executorEnv.OMP_THREAD_LIMIT"));
        SparkConf empty = new SparkConf(false);
        Nd4jSettings.configureExecutors(empty);
        assertEquals("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", empty.get("spark.executor.extraJavaOptions"));
    }
}
