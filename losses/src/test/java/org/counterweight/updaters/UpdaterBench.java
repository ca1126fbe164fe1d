package org.counterweight.updaters;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Cost of one {@code applyUpdater} call, DL4J's native Adam/AdaGrad vs {@link JavaAdam}/{@link
 * JavaAdaGrad}, on one row-vector block of {@code n} parameters (86,000 ≈ the wide MLP
 * 64→256→256→10, 810 ≈ the FAL paper's 36→16→8→2). Not a test: a benchmark main
 * (BENCHMARKS.md "Training"). Cases run round-robin, each round timed in thread CPU time; the
 * report is the median ns per parameter and the median per-round ratio Java / DL4J.
 *
 * <p>Run (repository root, after {@code ./mvnw -B -o -q -pl losses test-compile}):
 * {@code OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive java -XX:+UseParallelGC
 * --add-opens=java.base/java.nio=ALL-UNNAMED -cp losses/target/test-classes:losses/target/classes:<losses
 * test classpath> org.counterweight.updaters.UpdaterBench [n] [calls per round] [rounds]}.
 */
public final class UpdaterBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private UpdaterBench() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 86_000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : Math.max(200, 40_000_000 / n);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            JavaUpdaterConfig[] java = {new JavaAdam(1e-3), new JavaAdaGrad(0.01)};
            for (JavaUpdaterConfig config : java) {
                IUpdater[] pair = {config.toDl4j(), config};
                GradientUpdater<?>[] updaters = new GradientUpdater<?>[2];
                INDArray[] grads = new INDArray[2];
                INDArray base = Nd4j.rand(type, 1, n).subi(0.5);
                for (int c = 0; c < 2; c++) {
                    updaters[c] = pair[c].instantiate(Nd4j.zeros(type, 1, pair[c].stateSize(n)), true);
                    grads[c] = base.dup();
                }
                double[][] nsPerParam = new double[2][rounds];
                int iteration = 0;
                for (int r = -1; r < rounds; r++) { // round -1: warm-up
                    for (int c = 0; c < 2; c++) {
                        long t0 = THREADS.getCurrentThreadCpuTime();
                        for (int i = 0; i < calls; i++) {
                            updaters[c].applyUpdater(grads[c], iteration + i, 0);
                        }
                        long t1 = THREADS.getCurrentThreadCpuTime();
                        if (r >= 0) {
                            nsPerParam[c][r] = (t1 - t0) / (double) calls / n;
                        }
                        grads[c].assign(base); // keep the gradient's magnitude; outside the timing
                    }
                    iteration += calls;
                }
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = nsPerParam[1][r] / nsPerParam[0][r];
                }
                System.out.printf(Locale.ROOT, "%-7s %-12s n=%d: DL4J %.2f ns/param (%.1f µs/call), Java %.2f ns/param (%.1f µs/call), Java/DL4J %.2f%n",
                        type, config.getClass().getSimpleName(), n, median(nsPerParam[0]), median(nsPerParam[0]) * n / 1e3,
                        median(nsPerParam[1]), median(nsPerParam[1]) * n / 1e3, median(ratio));
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
