package org.counterweight.losses.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A {@link ParamInitializer} for layers whose parameters are a list of matrices laid out one
 * after another in DL4J's flattened parameter row vector. Every matrix is a view into that vector,
 * so whatever the layer writes into it is what the updater, parameter averaging and
 * {@code ModelSerializer} see.
 */
abstract class BlockParamInitializer implements ParamInitializer {

    /** One parameter matrix: its key, shape, and whether it is a weight (for DL4J's regularisation). */
    static final class Block {
        final String key;
        final long rows;
        final long cols;
        final boolean weight;

        Block(String key, long rows, long cols, boolean weight) {
            this.key = key;
            this.rows = rows;
            this.cols = cols;
            this.weight = weight;
        }
    }

    /** The parameter matrices of {@code layer}, in flattened order. */
    abstract List<Block> blocks(Layer layer);

    /** Writes the initial values of parameter {@code key} into {@code view}. */
    abstract void initialise(Layer layer, String key, INDArray view);

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        long n = 0;
        for (Block b : blocks(layer)) {
            n += b.rows * b.cols;
        }
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (Block b : blocks(layer)) {
            keys.add(b.key);
        }
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        List<String> keys = new ArrayList<>();
        for (Block b : blocks(layer)) {
            if (b.weight) {
                keys.add(b.key);
            }
        }
        return keys;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> views = slices(conf, paramsView);
        for (Map.Entry<String, INDArray> e : views.entrySet()) {
            if (initializeParams) {
                initialise(conf.getLayer(), e.getKey(), e.getValue());
            }
            conf.addVariable(e.getKey());
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return slices(conf, gradientView);
    }

    private Map<String, INDArray> slices(NeuralNetConfiguration conf, INDArray flat) {
        long expected = numParams(conf);
        if (flat.length() != expected) {
            throw new IllegalStateException("expected a parameter view of length " + expected + ", got " + flat.length());
        }
        Map<String, INDArray> out = Collections.synchronizedMap(new LinkedHashMap<>());
        long offset = 0;
        for (Block b : blocks(conf.getLayer())) {
            long n = b.rows * b.cols;
            INDArray row = flat.reshape(1, flat.length());
            out.put(b.key, row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset, offset + n))
                    .reshape('c', b.rows, b.cols));
            offset += n;
        }
        return out;
    }
}
