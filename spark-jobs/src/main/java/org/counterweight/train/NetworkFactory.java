package org.counterweight.train;

import java.util.List;
import org.counterweight.dl4j.Dl4jRuntime;
import org.counterweight.losses.layers.BilateralBranchLayer;
import org.counterweight.spec.Spec;
import org.counterweight.spec.SpecException;
import org.counterweight.updaters.OptimizerSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds the DL4J network configuration from a model spec, the loss head and the optimizer.
 *
 * <ul>
 *   <li>{@code mlp(hidden=16,8,activation=relu,dropout=0)}: fully connected hidden layers
 *       (default 16, 8: the FAL paper's tabular network, METHODS §3), then the head.</li>
 *   <li>{@code cnn-small(filters=16,32,dense=64,activation=relu,dropout=0,height=28,width=28,channels=1)}:
 *       per filter count a 5×5 convolution (same padding) and a 2×2 max-pool, then one dense
 *       layer, then the head; input is the flattened image (row-major, as IDX files store it).</li>
 * </ul>
 * The last layer is always the head from {@link LossHead#outputLayer}; two-stage methods rely on
 * that (METHODS §4). For BBN ({@link LossHead#bilateral}) the last hidden dense layer becomes a
 * {@link BilateralBranchLayer}: two copies of it (the conventional and the re-balancing branch,
 * each of the layer's width, activation, initialisation and dropout) under the head, which then
 * reads both branches (Zhou et al. 2020 duplicate the last residual block; METHODS §4).
 */
public final class NetworkFactory {
    private static final List<String> KNOWN = List.of("mlp", "cnn-small");
    private static final String[] ACTIVATIONS = {"relu", "tanh", "sigmoid", "leakyrelu", "elu"};

    static {
        // Networks are built before most ND4J use; for API users who bypass the CLI and SparkSessions.
        Dl4jRuntime.ensureConfigured();
    }


    private NetworkFactory() {
    }

    /**
     * The network configuration.
     *
     * @param nIn      number of input features
     * @param nClasses number of classes K
     * @param epochs   planned epochs (for the learning-rate schedule)
     */
    public static MultiLayerConfiguration build(String modelSpec, int nIn, int nClasses, LossHead head,
                                                OptimizerSpec optimizer, int epochs, long seed) {
        Spec s = Spec.parse(modelSpec);
        if (!KNOWN.contains(s.name())) {
            throw s.unknownName("model", KNOWN);
        }
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(optimizer.updater(epochs));
        if (optimizer.weightDecay() > 0) {
            base.weightDecay(optimizer.weightDecay());
        }
        NeuralNetConfiguration.ListBuilder list;
        if (s.name().equals("mlp")) {
            s.requireOnly("hidden", "activation", "dropout");
            int[] hidden = s.getIntList("hidden", new int[] {16, 8});
            Activation act = activation(s);
            double dropout = dropout(s);
            list = base.list();
            int in = nIn;
            for (int i = 0; i < hidden.length; i++) {
                boolean branches = head.bilateral() && i == hidden.length - 1;
                list.layer(i, hidden(in, hidden[i], act, dropout, branches));
                in = branches ? 2 * hidden[i] : hidden[i];
            }
            list.layer(hidden.length, head.outputLayer(in, nClasses));
            list.setInputType(InputType.feedForward(nIn));
        } else {
            s.requireOnly("filters", "dense", "activation", "dropout", "height", "width", "channels");
            int[] filters = s.getIntList("filters", new int[] {16, 32});
            int dense = s.getInt("dense", 64, 1, 1 << 20);
            int h = height(s);
            int w = width(s);
            int c = channels(s);
            Activation act = activation(s);
            double dropout = dropout(s);
            if ((long) h * w * c != nIn) {
                throw new SpecException("cnn-small: height*width*channels = " + ((long) h * w * c)
                        + " but the data has " + nIn + " features");
            }
            list = base.list();
            int i = 0;
            for (int f : filters) {
                list.layer(i++, new ConvolutionLayer.Builder(5, 5).nOut(f).stride(1, 1)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                        .activation(act).weightInit(init(act)).build());
                list.layer(i++, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build());
            }
            list.layer(i++, hidden(0, dense, act, dropout, head.bilateral()));
            list.layer(i, head.outputLayer(head.bilateral() ? 2 * dense : dense, nClasses));
            list.setInputType(InputType.convolutionalFlat(h, w, c));
        }
        return list.build();
    }

    /**
     * A hidden dense layer of {@code width} units ({@code nIn} 0: from the input type), or for BBN
     * its two branches, each as that layer.
     */
    private static FeedForwardLayer hidden(int nIn, int width, Activation act, double dropout, boolean branches) {
        FeedForwardLayer.Builder<?> b = branches ? new BilateralBranchLayer.Builder().branchWidth(width)
                : new DenseLayer.Builder().nOut(width);
        if (nIn > 0) {
            b.nIn(nIn);
        }
        b.activation(act);
        b.weightInit(init(act));
        if (dropout > 0) {
            b.dropOut(1 - dropout); // DL4J takes the retain probability
        }
        return b.build();
    }

    /**
     * Checks a model spec (name, parameters, values) without data: the network for two classes
     * and the input size the spec implies is configured, not initialised.
     */
    public static void check(String modelSpec) {
        check(modelSpec, "ce");
    }

    /** As {@link #check(String)} with the head of {@code lossSpec} (BBN needs a hidden layer to split). */
    public static void check(String modelSpec, String lossSpec) {
        Spec s = Spec.parse(modelSpec);
        int nIn = s.name().equals("cnn-small") ? height(s) * width(s) * channels(s) : 2;
        build(modelSpec, nIn, 2, LossHeads.create(lossSpec, new long[] {1, 1}, 1), OptimizerSpec.parse("sgd(lr=0.1)"), 1, 0);
    }

    private static int height(Spec s) {
        return s.getInt("height", 28, 1, 1 << 16);
    }

    private static int width(Spec s) {
        return s.getInt("width", 28, 1, 1 << 16);
    }

    private static int channels(Spec s) {
        return s.getInt("channels", 1, 1, 1 << 10);
    }

    private static Activation activation(Spec s) {
        String a = s.getChoice("activation", "relu", ACTIVATIONS);
        return switch (a) {
            case "tanh" -> Activation.TANH;
            case "sigmoid" -> Activation.SIGMOID;
            case "leakyrelu" -> Activation.LEAKYRELU;
            case "elu" -> Activation.ELU;
            default -> Activation.RELU;
        };
    }

    private static double dropout(Spec s) {
        return s.getDouble("dropout", 0.0, p -> p >= 0 && p < 1, "in [0, 1)");
    }

    /** He initialisation for rectifiers, Xavier otherwise. */
    private static WeightInit init(Activation a) {
        return a == Activation.RELU || a == Activation.LEAKYRELU || a == Activation.ELU ? WeightInit.RELU : WeightInit.XAVIER;
    }
}
