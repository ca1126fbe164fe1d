package org.counterweight.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

class Dl4jRuntimeTest {

    @Test
    void javaCppMemoryCheckIsOffInThisJvm() {
        assertTrue(Dl4jRuntime.ensureConfigured());
        assertEquals(0, Pointer.maxPhysicalBytes(), "JavaCPP must have read maxPhysicalBytes=0");
        assertEquals("false", System.getProperty(Dl4jRuntime.HELPERS_DISABLE), "DL4J's oneDNN helpers must be allowed");
    }

    @Test
    void executorsGetTheJvmOptionsAndOneOpenMpThread() {
        SparkConf conf = new SparkConf(false).set("spark.executor.extraJavaOptions", "--add-opens=java.base/java.nio=ALL-UNNAMED");
        Dl4jRuntime.configureExecutors(conf);
        assertEquals("--add-opens=java.base/java.nio=ALL-UNNAMED -Dorg.bytedeco.javacpp.maxPhysicalBytes=0"
                + " -Dorg.eclipse.deeplearning4j.helpers.disable=false",
                conf.get("spark.executor.extraJavaOptions"));
        assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("passive", conf.get("spark.executorEnv.OMP_WAIT_POLICY"));
        // Applying twice (a session rebuilt from the same conf) adds nothing.
        Dl4jRuntime.configureExecutors(conf);
        assertEquals("--add-opens=java.base/java.nio=ALL-UNNAMED -Dorg.bytedeco.javacpp.maxPhysicalBytes=0"
                + " -Dorg.eclipse.deeplearning4j.helpers.disable=false",
                conf.get("spark.executor.extraJavaOptions"));
    }

    @Test
    void explicitSettingsWin() {
        SparkConf conf = new SparkConf(false).set("spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.maxphysicalbytes=8G")
                .set("spark.executorEnv.OMP_WAIT_POLICY", "active");
        Dl4jRuntime.configureExecutors(conf);
        assertEquals("-Dorg.bytedeco.javacpp.maxphysicalbytes=8G -Dorg.eclipse.deeplearning4j.helpers.disable=false",
                conf.get("spark.executor.extraJavaOptions"));
        assertEquals("active", conf.get("spark.executorEnv.OMP_WAIT_POLICY"));
        SparkConf empty = new SparkConf(false);
        Dl4jRuntime.configureExecutors(empty);
        assertEquals("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dorg.eclipse.deeplearning4j.helpers.disable=false",
                empty.get("spark.executor.extraJavaOptions"));
        SparkConf noHelpers = new SparkConf(false).set("spark.executor.extraJavaOptions", "-Dorg.eclipse.deeplearning4j.helpers.disable=true");
        Dl4jRuntime.configureExecutors(noHelpers);
        assertEquals("-Dorg.eclipse.deeplearning4j.helpers.disable=true -Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                noHelpers.get("spark.executor.extraJavaOptions"));
    }

    @Test
    void anOpenMpThreadLimitKeepsTheOneDnnHelpersOff() {
        // oneDNN aborts the JVM under OMP_THREAD_LIMIT (docs/STACK.md): executors given one get the built-in path.
        SparkConf limited = new SparkConf(false).set("spark.executorEnv.OMP_THREAD_LIMIT", "1");
        Dl4jRuntime.configureExecutors(limited);
        assertEquals("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dorg.eclipse.deeplearning4j.helpers.disable=true",
                limited.get("spark.executor.extraJavaOptions"));
        assertEquals("false", Dl4jRuntime.properties(null).get(Dl4jRuntime.HELPERS_DISABLE));
        assertEquals("false", Dl4jRuntime.properties(" ").get(Dl4jRuntime.HELPERS_DISABLE));
        assertEquals("true", Dl4jRuntime.properties("4").get(Dl4jRuntime.HELPERS_DISABLE));
    }
}
