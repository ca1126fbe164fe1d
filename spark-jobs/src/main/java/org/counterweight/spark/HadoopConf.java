package org.counterweight.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * The Hadoop configuration for files Counterweight opens itself (minibatches, row tables, work
 * directories), on the driver and on the executors alike.
 *
 * <p>A bare {@code new Configuration()} sees only the {@code *-site.xml} files on the class path,
 * so on an executor it would miss what the user passed as {@code spark.hadoop.*} settings (an
 * object store's endpoint and credentials, say) and fail to read a {@code --work-dir} that Spark's
 * own readers can. This builds the configuration the way Spark builds its own: from the running
 * {@link SparkEnv}'s {@link SparkConf}, {@code spark.hadoop.*} keys copied in.
 */
public final class HadoopConf {
    private static volatile Cached cached;

    private record Cached(SparkConf conf, Configuration hadoop) {
    }

    private HadoopConf() {
    }

    /**
     * The configuration for this JVM's Spark environment, or the class path's when none runs. Built
     * once per Spark environment (a configuration parses its resources on first use); callers must
     * not modify it.
     */
    public static Configuration get() {
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            return new Configuration();
        }
        Cached c = cached;
        if (c == null || c.conf() != env.conf()) {
            c = new Cached(env.conf(), SparkHadoopUtil.get().newConfiguration(env.conf()));
            cached = c;
        }
        return c.hadoop();
    }
}
