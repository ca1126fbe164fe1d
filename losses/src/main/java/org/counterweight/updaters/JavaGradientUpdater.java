package org.counterweight.updaters;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link GradientUpdater} of every {@link JavaUpdaterConfig}: holds the state arrays (views
 * of DL4J's updater state view, laid out as DL4J's own updater lays them out) and applies the
 * config's {@link JavaUpdaterConfig.Rule} in a Java loop over the off-heap buffers.
 *
 * <p>Why: libnd4j's Adam op costs ~6 ns per parameter in this (generic x86) ND4J build; the loop
 * here about 1 ns (docs/training.md "Speed"). The buffers are copied chunk by chunk into small
 * heap arrays of the network's data type ({@code float[]} or {@code double[]}), updated there (a
 * loop the JIT vectorises) and written back; arithmetic stays in the data type, as libnd4j's does
 * (tested against DL4J's updaters within 1e-6 relative; the measured difference was 0).
 *
 * <p>The loop needs the gradient and every state array dense (element-wise stride 1), of the same
 * data type (float or double) and length, and laid out alike (vectors, or equal shape and
 * ordering), so that buffer position i is the same parameter in all of them. DL4J's
 * {@code UpdaterBlock} always hands over such arrays (row-vector slices of the flattened gradient
 * and state views); anything else goes to DL4J's native updater on the same state arrays
 * ({@link JavaUpdaterConfig#toDl4j()}), so results never depend on which path ran.
 *
 * @param <C> the configuration type
 */
public final class JavaGradientUpdater<C extends JavaUpdaterConfig> implements GradientUpdater<C> {
    private static final Logger LOG = LoggerFactory.getLogger(JavaGradientUpdater.class);
    /** Elements per chunk: gradient + two state chunks of doubles stay within a 32 KiB L1 cache. */
    static final int CHUNK = 1024;

    private final C config;
    private INDArray[] state;
    private GradientUpdater<?> fallback;
    /** Chunk arrays, made on first use for the data type: [0] gradient, [1 + j] state array j. */
    private float[][] floatChunks;
    private double[][] doubleChunks;
    /** The state rows of the chunk arrays ([1..]), as the rule takes them. */
    private float[][] floatStateChunks;
    private double[][] doubleStateChunks;

    JavaGradientUpdater(C config) {
        this.config = config;
    }

    @Override
    public C getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        List<String> keys = config.stateKeys();
        if (stateMap == null || !stateMap.keySet().equals(new java.util.HashSet<>(keys))) {
            throw new IllegalStateException("State map should contain only keys " + keys + " but has keys "
                    + (stateMap == null ? null : stateMap.keySet()));
        }
        INDArray[] arrays = new INDArray[keys.size()];
        for (int j = 0; j < arrays.length; j++) {
            arrays[j] = stateMap.get(keys.get(j));
        }
        use(arrays);
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        List<String> keys = config.stateKeys();
        for (int j = 0; j < keys.size(); j++) {
            out.put(keys.get(j), state == null ? null : state[j]);
        }
        return out;
    }

    /**
     * Splits DL4J's state view into the state arrays, as DL4J's updaters do: equal consecutive
     * parts of the row vector, each reshaped (without copy) to the gradient's shape and order.
     */
    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (!viewArray.isRowVectorOrScalar()) {
            throw new IllegalArgumentException("Invalid input: expect row vector input, got shape "
                    + Arrays.toString(viewArray.shape()));
        }
        if (initialize) {
            viewArray.assign(config.initialState());
        }
        int k = config.stateKeys().size();
        long part = viewArray.length() / k;
        INDArray[] arrays = new INDArray[k];
        for (int j = 0; j < k; j++) {
            INDArray slice = k == 1 ? viewArray
                    : viewArray.get(NDArrayIndex.point(0), NDArrayIndex.interval(j * part, (j + 1) * part));
            arrays[j] = Shape.newShapeNoCopy(slice, gradientShape, gradientOrder == 'f');
            if (arrays[j] == null) {
                throw new IllegalStateException("Could not reshape updater state view part " + j + " to gradient shape "
                        + Arrays.toString(gradientShape));
            }
        }
        use(arrays);
    }

    private void use(INDArray[] arrays) {
        this.state = arrays;
        this.fallback = null;
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (state == null) {
            throw new IllegalStateException("Updater has not been initialized with view state");
        }
        if (!javaLoopApplies(gradient)) {
            nativeUpdater().applyUpdater(gradient, iteration, epoch);
            return;
        }
        JavaUpdaterConfig.Rule rule = config.rule(config.getLearningRate(iteration, epoch), iteration, gradient.dataType());
        INDArray[] arrays = new INDArray[state.length + 1];
        arrays[0] = gradient;
        System.arraycopy(state, 0, arrays, 1, state.length);
        int n = (int) gradient.length();
        if (gradient.dataType() == DataType.FLOAT) {
            if (floatChunks == null) {
                floatChunks = new float[arrays.length][CHUNK];
                floatStateChunks = Arrays.copyOfRange(floatChunks, 1, arrays.length);
            }
            new Chunks<FloatBuffer, float[]>(arrays, a -> a.data().asNioFloat(), floatChunks, floatStateChunks,
                    FloatBuffer::get, FloatBuffer::put, JavaUpdaterConfig.Rule::apply).run(rule, n);
        } else {
            if (doubleChunks == null) {
                doubleChunks = new double[arrays.length][CHUNK];
                doubleStateChunks = Arrays.copyOfRange(doubleChunks, 1, arrays.length);
            }
            new Chunks<DoubleBuffer, double[]>(arrays, a -> a.data().asNioDouble(), doubleChunks, doubleStateChunks,
                    DoubleBuffer::get, DoubleBuffer::put, JavaUpdaterConfig.Rule::apply).run(rule, n);
        }
    }

    /** True when buffer position i is the same parameter in the gradient and every state array. */
    boolean javaLoopApplies(INDArray gradient) {
        DataType type = gradient.dataType();
        if ((type != DataType.FLOAT && type != DataType.DOUBLE) || gradient.length() > Integer.MAX_VALUE || !dense(gradient)) {
            return false;
        }
        for (INDArray s : state) {
            boolean sameLayout = s.length() == 1 || (s.isVector() && gradient.isVector())
                    || (Arrays.equals(s.shape(), gradient.shape()) && s.ordering() == gradient.ordering());
            if (s.dataType() != type || s.length() != gradient.length() || !dense(s) || !sameLayout) {
                return false;
            }
        }
        return true;
    }

    private static boolean dense(INDArray a) {
        return a.length() == 1 || a.elementWiseStride() == 1;
    }

    private GradientUpdater<?> nativeUpdater() {
        if (fallback == null) {
            LOG.debug("{}: gradient or state arrays not dense and alike, using DL4J's native updater", config);
            fallback = config.toDl4j().instantiate(getState(), false);
        }
        return fallback;
    }

    /**
     * The gradient and state arrays' buffers, copied chunk by chunk to and from primitive arrays
     * (bulk copies; the rule's loop then runs on heap arrays, which the JIT vectorises).
     * {@code asNio*()} covers a view's whole underlying allocation, so a view starts at its
     * {@code offset()}. {@code B} is the NIO buffer type, {@code A} the matching primitive array.
     */
    private static final class Chunks<B, A> {
        /** An absolute bulk copy between a buffer and an array ({@code FloatBuffer::get}, …). */
        interface Copy<B, A> {
            void copy(B buffer, int index, A array, int offset, int length);
        }

        /** Applies the rule to the gradient chunk and the state chunks. */
        interface Apply<A> {
            void apply(JavaUpdaterConfig.Rule rule, A gradient, A[] state, int length);
        }

        private final List<B> buffers;
        private final int[] offsets;
        private final A[] chunks;
        private final A[] stateChunks;
        private final Copy<B, A> load;
        private final Copy<B, A> store;
        private final Apply<A> apply;

        Chunks(INDArray[] arrays, java.util.function.Function<INDArray, B> buffer, A[] chunks, A[] stateChunks,
               Copy<B, A> load, Copy<B, A> store, Apply<A> apply) {
            this.buffers = new java.util.ArrayList<>(arrays.length);
            this.offsets = new int[arrays.length];
            for (int j = 0; j < arrays.length; j++) {
                buffers.add(buffer.apply(arrays[j]));
                offsets[j] = (int) arrays[j].offset();
            }
            this.chunks = chunks;
            this.stateChunks = stateChunks;
            this.load = load;
            this.store = store;
            this.apply = apply;
        }

        /** Updates elements [0, n) chunk by chunk. */
        void run(JavaUpdaterConfig.Rule rule, int n) {
            for (int from = 0; from < n; from += CHUNK) {
                int len = Math.min(CHUNK, n - from);
                for (int j = 0; j < offsets.length; j++) {
                    load.copy(buffers.get(j), offsets[j] + from, chunks[j], 0, len);
                }
                apply.apply(rule, chunks[0], stateChunks, len);
                for (int j = 0; j < offsets.length; j++) {
                    store.copy(buffers.get(j), offsets[j] + from, chunks[j], 0, len);
                }
            }
        }
    }
}
