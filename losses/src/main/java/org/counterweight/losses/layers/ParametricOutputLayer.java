package org.counterweight.losses.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The configuration side shared by this package's output layers: DL4J instantiates each as its
 * runtime layer ({@link #runtime}, a {@link ParametricOutputLayerImpl}) holding the parameters laid
 * out by the layer's {@link #initializer()}, the way DL4J's own output layers are instantiated.
 */
public abstract class ParametricOutputLayer extends BaseOutputLayer {
    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation of the subclasses. */
    protected ParametricOutputLayer() {
    }

    /** From a subclass's builder. */
    protected ParametricOutputLayer(BaseOutputLayer.Builder<?> builder) {
        super(builder);
    }

    /** A new runtime layer for {@code conf}; {@link #instantiate} wires it. */
    abstract ParametricOutputLayerImpl<?> runtime(NeuralNetConfiguration conf, DataType dataType);

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView, boolean initializeParams,
            DataType networkDataType) {
        ParametricOutputLayerImpl<?> layer = runtime(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
