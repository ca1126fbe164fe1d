package org.counterweight.losses.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.counterweight.losses.AnchorLoss;
import org.counterweight.losses.Losses;
import org.counterweight.losses.OutputLayers;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Micro-benchmark: forward + backward of each loss per minibatch (4096 rows, K = 2, 10, 100,
 * float32 as DL4J's default; standard-normal logits, cosine-range logits in [−1, 1] for ldam/elm/mm)
 * relative to DL4J's {@code LossMCXENT} with softmax measured in the
 * same run, interleaved round by round (ratios are taken within each round) and timed on thread CPU
 * time, so the load of a shared machine affects all alike. "Forward + backward" is
 * what a network does per training step: {@code computeGradient} then {@code computeScore}. A
 * second table times whole output layers (input width 64: forward, loss, backward to the input)
 * against a dense {@code OutputLayer} with {@code LossMCXENT}.
 *
 * <p>Run (repository root; test sources, so it stays out of the product jar):
 * {@code tools/bench/run-main.sh losses org.counterweight.losses.bench.LossBench [rows] [rounds]}.
 * Prints Markdown tables (median time per minibatch and ratio to the baseline).
 */
public final class LossBench {
    private static final String BASELINE = "LossMCXENT (baseline)";
    private static final List<String> LOSS_SPECS = List.of("ce", "weighted-ce", "focal", "cb(base=focal)",
            "cb(base=sigmoid)", "ldam", "elm", "mm", "balanced-softmax", "logit-adjusted", "fnr-weighted-ce");
    private static final List<String> LAYER_SPECS = List.of("ce", "ldam", "fal", "faml");
    private static final int LAYER_IN = 64;

    private LossBench() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        int[] classes = {2, 10, 100};
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        System.out.printf(Locale.ROOT, "rows=%d rounds=%d OMP_NUM_THREADS=%s%n%n", rows, rounds,
                System.getenv("OMP_NUM_THREADS"));
        System.out.println("### Losses: computeGradient + computeScore per minibatch (median CPU ms, median ratio to LossMCXENT)\n");
        printHeader(classes);
        Map<String, double[][]> lossTimes = new LinkedHashMap<>();
        for (int c = 0; c < classes.length; c++) {
            benchLosses(classes[c], rows, rounds, c, classes.length, lossTimes);
        }
        printRows(lossTimes, classes.length);
        System.out.println("\n### Output layers: forward + loss + backward per minibatch, input width " + LAYER_IN
                + " (median CPU ms, median ratio to dense OutputLayer + LossMCXENT)\n");
        printHeader(classes);
        Map<String, double[][]> layerTimes = new LinkedHashMap<>();
        for (int c = 0; c < classes.length; c++) {
            benchLayers(classes[c], rows, rounds, c, classes.length, layerTimes);
        }
        printRows(layerTimes, classes.length);
    }

    /** A geometric long-tailed profile with imbalance ratio 100, as in Cui et al. 2019. */
    static long[] profile(int k) {
        long[] counts = new long[k];
        for (int i = 0; i < k; i++) {
            counts[i] = Math.max(1, Math.round(5000 * Math.pow(0.01, (double) i / (k - 1))));
        }
        return counts;
    }

    static INDArray oneHot(int rows, int k, Random r) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, k);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, r.nextInt(k), 1f);
        }
        return y;
    }

    private interface Step {
        void run();
    }

    private static void benchLosses(int k, int rows, int rounds, int column, int columns, Map<String, double[][]> out) {
        Random r = new Random(k);
        long[] counts = profile(k);
        INDArray labels = oneHot(rows, k, r);
        Nd4j.getRandom().setSeed(k);
        INDArray logits = Nd4j.randn(DataType.FLOAT, rows, k);
        // The margin losses get cosine-head logits in [−1, 1], what their default head emits.
        INDArray cosine = Nd4j.rand(DataType.FLOAT, rows, k).muli(2).subi(1);
        IActivation softmax = new ActivationSoftmax();
        Map<String, Step> steps = new LinkedHashMap<>();
        steps.put(BASELINE, lossStep(new LossMCXENT(), labels, logits, softmax));
        for (String spec : LOSS_SPECS) {
            boolean margin = spec.equals("ldam") || spec.equals("elm") || spec.equals("mm");
            steps.put(spec, lossStep(Losses.create(spec, counts), labels, margin ? cosine : logits, softmax));
        }
        steps.put("fal/faml loss (AnchorLoss)", lossStep(new AnchorLoss(null, 2, 1, 0.1, AnchorLoss.Pull.CLASS_MEAN), labels, logits, softmax));
        time(steps, rounds, 5, column, columns, out);
    }

    private static Step lossStep(ILossFunction loss, INDArray labels, INDArray logits, IActivation act) {
        return () -> {
            loss.computeGradient(labels, logits, act, null);
            loss.computeScore(labels, logits, act, null, false);
        };
    }

    private static void benchLayers(int k, int rows, int rounds, int column, int columns, Map<String, double[][]> out) {
        Random r = new Random(100 + k);
        long[] counts = profile(k);
        INDArray labels = oneHot(rows, k, r);
        Nd4j.getRandom().setSeed(k);
        INDArray input = Nd4j.randn(DataType.FLOAT, rows, LAYER_IN);
        Map<String, Step> steps = new LinkedHashMap<>();
        steps.put("dense OutputLayer + LossMCXENT (baseline)", layerStep(new OutputLayer.Builder(new LossMCXENT())
                .nIn(LAYER_IN).nOut(k).activation(new ActivationSoftmax()).build(), input, labels));
        for (String spec : LAYER_SPECS) {
            BaseOutputLayer layer = OutputLayers.create(spec, LAYER_IN, counts);
            steps.put(spec + " (" + layer.getClass().getSimpleName() + ")", layerStep(layer, input, labels));
        }
        time(steps, rounds, 3, column, columns, out);
    }

    private static Step layerStep(BaseOutputLayer layer, INDArray input, INDArray labels) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new NoOp()).list().layer(layer).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return () -> net.calculateGradients(input, labels, null, null);
    }

    /**
     * Round-robin timing on this thread's CPU time (with OMP_NUM_THREADS=1 ND4J runs its native ops
     * on the calling thread), so time spent waiting for a core on a shared machine is not counted.
     * out[name][column] = {median ms per minibatch, median over rounds of the ratio to the first
     * step in the same round}.
     */
    private static void time(Map<String, Step> steps, int rounds, int itersPerRound, int column, int columns,
                             Map<String, double[][]> out) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (Step s : steps.values()) {
            for (int i = 0; i < 3 * itersPerRound; i++) {
                s.run();
            }
        }
        List<String> names = new ArrayList<>(steps.keySet());
        double[][] ms = new double[names.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int s = 0; s < names.size(); s++) {
                Step step = steps.get(names.get(s));
                long start = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < itersPerRound; i++) {
                    step.run();
                }
                ms[s][round] = (cpu.getCurrentThreadCpuTime() - start) / 1e6 / itersPerRound;
            }
        }
        for (int s = 0; s < names.size(); s++) {
            double[] ratio = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                ratio[round] = ms[s][round] / ms[0][round];
            }
            out.computeIfAbsent(names.get(s), n -> new double[columns][])[column] =
                    new double[] {median(ms[s]), median(ratio)};
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void printHeader(int[] classes) {
        StringBuilder h = new StringBuilder("| loss |");
        StringBuilder sep = new StringBuilder("| --- |");
        for (int k : classes) {
            h.append(" K=").append(k).append(" ms | ratio |");
            sep.append(" ---: | ---: |");
        }
        System.out.println(h);
        System.out.println(sep);
    }

    private static void printRows(Map<String, double[][]> times, int columns) {
        for (Map.Entry<String, double[][]> e : times.entrySet()) {
            StringBuilder line = new StringBuilder("| ").append(e.getKey()).append(" |");
            for (int c = 0; c < columns; c++) {
                double[] t = e.getValue()[c];
                line.append(String.format(Locale.ROOT, " %.3f | %.2f |", t[0], t[1]));
            }
            System.out.println(line);
        }
    }
}
