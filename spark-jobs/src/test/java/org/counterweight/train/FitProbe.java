package org.counterweight.train;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.counterweight.dl4j.Dl4jRuntime;
import org.counterweight.updaters.OptimizerSpec;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Where the time of one DL4J {@code MultiLayerNetwork.fit} minibatch goes, and what ND4J/DL4J
 * knobs change it (BENCHMARKS.md "Training", docs/training.md). Not a test: a probe main.
 *
 * <p>Every case runs {@code iters} minibatches (64 rows, cycling over 157 fixed batches, like
 * {@link TrainingBenchmark} with 10,000 rows) per round; cases are interleaved round-robin so
 * a load change on the shared machine hits them all, and each round's time is reported relative
 * to the {@code fit} baseline of the same round (median over rounds). Times are µs per
 * minibatch, wall and CPU time of the calling thread (with {@code OMP_NUM_THREADS=1} ND4J runs
 * its native ops on the calling thread, so thread CPU time is the whole cost and is much less
 * sensitive to the other processes on the machine than wall time).
 *
 * <p>Run: {@code OMP_NUM_THREADS=1 java -cp <test classpath> org.counterweight.train.FitProbe
 * small|wide|cnn [iters] [rounds] [case ...]} (no cases = all; {@code cnn} is {@code cnn-small} on
 * 28×28 inputs).
 */
public final class FitProbe {
    private static final int BATCH = 64;
    private static final int BATCHES = 157;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final int DEFAULT_THREADS = Nd4j.getEnvironment().maxThreads();
    private static final boolean DEFAULT_GC = Nd4j.getMemoryManager().isPeriodicGcActive();
    private static final OpExecutioner.ProfilingMode DEFAULT_PROFILING = Nd4j.getExecutioner().getProfilingMode();

    private FitProbe() {
    }

