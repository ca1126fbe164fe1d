package org.counterweight.updaters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The Java updaters against DL4J 1.0.0-M2's own {@code Adam}/{@code AdaGrad} (the reference:
 * the same gradients must give the same updates, state and parameters), plus configuration JSON
 * and model files.
 */
class JavaUpdatersTest {
    /** Relative tolerance: float rounding differences accumulated over the steps stay far below it. */
    private static final double REL = 1e-6;
    private static final int STEPS = 25;

    /** Rate 0.01 for 5 iterations, 0.005 until 12, then 0 (Adam then steps by ~ε, as DL4J does). */
    private static ISchedule schedule() {
        return new MapSchedule(ScheduleType.ITERATION, Map.of(0, 0.01, 5, 0.005, 12, 0.0));
    }

    /** Rate by epoch (the tests step 10 iterations per epoch): 0.02, 0.01, then 0. */
    private static ISchedule epochSchedule() {
        return new MapSchedule(ScheduleType.EPOCH, Map.of(0, 0.02, 1, 0.01, 2, 0.0));
    }

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            out.add(Arguments.of(new JavaAdam(0.02, 0.8, 0.99, 1e-6), type));
            out.add(Arguments.of(new JavaAdam(schedule()), type));
            out.add(Arguments.of(new JavaAdaGrad(0.05, 1e-4), type));
            out.add(Arguments.of(new JavaAdaGrad(epochSchedule()), type));
        }
        return out.stream();
    }

    /** A row vector of {@code length} inside a larger buffer, at a non-zero offset, as DL4J's block views are. */
    private static INDArray rowView(DataType type, long length, int offset) {
        INDArray whole = Nd4j.zeros(type, 1, length + offset + 3);
        return whole.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(offset, offset + length));
    }

    /** Gaussian gradients with magnitudes spread over 1e-4..10, some exactly 0. */
    private static double[][] gradients(int n, long seed) {
        Random r = new Random(seed);
        double[][] g = new double[STEPS][n];
        for (double[] step : g) {
            for (int i = 0; i < n; i++) {
                step[i] = i % 97 == 0 ? 0 : r.nextGaussian() * Math.pow(10, -4 + 5 * r.nextDouble());
            }
        }
        return g;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void stepsMatchDl4j(JavaUpdaterConfig config, DataType type) {
        int n = 2 * JavaGradientUpdater.CHUNK + 311; // several chunks, the last one partial
        long stateLength = config.stateSize(n);
        IUpdater dl4j = config.toDl4j();
        assertEquals(dl4j.stateSize(n), stateLength);

        INDArray javaState = rowView(type, stateLength, 5);
        INDArray dl4jState = rowView(type, stateLength, 0);
        GradientUpdater<?> javaUpdater = config.instantiate(javaState, true);
        GradientUpdater<?> dl4jUpdater = dl4j.instantiate(dl4jState, true);
        assertClose(dl4jState, javaState, "initial state");

        INDArray javaGrad = rowView(type, n, 7);
        INDArray dl4jGrad = rowView(type, n, 0);
        assertTrue(((JavaGradientUpdater<?>) javaUpdater).javaLoopApplies(javaGrad), "the Java loop must run here");
        INDArray params = Nd4j.rand(type, 1, n);
        INDArray javaParams = params.dup();
        INDArray dl4jParams = params.dup();
        double[][] g = gradients(n, 11);
        for (int it = 0; it < STEPS; it++) {
            int epoch = it / 10;
            javaGrad.assign(Nd4j.create(g[it], new long[] {1, n}, type));
            dl4jGrad.assign(Nd4j.create(g[it], new long[] {1, n}, type));
            javaUpdater.applyUpdater(javaGrad, it, epoch);
            dl4jUpdater.applyUpdater(dl4jGrad, it, epoch);
            assertClose(dl4jGrad, javaGrad, "update of iteration " + it);
            javaParams.subi(javaGrad);
            dl4jParams.subi(dl4jGrad);
        }
        assertClose(dl4jState, javaState, "state after " + STEPS + " steps");
        assertClose(dl4jParams, javaParams, "parameters after " + STEPS + " steps");
        assertNotEquals(0.0, javaParams.sub(params).norm2Number().doubleValue(), "the parameters must have moved");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void stridedGradientGoesToDl4jAndStillMatches(JavaUpdaterConfig config, DataType type) {
        int n = 300;
        INDArray javaState = rowView(type, config.stateSize(n), 0);
        INDArray dl4jState = rowView(type, config.stateSize(n), 0);
        GradientUpdater<?> javaUpdater = config.instantiate(javaState, true);
        GradientUpdater<?> dl4jUpdater = config.toDl4j().instantiate(dl4jState, true);
        // Every second element of a longer row: element-wise stride 2.
        INDArray strided = Nd4j.zeros(type, 1, 2 * n).get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, 2, 2 * n));
        assertFalse(((JavaGradientUpdater<?>) javaUpdater).javaLoopApplies(strided));
        INDArray dl4jGrad = Nd4j.zeros(type, 1, n);
        double[][] g = gradients(n, 5);
        for (int it = 0; it < 3; it++) {
            strided.assign(Nd4j.create(g[it], new long[] {1, n}, type));
            dl4jGrad.assign(Nd4j.create(g[it], new long[] {1, n}, type));
            javaUpdater.applyUpdater(strided, it, 0);
            dl4jUpdater.applyUpdater(dl4jGrad, it, 0);
            assertClose(dl4jGrad, strided, "update of iteration " + it);
        }
        assertClose(dl4jState, javaState, "state");
    }

    static Stream<Arguments> networks() {
        List<Arguments> out = new ArrayList<>();
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            out.add(Arguments.of(new JavaAdam(0.01), new JavaAdam(0.03, 0.8, 0.99, 1e-7), type));
            out.add(Arguments.of(new JavaAdaGrad(schedule()), new JavaAdaGrad(0.2), type));
        }
        return out.stream();
    }

    /**
     * A whole network (two hidden layers, the biases on a second updater so DL4J forms several
     * updater blocks) trained for a few minibatches: the same parameters and the same updater
     * state view, element by element, as with DL4J's updaters.
     */
    @ParameterizedTest(name = "{0} / biases {1}, {2}")
    @MethodSource("networks")
    void networkTrainsAsWithDl4jUpdaters(JavaUpdaterConfig weights, JavaUpdaterConfig biases, DataType type) {
        MultiLayerNetwork java = net(weights, biases, type);
        MultiLayerNetwork dl4j = net(weights.toDl4j(), biases.toDl4j(), type);
        // DL4J M2's AdaGrad.clone() drops the learning-rate schedule (rate NaN → NaN parameters),
        // and the configuration builder clones the updater into every layer: put DL4J's
        // updaters back on the built layers so that the reference trains with the schedule.
        for (NeuralNetConfiguration layerConf : dl4j.getLayerWiseConfigurations().getConfs()) {
            ((BaseLayer) layerConf.getLayer()).setIUpdater(weights.toDl4j());
            ((BaseLayer) layerConf.getLayer()).setBiasUpdater(biases.toDl4j());
        }
        dl4j.setParams(java.params().dup());
        assertEquals(dl4j.getUpdater().getStateViewArray().length(), java.getUpdater().getStateViewArray().length());
        for (int b = 0; b < 6; b++) {
            DataSet batch = batch(type, 16, b);
            java.fit(batch);
            dl4j.fit(batch);
        }
        assertClose(dl4j.getUpdater().getStateViewArray(), java.getUpdater().getStateViewArray(), "updater state view");
        assertClose(dl4j.params(), java.params(), "parameters");
    }

    @Test
    void configurationJsonRoundTripKeepsTheUpdaters() {
        MultiLayerConfiguration conf = net(new JavaAdam(schedule()), new JavaAdaGrad(0.2, 1e-5), DataType.FLOAT)
                .getLayerWiseConfigurations();
        String json = conf.toJson();
        assertTrue(json.contains(JavaAdam.class.getName()) && json.contains(JavaAdaGrad.class.getName()), json);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back);
        BaseLayer layer = (BaseLayer) back.getConf(0).getLayer();
        assertEquals(new JavaAdam(schedule()), assertInstanceOf(JavaAdam.class, layer.getIUpdater()));
        assertEquals(new JavaAdaGrad(0.2, 1e-5), assertInstanceOf(JavaAdaGrad.class, layer.getBiasUpdater()));
        assertEquals(0.005, layer.getIUpdater().getLearningRate(7, 0), 0.0);
        assertEquals(conf, conf.clone());
    }

    @Test
    void javaSerialisationKeepsTheUpdaters() throws Exception {
        // The Spark trainer ships configurations by Java serialisation as well as by JSON.
        MultiLayerConfiguration conf = net(new JavaAdam(schedule()), new JavaAdaGrad(epochSchedule()), DataType.FLOAT)
                .getLayerWiseConfigurations();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(conf);
        }
        MultiLayerConfiguration back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (MultiLayerConfiguration) in.readObject();
        }
        assertEquals(conf, back);
        BaseLayer layer = (BaseLayer) back.getConf(2).getLayer();
        assertEquals(0.005, layer.getIUpdater().getLearningRate(7, 0), 0.0);
        assertEquals(0.01, layer.getBiasUpdater().getLearningRate(0, 1), 0.0);
    }

    @Test
    void modelFileKeepsUpdaterStateAndTrainingContinuesIdentically() throws Exception {
        MultiLayerNetwork net = net(new JavaAdam(0.01), new JavaAdam(0.01), DataType.FLOAT);
        for (int b = 0; b < 3; b++) {
            net.fit(batch(DataType.FLOAT, 16, b));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertInstanceOf(JavaAdam.class, ((BaseLayer) back.getLayerWiseConfigurations().getConf(1).getLayer()).getIUpdater());
        assertEquals(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        DataSet next = batch(DataType.FLOAT, 16, 3);
        net.fit(next);
        back.fit(next);
        assertEquals(net.params(), back.params());
    }

    /**
     * Guard of a DL4J 1.0.0-M2 workaround (docs/STACK.md, "DL4J-version-specific code"): M2's
     * {@code AdaGrad.clone()} drops the learning-rate schedule, so scheduled {@code adagrad(...)}
     * specs work only with {@link JavaAdaGrad}, and {@link #networkTrainsAsWithDl4jUpdaters} puts
     * DL4J's updaters back on the built layers.
     */
    @Test
    void dl4jAdaGradCloneStillDropsItsSchedule() {
        AdaGrad copy = new AdaGrad(epochSchedule()).clone();
        assertTrue(copy.getLearningRateSchedule() == null && Double.isNaN(copy.getLearningRate(0, 0)),
                "DL4J's AdaGrad.clone() keeps its learning-rate schedule now: revisit the workaround in "
                        + "networkTrainsAsWithDl4jUpdaters and the notes in OptimizerSpec and docs/STACK.md");
    }

    @Test
    void hyperParametersAndDefaultsAreDl4js() {
        assertEquals(new Adam().getLearningRate(), new JavaAdam().getLearningRate());
        assertEquals(new Adam().getBeta1(), new JavaAdam().getBeta1());
        assertEquals(new Adam().getBeta2(), new JavaAdam().getBeta2());
        assertEquals(new Adam().getEpsilon(), new JavaAdam().getEpsilon());
        assertEquals(new AdaGrad().getLearningRate(), new JavaAdaGrad().getLearningRate());
        assertEquals(new AdaGrad().getEpsilon(), new JavaAdaGrad().getEpsilon());
        assertTrue(Double.isNaN(new JavaAdam(schedule()).getLearningRate()));
        assertEquals(new Adam(schedule()), new JavaAdam(schedule()).toDl4j());
        assertEquals(new AdaGrad(0.3, 1e-5), new JavaAdaGrad(0.3, 1e-5).toDl4j());
        assertNotEquals(new JavaAdam(0.01), new JavaAdam(0.02));
        assertNotEquals(new JavaAdam(0.01), new JavaAdaGrad(0.01));
        assertEquals(new JavaAdam(schedule()).hashCode(), new JavaAdam(schedule()).clone().hashCode());
        assertThrows(IllegalArgumentException.class, () -> new JavaAdam(0.01, 1.0, 0.999, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new JavaAdaGrad(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new JavaAdaGrad(0.1, -1));
    }

    private static MultiLayerNetwork net(IUpdater weights, IUpdater biases, DataType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(type).updater(weights)
                .biasUpdater(biases).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(10).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(10).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DataSet batch(DataType type, int rows, long seed) {
        Random r = new Random(100 + seed);
        double[] x = new double[rows * 6];
        double[] y = new double[rows * 3];
        for (int i = 0; i < rows; i++) {
            int c = r.nextInt(3);
            y[i * 3 + c] = 1;
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = r.nextGaussian() + c;
            }
        }
        return new DataSet(Nd4j.create(x, new long[] {rows, 6}, type), Nd4j.create(y, new long[] {rows, 3}, type));
    }

    /**
     * |actual − expected| ≤ REL · max(|expected|, rms(expected)) element-wise: relative to the
     * entry, or to the array's typical magnitude for entries below it (a parameter or moving
     * average that passed near zero carries the absolute rounding error of its larger past values).
     */
    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what);
        double[] e = expected.dup('c').reshape(expected.length()).toDoubleVector();
        double[] a = actual.dup('c').reshape(actual.length()).toDoubleVector();
        double rms = 0;
        for (double v : e) {
            rms += v * v;
        }
        rms = Math.sqrt(rms / Math.max(1, e.length));
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double err = a[i] == e[i] ? 0 : Math.abs(a[i] - e[i]) / Math.max(Math.abs(e[i]), rms);
            if (!(err <= worst)) {
                worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                at = i;
            }
        }
        assertTrue(worst <= REL, what + ": relative error " + worst + " at " + at
                + (at >= 0 ? " (expected " + e[at] + ", got " + a[at] + ")" : ""));
    }
}
