package org.counterweight.spark;

import java.util.Locale;
import org.apache.spark.SparkConf;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-JVM settings that make ND4J/DL4J train small networks faster, applied to the driver
 * ({@link #apply()}) and to executor JVMs ({@link #configureExecutors(SparkConf)}). Measured with
 * {@code org.counterweight.train.FitProbe} (docs/training.md, "Speed"; BENCHMARKS.md "Training").
 *
 * <ul>
 *   <li>JavaCPP {@code maxPhysicalBytes=0}. By default JavaCPP reads the process's resident set
 *       size from {@code /proc/self/statm} on every native allocation it tracks, to call
 *       {@code System.gc()} when it exceeds twice the heap limit. ND4J 1.0.0-M2 makes several such
 *       allocations per op (shape buffers, op contexts), so a 36→16→8→2 minibatch paid that
 *       system call dozens of times: switching the check off cut the thread CPU time of one
 *       {@code fit} by about 30% (≈ 950 → 660 µs). What is given up is JavaCPP's emergency GC
 *       when off-heap memory runs away; training and inference keep their arrays in ND4J
 *       workspaces, and an explicit {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes=…} still wins.
 *       JavaCPP reads the property once, when its {@code Pointer} class initialises, so it must
 *       be set before any ND4J use in the JVM: {@link #apply()} sets it if it can and says when it
 *       is too late; executors get it on their command line.</li>
 *   <li>{@code OMP_THREAD_LIMIT=1} for executors (next to {@code OMP_NUM_THREADS=1}). Some
 *       libnd4j ops (softmax among them) start an OpenMP team whatever {@code OMP_NUM_THREADS}
 *       says; its threads then spin-wait and take CPU from the task threads on a busy machine.
 *       The limit is an environment variable read when the native library loads, so it cannot be
 *       set from Java for the running JVM: launch scripts export it ({@code submit/counterweight},
 *       Surefire, the benchmarks).</li>
 * </ul>
 */
public final class Nd4jSettings {
    private static final Logger LOG = LoggerFactory.getLogger(Nd4jSettings.class);

    /** The JavaCPP system property (JavaCPP also accepts it in lower case). */
    public static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
    /** The executor JVM option this class adds. */
    public static final String JVM_OPTION = "-D" + MAX_PHYSICAL_BYTES + "=0";
    private static final String EXECUTOR_OPTIONS = "spark.executor.extraJavaOptions";

    private static boolean applied;

    private Nd4jSettings() {
    }

    /**
     * Applies the JVM-wide settings to this JVM, once; call it before the first ND4J use (entry
     * points do: the CLI, {@link SparkSessions}, the network factory).
     *
     * @return true if JavaCPP's per-allocation memory check is off in this JVM
     */
    public static synchronized boolean apply() {
        if (!applied) {
            applied = true;
            if (System.getProperty(MAX_PHYSICAL_BYTES) == null
                    && System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase(Locale.ROOT)) == null) {
                System.setProperty(MAX_PHYSICAL_BYTES, "0");
            }
            if (Pointer.maxPhysicalBytes() != 0) {
                LOG.info("JavaCPP checks physical memory on every native allocation (maxPhysicalBytes={}): it was "
                        + "initialised before Counterweight's settings or the property is set explicitly; start the JVM "
                        + "with {} for faster DL4J training (docs/training.md)", Pointer.maxPhysicalBytes(), JVM_OPTION);
            }
        }
        return Pointer.maxPhysicalBytes() == 0;
    }

    /**
     * Adds the executor side to a Spark configuration before the context starts: the JavaCPP
     * option to {@code spark.executor.extraJavaOptions} (unless the property is already there)
     * and {@code OMP_NUM_THREADS=1}, {@code OMP_THREAD_LIMIT=1} to the executor environment
     * (unless set).
     */
    public static void configureExecutors(SparkConf conf) {
        String options = conf.get(EXECUTOR_OPTIONS, "");
        if (!options.toLowerCase(Locale.ROOT).contains(MAX_PHYSICAL_BYTES.toLowerCase(Locale.ROOT))) {
            conf.set(EXECUTOR_OPTIONS, (options + " " + JVM_OPTION).trim());
        }
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        conf.setIfMissing("spark.executorEnv.OMP_THREAD_LIMIT", "1");
    }
}
