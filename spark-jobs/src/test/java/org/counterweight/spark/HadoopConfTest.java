package org.counterweight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.Test;

class HadoopConfTest {
    private static final String KEY = "counterweight.test.endpoint";

    @Test
    void tasksSeeTheHadoopSettingsPassedAsSparkHadoopKeys() {
        SparkSession spark = SparkTestSupport.restart("local[2]", Map.of("spark.hadoop." + KEY, "http://store:9000"));
        try {
            List<String> seen = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(List.of(1, 2), 2)
                    .map(i -> String.valueOf(HadoopConf.get().get(KEY)))
                    .collect();
            assertEquals(List.of("http://store:9000", "http://store:9000"), seen);
            // what a bare configuration (the earlier code) saw
            assertNull(new Configuration().get(KEY));
        } finally {
            SparkTestSupport.restart("local[2]");
        }
        assertNull(HadoopConf.get().get(KEY), "a new Spark environment gets its own configuration");
    }
}
