package org.counterweight.dl4j;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-JVM settings that make ND4J/DL4J train faster, applied to the driver
 * ({@link #ensureConfigured()}) and to executor JVMs ({@link #configureExecutors(SparkConf)}).
 * Measured with {@code org.counterweight.train.FitProbe} (docs/training.md, "Speed"; BENCHMARKS.md
 * "Training").
 *
 * <p>The driver side has one method, called by every entry point before its first ND4J use: the
 * CLI ({@code Main}), {@code SparkSessions} (the Java API's sessions) and {@code NetworkFactory}
 * (API users who build networks without either). It is idempotent, so whichever runs first
 * configures the JVM and the others do nothing.
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
 *       be set before any ND4J use in the JVM: {@link #ensureConfigured()} sets it if it can and says when it
 *       is too late; executors get it on their command line.</li>
 *   <li>{@code OMP_WAIT_POLICY=passive} for executors (next to {@code OMP_NUM_THREADS=1}). Some
 *       libnd4j ops (softmax among them) start an OpenMP team whatever {@code OMP_NUM_THREADS}
 *       says; with the default policy its threads spin-wait and take CPU from the task threads on
 *       a busy machine. {@code OMP_THREAD_LIMIT=1} stopped the team altogether (measured faster
 *       still for inference) but makes oneDNN's convolutions abort on an assertion, so it is no
 *       longer set. An environment variable read when the native library loads, so it cannot be
 *       set from Java for the running JVM: launch scripts export it ({@code submit/counterweight},
 *       Surefire, the benchmarks).</li>
 *   <li>DL4J's oneDNN helpers on ({@code org.eclipse.deeplearning4j.helpers.disable=false}).
 *       DL4J 1.0.0-M2 switches its layer helpers off unless this property says otherwise (and
 *       looks up the native environment under an old name, see {@code org.nd4j.nativeblas.Nd4jCpu});
 *       without them convolution and pooling layers use the built-in im2col path, about 6x
 *       slower on {@code cnn-small} (docs/STACK.md). DL4J reads the property whenever it builds a
 *       layer, so setting it before the first network is enough; an explicit value wins.</li>
 * </ul>
 */
public final class Dl4jRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(Dl4jRuntime.class);

    /** The JavaCPP system property (JavaCPP also accepts it in lower case). */
    public static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
    /** DL4J's switch for its cuDNN/oneDNN layer helpers (default "true" in 1.0.0-M2). */
    public static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";
    /** The OpenMP variable under which oneDNN aborts (docs/STACK.md). */
    static final String OMP_THREAD_LIMIT = "OMP_THREAD_LIMIT";
    private static final String EXECUTOR_OPTIONS = "spark.executor.extraJavaOptions";

    private static boolean applied;

    private Dl4jRuntime() {
    }

    /**
     * Applies the JVM-wide settings to this JVM the first time it is called; later calls only
     * report. Call it before the first ND4J use (the entry points named above do).
     *
     * @return true if JavaCPP's per-allocation memory check is off in this JVM
     */
    public static synchronized boolean ensureConfigured() {
        if (!applied) {
            applied = true;
            String threadLimit = System.getenv(OMP_THREAD_LIMIT);
            properties(threadLimit).forEach((name, value) -> {
                if (System.getProperty(name) == null && System.getProperty(name.toLowerCase(Locale.ROOT)) == null) {
                    System.setProperty(name, value);
                }
            });
            if (isSet(threadLimit)) {
                // libnd4j's own pooling and convolution ops call oneDNN too: switch it off for the whole JVM.
                Nd4j.getEnvironment().allowHelpers(false);
                LOG.warn("{}={} is set: oneDNN aborts under an OpenMP thread limit, so it is off and convolution and "
                        + "pooling layers use DL4J's built-in path (about 6x slower on cnn-small); unset it (docs/STACK.md)",
                        OMP_THREAD_LIMIT, threadLimit);
            }
            if (Pointer.maxPhysicalBytes() != 0) {
                LOG.info("JavaCPP checks physical memory on every native allocation (maxPhysicalBytes={}): it was "
                        + "initialised before Counterweight's settings or the property is set explicitly; start the JVM "
                        + "with -D{}=0 for faster DL4J training (docs/training.md)", Pointer.maxPhysicalBytes(), MAX_PHYSICAL_BYTES);
            }
        }
        return Pointer.maxPhysicalBytes() == 0;
    }

    /**
     * Adds the executor side to a Spark configuration before the context starts: each of
     * {@link #properties} as a {@code -D} option of {@code spark.executor.extraJavaOptions} (unless
     * that property is already there) and {@code OMP_NUM_THREADS=1}, {@code OMP_WAIT_POLICY=passive}
     * to the executor environment (unless set).
     */
    public static void configureExecutors(SparkConf conf) {
        String options = conf.get(EXECUTOR_OPTIONS, "");
        String threadLimit = conf.get("spark.executorEnv." + OMP_THREAD_LIMIT, null);
        if (isSet(threadLimit)) {
            LOG.warn("spark.executorEnv.{}={}: oneDNN aborts executors that run convolutional models under an OpenMP "
                    + "thread limit; unset it (docs/STACK.md)", OMP_THREAD_LIMIT, threadLimit);
        }
        for (Map.Entry<String, String> p : properties(threadLimit).entrySet()) {
            if (!options.toLowerCase(Locale.ROOT).contains("-d" + p.getKey().toLowerCase(Locale.ROOT) + "=")) {
                options = (options + " -D" + p.getKey() + "=" + p.getValue()).trim();
            }
        }
        conf.set(EXECUTOR_OPTIONS, options);
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "passive");
    }

    /**
     * The system properties, with values, this class sets in a JVM (unless set already) whose
     * {@code OMP_THREAD_LIMIT} is {@code threadLimit} (null: not set). DL4J's helpers stay off
     * under a thread limit: oneDNN would abort the JVM there.
     */
    static Map<String, String> properties(String threadLimit) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(MAX_PHYSICAL_BYTES, "0");
        map.put(HELPERS_DISABLE, isSet(threadLimit) ? "true" : "false");
        return map;
    }

    private static boolean isSet(String threadLimit) {
        return threadLimit != null && !threadLimit.isBlank();
    }
}
