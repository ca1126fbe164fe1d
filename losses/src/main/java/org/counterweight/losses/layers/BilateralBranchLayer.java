package org.counterweight.losses.layers;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import org.counterweight.losses.CumulativeLearning;
import org.counterweight.losses.EpochAware;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The two branches of a Bilateral-Branch Network and their mixing (Zhou, Cui, Wei &amp; Chen,
 * "BBN: Bilateral-Branch Network with Cumulative Learning for Long-Tailed Visual Recognition",
 * CVPR 2020, §3.2–3.4; METHODS §4). In the paper each branch is a copy of the backbone's last
 * residual block; here each branch is a copy of the network's last hidden dense layer (same
 * width, activation, initialisation and dropout), on top of the shared layers below it.
 *
 * <p>Parameters are DL4J's dense-layer {@code W} (nIn × 2h) and {@code b} (1 × 2h): columns 0..h−1
 * are the conventional branch (W_c, b_c), columns h..2h−1 the re-balancing branch (W_r, b_r).
 * Each half is initialised as a dense layer of width h would be.
 * <ul>
 *   <li><b>Training</b>: the input holds 2N rows — N conventional (natural sampling) rows over N
 *       re-balancing (reversed sampler) rows; the output has N rows,
 *       [2α f_c(x_c), 2(1 − α) f_r(x_r)] with f = σ(xW + b) per branch and α =
 *       {@link CumulativeLearning#alpha} of the epoch. With a dense classifier on top the logits
 *       are z = 2α W'_c f_c + 2(1 − α) W'_r f_r + b', the paper's mix (its Eq. for z) times the
 *       factor 2 that the official code applies ({@code combiner.py}:
 *       {@code mixed_feature = 2 * torch.cat((l * feature_a, (1-l) * feature_b), dim=1)}).</li>
 *   <li><b>Inference</b>: one input, both branches: [f_c(x), f_r(x)] — the official code's
 *       concatenation without weights, i.e. α = 0.5 ({@link CumulativeLearning#INFERENCE_ALPHA},
 *       the paper's §3.4) with the same factor 2 — which is exactly a dense layer of width 2h.</li>
 * </ul>
 * DL4J divides the gradients by the minibatch size it reads from the labels (N rows, one per
 * pair), and the output layer averages its score over its own N input rows, so a minibatch of N
 * pairs is normalised by N. The activation must be element-wise (every model activation is).
 */
public class BilateralBranchLayer extends FeedForwardLayer implements EpochAware {
    private static final long serialVersionUID = 1L;
    /** The official code's scale of the mixed features: 2·[α f_c, (1 − α) f_r]. */
    static final double FEATURE_SCALE = 2;

    /** Current epoch (0-based), set by {@link #onEpoch}. */
    @JsonProperty("epoch")
    private int epoch;
    /** Total epochs of the run, set by {@link #onEpoch}; 0 until known (α = 1). */
    @JsonProperty("totalEpochs")
    private int totalEpochs;

    /** For JSON deserialisation. */
    public BilateralBranchLayer() {
    }

    private BilateralBranchLayer(Builder builder) {
        super(builder);
        initializeConstraints(builder);
    }

    @Override
    public void onEpoch(int epoch, int totalEpochs) {
        this.epoch = epoch;
        this.totalEpochs = totalEpochs;
    }

    /** The conventional branch's weight α in training at the current epoch. */
    public double alpha() {
        return CumulativeLearning.alpha(epoch, totalEpochs);
    }

    /** Units per branch, h (the layer's nOut is 2h). */
    public long branchWidth() {
        return getNOut() / 2;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("BilateralBranchLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        Impl layer = new Impl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return Params.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long n = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, BilateralBranchLayer.class, inputType, out)
                .standardMemory(n, getIUpdater().stateSize(n))
                .workingMemory(0, 0, 0, 2 * (inputType.arrayElementsPerExample() + out.arrayElementsPerExample()))
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS).build();
    }

    /** Builder: {@code nIn}, {@link #branchWidth} (h), activation, weight init, dropout. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        /** Each branch's width h; the layer outputs 2h columns. */
        public Builder branchWidth(long h) {
            return nOut(2 * h);
        }

        @Override
        @SuppressWarnings("unchecked")
        public BilateralBranchLayer build() {
            if (nOut <= 0 || nOut % 2 != 0) {
                throw new IllegalArgumentException("BilateralBranchLayer: set branchWidth(h) (nOut = 2h), got nOut=" + nOut);
            }
            return new BilateralBranchLayer(this);
        }
    }

    /** DL4J's dense parameters, each branch's half of {@code W} initialised with fan-out h. */
    static final class Params extends DefaultParamInitializer {
        static final Params INSTANCE = new Params();

        @Override
        protected INDArray createWeightMatrix(long nIn, long nOut, IWeightInit weightInit, INDArray weightParamView,
                                              boolean initializeParameters) {
            if (initializeParameters) {
                // W is stored column-major ('f'), so the first h columns are the first nIn·h values.
                long half = nIn * (nOut / 2);
                INDArray flat = weightParamView.reshape(1, weightParamView.length());
                for (long start : new long[] {0, half}) {
                    INDArray part = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(start, start + half));
                    weightInit.init(nIn, nOut / 2, new long[] {nIn, nOut / 2}, IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, part);
                }
            }
            return WeightInitUtil.reshapeWeights(new long[] {nIn, nOut}, weightParamView);
        }
    }

    /** Runtime: the two-branch training pass; inference is the plain dense pass. */
    static final class Impl extends org.deeplearning4j.nn.layers.BaseLayer<BilateralBranchLayer> {
        private static final long serialVersionUID = 1L;
        private static final String W = DefaultParamInitializer.WEIGHT_KEY;
        private static final String B = DefaultParamInitializer.BIAS_KEY;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public boolean isPretrainLayer() {
            return false;
        }

        /** Feature scales in training: 2α for the conventional branch, 2(1 − α) for the other. */
        private double[] scales() {
            double a = layerConf().alpha();
            return new double[] {FEATURE_SCALE * a, FEATURE_SCALE * (1 - a)};
        }

        private static INDArray columns(INDArray a, long from, long to) {
            return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
        }

        private static INDArray rows(INDArray a, long from, long to) {
            return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
        }

        /** The pre-activations (N × h) of the conventional rows through W_c and the re-balancing rows through W_r. */
        private INDArray[] branchPreOutputs(LayerWorkspaceMgr mgr) {
            assertInputSet(false);
            applyDropOutIfNecessary(true, mgr);
            long nIn = layerConf().getNIn();
            if (input.rank() != 2 || input.size(0) % 2 != 0 || input.size(1) != nIn) {
                throw new IllegalArgumentException(layerId() + ": in training the input must be N conventional rows over "
                        + "N re-balancing rows, [2N, " + nIn + "]; got " + Arrays.toString(input.shape()));
            }
            if (maskArray != null) {
                throw new IllegalStateException(layerId() + ": masks are not supported");
            }
            long n = input.size(0) / 2;
            long h = layerConf().branchWidth();
            INDArray x = input.castTo(dataType);
            INDArray w = getParamWithNoise(W, true, mgr);
            INDArray b = getParamWithNoise(B, true, mgr);
            return new INDArray[] {
                rows(x, 0, n).mmul(columns(w, 0, h)).addiRowVector(columns(b, 0, h)),
                rows(x, n, 2 * n).mmul(columns(w, h, 2 * h)).addiRowVector(columns(b, h, 2 * h))
            };
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            if (!training) {
                return super.activate(false, mgr);
            }
            INDArray[] z = branchPreOutputs(mgr);
            double[] s = scales();
            long n = z[0].size(0);
            long h = layerConf().branchWidth();
            INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, n, 2 * h);
            for (int branch = 0; branch < 2; branch++) {
                INDArray f = layerConf().getActivationFn().getActivation(z[branch], true);
                columns(out, branch * h, (branch + 1) * h).assign(f.muli(s[branch]));
            }
            return out;
        }

        /**
         * With out_c = s_c σ(z_c), z_c = x_c W_c + b_c (and likewise r): δ_c = σ'(z_c) ⊙ s_c ε_c,
         * ∂W_c = x_cᵀ δ_c, ∂b_c = Σ_rows δ_c, and the input gradient is [δ_c W_cᵀ ; δ_r W_rᵀ].
         */
        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
            assertInputSet(true);
            INDArray[] z = branchPreOutputs(mgr);
            long n = z[0].size(0);
            long h = layerConf().branchWidth();
            if (epsilon.rank() != 2 || epsilon.size(0) != n || epsilon.size(1) != 2 * h) {
                throw new IllegalArgumentException(layerId() + ": expected an output gradient [" + n + ", " + 2 * h
                        + "], got " + Arrays.toString(epsilon.shape()));
            }
            double[] s = scales();
            INDArray x = input.castTo(dataType);
            INDArray w = getParamWithNoise(W, true, mgr);
            INDArray gw = gradientViews.get(W);
            INDArray gb = gradientViews.get(B);
            INDArray epsilonNext = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, 2 * n, x.size(1));
            for (int branch = 0; branch < 2; branch++) {
                long c0 = branch * h;
                INDArray scaled = columns(epsilon, c0, c0 + h).castTo(dataType).mul(s[branch]);
                INDArray delta = layerConf().getActivationFn().backprop(z[branch], scaled).getFirst();
                INDArray xb = rows(x, branch * n, (branch + 1) * n);
                columns(gw, c0, c0 + h).assign(xb.transpose().mmul(delta));
                columns(gb, c0, c0 + h).assign(delta.sum(true, 0));
                rows(epsilonNext, branch * n, (branch + 1) * n).assign(delta.mmul(columns(w, c0, c0 + h).transpose()));
            }
            weightNoiseParams.clear();
            Gradient g = new DefaultGradient();
            Map<String, INDArray> table = g.gradientForVariable();
            table.put(W, gw);
            table.put(B, gb);
            return new Pair<>(g, backpropDropOutIfPresent(epsilonNext));
        }
    }
}
