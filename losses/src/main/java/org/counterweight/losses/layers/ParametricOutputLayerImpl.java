package org.counterweight.losses.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shared runtime of this package's output layers: the pre-output is a function
 * {@link #scores} of the input h and the layer's parameters (instead of DL4J's hW + b), the loss
 * function turns it into the training signal, and {@link #backpropScores} maps the loss gradient
 * back to the parameters and to h. Inference output is the layer activation of the pre-output.
 */
abstract class ParametricOutputLayerImpl<C extends org.deeplearning4j.nn.conf.layers.BaseOutputLayer>
        extends BaseOutputLayer<C> {
    private static final long serialVersionUID = 1L;

    ParametricOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The pre-output (N×K) for input h (N×nIn). */
    abstract INDArray scores(INDArray h);

    /**
     * Writes the parameter gradients for loss gradient {@code delta} (N×K, w.r.t. the scores)
     * into {@code gradientViews} and returns the gradient with respect to h.
     */
    abstract INDArray backpropScores(INDArray h, INDArray delta);

    /** Called once per training step before the loss gradient is computed. */
    void beforeTrainingStep() {
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        if (input.rank() != 2 || input.size(1) != layerConf().getNIn()) {
            throw new IllegalArgumentException(layerId() + ": expected input [rows, " + layerConf().getNIn()
                    + "], got " + java.util.Arrays.toString(input.shape()));
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, scores(input.castTo(dataType)));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        beforeTrainingStep();
        INDArray preOut = preOutput2d(true, workspaceMgr);
        INDArray delta = layerConf().getLossFn().computeGradient(getLabels2d(workspaceMgr, ArrayType.BP_WORKING_MEM),
                preOut, layerConf().getActivationFn(), maskArray);
        INDArray epsilonNext = backpropScores(input.castTo(dataType), delta);
        Gradient g = new DefaultGradient();
        for (String key : layerConf().initializer().paramKeys(layerConf())) {
            g.gradientForVariable().put(key, gradientViews.get(key));
        }
        epsilonNext = backpropDropOutIfPresent(epsilonNext);
        return new Pair<>(g, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilonNext));
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) {
            return;
        }
        this.gradient = backpropGradient(null, workspaceMgr).getFirst();
        this.score = computeScore(calcRegularizationScore(true), true, workspaceMgr);
    }

    @Override
    protected INDArray getLabels2d(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        return labels;
    }
}