    /** The rows of {@code batches} as one row table (what {@code shuffle=epoch} deals from). */
    private static RowTable table(List<DataSet> batches, int d, int k) {
        int n = batches.size() * BATCH;
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int b = 0; b < batches.size(); b++) {
            float[] bx = batches.get(b).getFeatures().data().asFloat();
            System.arraycopy(bx, 0, x, b * BATCH * d, bx.length);
            INDArray labels = batches.get(b).getLabels().argMax(1);
            for (int i = 0; i < BATCH; i++) {
                y[b * BATCH + i] = labels.getInt(i);
            }
        }
        return new RowTable(x, y, d, k);
    }

    /** One timed case: a setup returning the per-minibatch action. */
    private interface Case {
        Step prepare();
    }

    private interface Step {
        void run(int i);

        /** Called before each timed (or warm-up) block of this case: global switches on. */
        default void enter() {
        }

        /** Called after each block: global switches back to their defaults. */
        default void exit() {
        }
    }

    public static void main(String[] args) {
        Dl4jRuntime.ensureConfigured(); // the pipeline's per-JVM settings, as the CLI applies them
        String which = args.length > 0 ? args[0] : "small";
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        boolean cnn = which.equals("cnn");
        int d = cnn ? 784 : which.equals("wide") ? 64 : 36;
        int[] hidden = which.equals("wide") ? new int[] {256, 256} : new int[] {16, 8};
        int k = which.equals("small") ? 2 : 10;
        String model = cnn ? "cnn-small" : "mlp(hidden=" + hidden[0] + "," + hidden[1] + ")";
        List<DataSet> f32 = batches(d, k, DataType.FLOAT);
        List<DataSet> f64 = batches(d, k, DataType.DOUBLE);

        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("fit", () -> fit(net(model, d, k, c -> { }), f32));
        cases.put("fit(x,y)", () -> {
            MultiLayerNetwork net = net(model, d, k, c -> { });
            return i -> {
                DataSet ds = f32.get(i % BATCHES);
                net.fit(ds.getFeatures(), ds.getLabels());
            };
        });
        cases.put("gradient+score", () -> {
            MultiLayerNetwork net = net(model, d, k, c -> { });
            return i -> {
                DataSet ds = f32.get(i % BATCHES);
                net.setInput(ds.getFeatures());
                net.setLabels(ds.getLabels());
                net.computeGradientAndScore();
            };
        });
        cases.put("output(train=false)", () -> {
            MultiLayerNetwork net = net(model, d, k, c -> { });
            return i -> net.output(f32.get(i % BATCHES).getFeatures(), false);
        });
        cases.put("score(ds)", () -> {
            MultiLayerNetwork net = net(model, d, k, c -> { });
            return i -> net.score(f32.get(i % BATCHES), false);
        });
        cases.put("gemms only", () -> gemms(d, hidden, k));
        cases.put("tiny op x64", () -> {
            INDArray a = Nd4j.rand(DataType.FLOAT, BATCH, 16);
            return i -> {
                for (int r = 0; r < 64; r++) {
                    a.muli(1.0f);
                }
            };
        });
        cases.put("softmax x16", () -> {
            INDArray a = Nd4j.rand(DataType.FLOAT, BATCH, k);
            return i -> {
                for (int r = 0; r < 16; r++) {
                    org.nd4j.linalg.ops.transforms.Transforms.softmax(a, true);
                }
            };
        });
        cases.put("softmax x16, 1 thread", () -> withGlobal(cases.get("softmax x16").prepare(),
                () -> Nd4j.getEnvironment().setMaxThreads(1), () -> Nd4j.getEnvironment().setMaxThreads(DEFAULT_THREADS)));
        cases.put("fit, 1 thread", () -> withGlobal(fit(net(model, d, k, c -> { }), f32),
                () -> Nd4j.getEnvironment().setMaxThreads(1), () -> Nd4j.getEnvironment().setMaxThreads(DEFAULT_THREADS)));
        cases.put("loss ce", () -> loss(new org.counterweight.losses.SoftmaxLoss(), f32));
        cases.put("loss mcxent", () -> loss(new org.nd4j.linalg.lossfunctions.impl.LossMCXENT(), f32));
        cases.put("DataSet from float[]", () -> {
            float[] x = new float[BATCH * d];
            float[] y = new float[BATCH * k];
            return i -> new DataSet(Nd4j.create(x, new long[] {BATCH, d}), Nd4j.create(y, new long[] {BATCH, k}));
        });
        cases.put("fit, dealt", () -> { // shuffle=epoch: every minibatch built from the row table by a deal
            MultiLayerNetwork net = net(model, d, k, c -> { });
            RowTable table = table(f32, d, k);
            EpochDeal deal = EpochDeal.natural(table.rows(), BATCH, 1, 0);
            return i -> net.fit(table.minibatch(deal.minibatch(i % BATCHES), null));
        });
        cases.put("mcxent head", () -> fit(net(model, d, k, FitProbe::mcxent), f32));
        cases.put("dl4j native adam", () -> fit(net(model, d, k, FitProbe::nativeUpdaters), f32));
        cases.put("double", () -> fit(net(model, d, k, c -> c.setDataType(DataType.DOUBLE)), f64));
        cases.put("ws none", () -> fit(net(model, d, k, c -> {
            c.setTrainingWorkspaceMode(WorkspaceMode.NONE);
            c.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        }), f32));
        cases.put("cache device", () -> fit(net(model, d, k, c -> c.setCacheMode(CacheMode.DEVICE)), f32));
        cases.put("built-in conv", () -> fit(builtInConvolutions(() -> net(model, d, k, c -> { })), f32));
        cases.put("helpers off", () -> withGlobal(fit(net(model, d, k, c -> { }), f32),
                () -> Nd4j.getEnvironment().allowHelpers(false), () -> Nd4j.getEnvironment().allowHelpers(true)));
        cases.put("profiling off", () -> withGlobal(fit(net(model, d, k, c -> { }), f32),
                () -> Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED),
                () -> Nd4j.getExecutioner().setProfilingMode(DEFAULT_PROFILING)));
        cases.put("tiny op x64, prof off", () -> withGlobal(cases.get("tiny op x64").prepare(),
                () -> Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED),
                () -> Nd4j.getExecutioner().setProfilingMode(DEFAULT_PROFILING)));
        cases.put("periodic gc off", () -> withGlobal(fit(net(model, d, k, c -> { }), f32),
                () -> Nd4j.getMemoryManager().togglePeriodicGc(false), () -> Nd4j.getMemoryManager().togglePeriodicGc(DEFAULT_GC)));

        List<String> chosen = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : new ArrayList<>(cases.keySet());
        if (!chosen.contains("fit")) {
            chosen = new ArrayList<>(chosen);
            chosen.add(0, "fit");
        }
        System.out.printf(Locale.ROOT, "%s %s batch=%d iters=%d rounds=%d OMP_NUM_THREADS=%s helpers=%s profiling=%s periodicGc=%s maxThreads=%d maxMasterThreads=%d maxPhysicalBytes=%d%n",
                which, model, BATCH, iters, rounds, System.getenv("OMP_NUM_THREADS"), Nd4j.getEnvironment().helpersAllowed(),
                Nd4j.getExecutioner().getProfilingMode(), Nd4j.getMemoryManager().isPeriodicGcActive(),
                DEFAULT_THREADS, Nd4j.getEnvironment().maxMasterThreads(), org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
        Map<String, Step> steps = new LinkedHashMap<>();
        for (String c : chosen) {
            Case cs = cases.get(c);
            if (cs == null) {
                throw new IllegalArgumentException("unknown case " + c + ", known: " + cases.keySet());
            }
            Step s = cs.prepare();
            s.enter();
            for (int i = 0; i < iters; i++) { // warm-up: JIT, workspaces
                s.run(i);
            }
            s.exit();
            steps.put(c, s);
        }
        Map<String, double[][]> res = new LinkedHashMap<>();
        for (String c : chosen) {
            res.put(c, new double[4][rounds]);
        }
        Map<String, Long> threadTicks0 = threadTicks();
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Step> e : steps.entrySet()) {
                Step s = e.getValue();
                s.enter();
                long a0 = THREADS.getCurrentThreadAllocatedBytes();
                long p0 = PROCESS.getProcessCpuTime();
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (int i = 0; i < iters; i++) {
                    s.run(i);
                }
                res.get(e.getKey())[0][r] = (System.nanoTime() - t0) / 1e3 / iters;
                res.get(e.getKey())[1][r] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / iters;
                res.get(e.getKey())[2][r] = (PROCESS.getProcessCpuTime() - p0) / 1e3 / iters;
                res.get(e.getKey())[3][r] = (THREADS.getCurrentThreadAllocatedBytes() - a0) / 1024.0 / iters;
                s.exit();
            }
        }
        Map<String, Long> threadTicks1 = threadTicks();
        StringBuilder tl = new StringBuilder("CPU ticks (1/100 s) per native thread during the timed rounds:");
        threadTicks1.forEach((t, v) -> {
            long dv = v - threadTicks0.getOrDefault(t, 0L);
            if (dv > 0) {
                tl.append(' ').append(t).append('=').append(dv);
            }
        });
        System.out.println(tl);
        double[][] base = res.get("fit");
        System.out.printf(Locale.ROOT, "%-22s %10s %10s %10s %9s %9s %9s %12s %12s%n", "case", "wall µs", "cpu µs", "proc cpu µs", "KiB alloc",
                "wall/fit", "cpu/fit", "ex/s (cpu)", "ex/s (wall)");
        for (Map.Entry<String, double[][]> e : res.entrySet()) {
            double[] wr = new double[rounds];
            double[] cr = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                wr[r] = e.getValue()[0][r] / base[0][r];
                cr[r] = e.getValue()[1][r] / base[1][r];
            }
            double cpu = median(e.getValue()[1]);
            double wall = median(e.getValue()[0]);
            System.out.printf(Locale.ROOT, "%-22s %10.1f %10.1f %10.1f %9.1f %9.2f %9.2f %12.0f %12.0f%n", e.getKey(), wall,
                    cpu, median(e.getValue()[2]), median(e.getValue()[3]), median(wr), median(cr), BATCH / cpu * 1e6, BATCH / wall * 1e6);
        }
    }

    /** utime + stime per thread of this process from /proc (Linux), keyed "tid:name". */
    private static Map<String, Long> threadTicks() {
        Map<String, Long> out = new java.util.TreeMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return out;
        }
        for (java.io.File t : tasks) {
            try {
                String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(' ', '_');
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.put(t.getName() + ":" + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (java.io.IOException | RuntimeException ignored) {
                // the thread ended between listing and reading
            }
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static Step withGlobal(Step s, Runnable on, Runnable off) {
        return new Step() {
            @Override
            public void run(int i) {
                s.run(i);
            }

            @Override
            public void enter() {
                on.run();
            }

            @Override
            public void exit() {
                off.run();
            }
        };
    }

    /** The loss alone, as one fit step calls it: score, then gradient, on fixed logits. */
    private static Step loss(org.nd4j.linalg.lossfunctions.ILossFunction loss, List<DataSet> data) {
        List<INDArray> logits = new ArrayList<>();
        for (DataSet ds : data) {
            logits.add(Nd4j.rand(DataType.FLOAT, ds.getLabels().shape()));
        }
        org.nd4j.linalg.activations.IActivation softmax = Activation.SOFTMAX.getActivationFunction();
        return i -> {
            INDArray y = data.get(i % BATCHES).getLabels();
            INDArray z = logits.get(i % BATCHES);
            loss.computeScore(y, z, softmax, null, false);
            loss.computeGradient(y, z, softmax, null);
        };
    }

    private static Step fit(MultiLayerNetwork net, List<DataSet> data) {
        return i -> net.fit(data.get(i % BATCHES));
    }

    private static MultiLayerNetwork net(String model, int d, int k, java.util.function.Consumer<MultiLayerConfiguration> tweak) {
        long[] counts = new long[k];
        Arrays.fill(counts, 1000);
        MultiLayerConfiguration conf = NetworkFactory.build(model, d, k, LossHeads.create("ce", counts, 3),
                OptimizerSpec.parse("adam(lr=0.001)"), 3, 1);
        tweak.accept(conf);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A network built with DL4J's layer helpers disabled: convolutions through im2col instead of oneDNN. */
    static MultiLayerNetwork builtInConvolutions(Supplier<MultiLayerNetwork> build) {
        String before = System.setProperty(Dl4jRuntime.HELPERS_DISABLE, "true");
        try {
            return build.get();
        } finally {
            System.setProperty(Dl4jRuntime.HELPERS_DISABLE, before == null ? "false" : before);
        }
    }

    /** DL4J's own softmax + multi-class cross-entropy head in place of Counterweight's {@code ce}. */
    private static void mcxent(MultiLayerConfiguration conf) {
        int last = conf.getConfs().size() - 1;
        OutputLayer old = (OutputLayer) conf.getConf(last).getLayer();
        OutputLayer head = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(old.getNIn()).nOut(old.getNOut())
                .activation(Activation.SOFTMAX).build();
        head.setIUpdater(old.getIUpdater());
        head.setBiasUpdater(old.getBiasUpdater());
        head.setWeightInitFn(old.getWeightInitFn());
        head.setLayerName(old.getLayerName());
        conf.getConf(last).setLayer(head);
    }

    /** DL4J's own (libnd4j) updaters in place of the Java ones {@link OptimizerSpec} builds. */
    private static void nativeUpdaters(MultiLayerConfiguration conf) {
        for (org.deeplearning4j.nn.conf.NeuralNetConfiguration c : conf.getConfs()) {
            if (c.getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer) {
                org.deeplearning4j.nn.conf.layers.BaseLayer l = (org.deeplearning4j.nn.conf.layers.BaseLayer) c.getLayer();
                l.setIUpdater(((org.counterweight.updaters.JavaUpdaterConfig) l.getIUpdater()).toDl4j());
                if (l.getBiasUpdater() != null) {
                    l.setBiasUpdater(((org.counterweight.updaters.JavaUpdaterConfig) l.getBiasUpdater()).toDl4j());
                }
            }
        }
    }

    /** The BLAS floor: the same matrix products as one forward + backward pass, nothing else. */
    private static Step gemms(int d, int[] hidden, int k) {
        int[] widths = {d, hidden[0], hidden[1], k};
        List<INDArray[]> ops = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, widths[l]);
            INDArray w = Nd4j.rand(DataType.FLOAT, widths[l], widths[l + 1]);
            INDArray z = Nd4j.create(DataType.FLOAT, BATCH, widths[l + 1]);
            INDArray dw = Nd4j.create(DataType.FLOAT, widths[l], widths[l + 1]);
            INDArray dx = Nd4j.create(DataType.FLOAT, BATCH, widths[l]);
            ops.add(new INDArray[] {x, w, z, dw, dx});
        }
        return i -> {
            for (INDArray[] o : ops) {
                Nd4j.gemm(o[0], o[1], o[2], false, false, 1.0, 0.0); // z = x W
                Nd4j.gemm(o[0], o[2], o[3], true, false, 1.0, 0.0); // dW = xᵀ δ
                Nd4j.gemm(o[2], o[1], o[4], false, true, 1.0, 0.0); // dx = δ Wᵀ
            }
        };
    }

    private static List<DataSet> batches(int d, int k, DataType type) {
        Random rnd = new Random(2);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            double[] x = new double[BATCH * d];
            double[] y = new double[BATCH * k];
            for (int r = 0; r < BATCH; r++) {
                int c = rnd.nextInt(k);
                y[r * k + c] = 1;
                for (int j = 0; j < d; j++) {
                    x[r * d + j] = rnd.nextGaussian() + c;
                }
            }
            out.add(new DataSet(Nd4j.create(x, new long[] {BATCH, d}, type), Nd4j.create(y, new long[] {BATCH, k}, type)));
        }
        return out;
    }
}
