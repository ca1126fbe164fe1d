package org.counterweight.losses.layers;

import java.util.List;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Cosine output head for the margin losses (METHODS §2 "cosine head"; Cao et al. 2019 use this
 * normalised linear layer): z_k = (h / ‖h‖) · (w_k / ‖w_k‖), no bias, so the logits lie in
 * [−1, 1] and the loss's scale s sets their range. Parameter {@code W} (nIn × K) is a weight:
 * the layer's regularisation and updater apply to it.
 */
public class CosineOutputLayer extends ParametricOutputLayer {
    private static final long serialVersionUID = 1L;
    /** Parameter key of the class weight vectors (nIn × K, one column per class). */
    public static final String WEIGHT_KEY = "W";
    /** Norms below this are treated as this (as torch.nn.functional.normalize does). */
    static final double MIN_NORM = 1e-12;

    /** For JSON deserialisation. */
    public CosineOutputLayer() {
    }

    private CosineOutputLayer(Builder builder) {
        super(builder);
        initializeConstraints(builder);
    }

    @Override
    Impl runtime(NeuralNetConfiguration conf, DataType dataType) {
        return new Impl(conf, dataType);
    }

    @Override
    public ParamInitializer initializer() {
        return Params.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long n = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, CosineOutputLayer.class, inputType, out)
                .standardMemory(n, getIUpdater().stateSize(n))
                .workingMemory(0, 0, 0, inputType.arrayElementsPerExample() + out.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS).build();
    }

    /** Builder; give {@code nIn}, {@code nOut} (= K), the loss and the activation. */
    public static class Builder extends BaseOutputLayer.Builder<Builder> {
        public Builder(ILossFunction loss) {
            this.lossFn = loss;
            hasBias(false);
        }

        @Override
        @SuppressWarnings("unchecked")
        public CosineOutputLayer build() {
            return new CosineOutputLayer(this);
        }
    }

    /** W (nIn × K), initialised with the layer's weight init. */
    static final class Params extends BlockParamInitializer {
        static final Params INSTANCE = new Params();

        @Override
        List<Block> blocks(Layer layer) {
            CosineOutputLayer c = (CosineOutputLayer) layer;
            return List.of(new Block(WEIGHT_KEY, c.getNIn(), c.getNOut(), true));
        }

        @Override
        void initialise(Layer layer, String key, INDArray view) {
            CosineOutputLayer c = (CosineOutputLayer) layer;
            c.getWeightInitFn().init(c.getNIn(), c.getNOut(), view.shape(), 'c', view);
        }
    }

    /** Runtime of the cosine head. */
    static final class Impl extends ParametricOutputLayerImpl<CosineOutputLayer> {
        private static final long serialVersionUID = 1L;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        private static INDArray rowNorms(INDArray h) {
            return Transforms.max(h.norm2(true, 1), MIN_NORM, false);
        }

        private static INDArray columnNorms(INDArray w) {
            return Transforms.max(w.norm2(true, 0), MIN_NORM, false);
        }

        @Override
        INDArray scores(INDArray h) {
            INDArray w = getParam(WEIGHT_KEY);
            return h.divColumnVector(rowNorms(h)).mmul(w.divRowVector(columnNorms(w)));
        }

        /**
         * With ĥ = h/‖h‖, ŵ_k = w_k/‖w_k‖ and z = ĥŴ: ∂L/∂ĥ = δŴᵀ, ∂L/∂h = (∂L/∂ĥ − ĥ (ĥ·∂L/∂ĥ)) / ‖h‖,
         * and the same projection for each column: ∂L/∂w_k = (ĥᵀδ_k − ŵ_k (ŵ_k·ĥᵀδ_k)) / ‖w_k‖.
         */
        @Override
        INDArray backpropScores(INDArray h, INDArray delta) {
            INDArray w = getParam(WEIGHT_KEY);
            INDArray hNorm = rowNorms(h);
            INDArray wNorm = columnNorms(w);
            INDArray hHat = h.divColumnVector(hNorm);
            INDArray wHat = w.divRowVector(wNorm);
            INDArray dwHat = hHat.transpose().mmul(delta);
            INDArray dw = dwHat.sub(wHat.mulRowVector(wHat.mul(dwHat).sum(true, 0))).diviRowVector(wNorm);
            gradientViews.get(WEIGHT_KEY).assign(dw);
            INDArray dhHat = delta.mmul(wHat.transpose());
            return dhHat.sub(hHat.mulColumnVector(hHat.mul(dhHat).sum(true, 1))).diviColumnVector(hNorm);
        }
    }
}
