package org.counterweight.losses.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.counterweight.losses.AnchorLoss;
import org.counterweight.losses.EpochAware;
import org.counterweight.losses.EpochEnd;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Focused Anchors output layer, FAL and FAML (Baloch et al., ACML 2019; METHODS §3). It holds K
 * anchors φ_k in the embedding space (parameter {@code anchors}, K × nIn) and emits the class
 * scores l_k = −‖h − φ_k‖² as its pre-output; the loss ({@link AnchorLoss}) adds the training
 * margin, the focal term and the pull-to-anchor term; the inference output is the activation
 * (softmax) of l.
 *
 * <ul>
 *   <li><b>FAL</b> ({@code trainAnchors = true}): anchors are trained by gradient with the layer's
 *       updater.</li>
 *   <li><b>FAML</b>: anchors get no gradient. Every minibatch in which class k appears is one
 *       <i>update</i> of class k: the mean of its (unmasked) embeddings in that minibatch. A
 *       class's anchor starts at its first update. The updates since the last move are averaged
 *       with geometric weights, each newer update weighing r times the previous one (kept relative
 *       to the newest update, and rescaled should r &lt; 1 make them large, so nothing
 *       overflows), and a move sets
 *       φ_k ← λ μ_k + (1 − λ) φ_k for every class with updates, then forgets them. Moves happen at
 *       the end of every epoch ({@link #EVERY_EPOCH}, the default: n = one epoch's steps; the
 *       trainer calls {@link EpochEnd#finish}) or, with an explicit n, inside every n-th training
 *       step after that step's update and before its gradient. The update sums ({@code famlSum}),
 *       their total weights ({@code famlWeight}), the seen flags ({@code famlSeen}) and the step
 *       counter ({@code famlStep}) are parameters too (never updated by gradient), so parameter
 *       averaging averages them with the anchors and model files keep them. The state moves at the
 *       start of each training step, before the step's loss gradient, so the step's gradient and
 *       score use the same anchors; score-only calls never move it.</li>
 * </ul>
 * Anchors and state have no regularisation (weight decay would pull anchors to the origin, which
 * is not part of the method). λ follows {@code lambdaSchedule}: {@code constant}, or
 * {@code quadratic} = λ · (1 − epoch/totalEpochs)², advanced through {@link EpochAware}.
 */
public class AnchorOutputLayer extends ParametricOutputLayer implements EpochAware {
    private static final long serialVersionUID = 1L;
    /** Anchors φ (K × nIn). */
    public static final String ANCHORS = "anchors";
    /** FAML: geometric-weighted sum of the class updates since the last move (K × nIn). */
    public static final String FAML_SUM = "famlSum";
    /** FAML: total geometric weight of the class updates since the last move (K × 1). */
    public static final String FAML_WEIGHT = "famlWeight";
    /** FAML: 1 once a class's anchor was initialised from its first minibatch (K × 1). */
    public static final String FAML_SEEN = "famlSeen";
    /** FAML: training steps so far (1 × 1). */
    public static final String FAML_STEP = "famlStep";

    /** FAML's n for "move the anchors at the end of every epoch" (n = one epoch's steps). */
    public static final int EVERY_EPOCH = 0;

    /** λ schedules of FAML. */
    public enum LambdaSchedule { CONSTANT, QUADRATIC }

    // DL4J's JSON mapper writes getter properties only; @JsonProperty makes every field explicit.
    @JsonProperty("trainAnchors")
    private boolean trainAnchors = true;
    @JsonProperty("ratio")
    private double ratio = 1.3;
    @JsonProperty("lambda")
    private double lambda = 0.999;
    @JsonProperty("updateEvery")
    private int updateEvery = EVERY_EPOCH;
    @JsonProperty("lambdaSchedule")
    private LambdaSchedule lambdaSchedule = LambdaSchedule.CONSTANT;
    @JsonProperty("epoch")
    private int epoch;
    @JsonProperty("totalEpochs")
    private int totalEpochs;

    /** For JSON deserialisation. */
    public AnchorOutputLayer() {
    }

    private AnchorOutputLayer(Builder b) {
        super(b);
        if (!(lossFn instanceof AnchorLoss)) {
            throw new IllegalArgumentException("AnchorOutputLayer needs an AnchorLoss, got " + lossFn);
        }
        if (!(b.ratio > 0) || Double.isInfinite(b.ratio)) {
            throw new IllegalArgumentException("FAML r=" + b.ratio + " must be finite and > 0");
        }
        if (!(b.lambda >= 0 && b.lambda <= 1)) {
            throw new IllegalArgumentException("FAML lambda=" + b.lambda + " must be in [0, 1]");
        }
        if (b.updateEvery < 0) {
            throw new IllegalArgumentException("FAML n=" + b.updateEvery + " must be >= 1, or EVERY_EPOCH");
        }
        this.trainAnchors = b.trainAnchors;
        this.ratio = b.ratio;
        this.lambda = b.lambda;
        this.updateEvery = b.updateEvery;
        this.lambdaSchedule = b.lambdaSchedule;
        initializeConstraints(b);
    }

    /** True for FAL (anchors trained by gradient), false for FAML. */
    public boolean isTrainAnchors() {
        return trainAnchors;
    }

    public double getRatio() {
        return ratio;
    }

    /** FAML's n: a move every n training steps, or {@link #EVERY_EPOCH}. */
    public int getUpdateEvery() {
        return updateEvery;
    }

    public LambdaSchedule getLambdaSchedule() {
        return lambdaSchedule;
    }

    /** FAML's λ at the current epoch. */
    public double currentLambda() {
        if (lambdaSchedule == LambdaSchedule.CONSTANT || totalEpochs == 0) {
            return lambda;
        }
        double left = 1.0 - (double) epoch / totalEpochs;
        return lambda * left * left;
    }

    @Override
    public void onEpoch(int epoch, int totalEpochs) {
        this.epoch = epoch;
        this.totalEpochs = totalEpochs;
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
    public IUpdater getUpdaterByParam(String paramName) {
        return trainAnchors && ANCHORS.equals(paramName) ? super.getUpdaterByParam(paramName) : new NoOp();
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return Collections.emptyList();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long n = initializer().numParams(this);
        long updaterState = getUpdaterByParam(ANCHORS).stateSize(nIn * nOut);
        return new LayerMemoryReport.Builder(layerName, AnchorOutputLayer.class, inputType, out)
                .standardMemory(n, updaterState)
                .workingMemory(0, 0, 0, inputType.arrayElementsPerExample() + 2 * out.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS).build();
    }

    /** Builder: {@code nIn} = embedding size, {@code nOut} = K, loss = an {@link AnchorLoss}. */
    public static class Builder extends BaseOutputLayer.Builder<Builder> {
        private boolean trainAnchors = true;
        private double ratio = 1.3;
        private double lambda = 0.999;
        private int updateEvery = EVERY_EPOCH;
        private LambdaSchedule lambdaSchedule = LambdaSchedule.CONSTANT;

        public Builder(AnchorLoss loss) {
            this.lossFn = loss;
            hasBias(false);
        }

        /** FAL: anchors trained by gradient (the default). */
        public Builder fal() {
            this.trainAnchors = true;
            return this;
        }

        /**
         * FAML with geometric ratio r, move rate λ, a move every n steps ({@link #EVERY_EPOCH}: at
         * the end of every epoch), and λ's schedule.
         */
        public Builder faml(double r, double lambda, int n, LambdaSchedule schedule) {
            this.trainAnchors = false;
            this.ratio = r;
            this.lambda = lambda;
            this.updateEvery = n;
            this.lambdaSchedule = schedule;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public AnchorOutputLayer build() {
            return new AnchorOutputLayer(this);
        }
    }

    /** Anchors (with the layer's weight init), then FAML's state (zeros). */
    static final class Params extends BlockParamInitializer {
        static final Params INSTANCE = new Params();

        @Override
        List<Block> blocks(Layer layer) {
            AnchorOutputLayer a = (AnchorOutputLayer) layer;
            List<Block> blocks = new ArrayList<>();
            blocks.add(new Block(ANCHORS, a.getNOut(), a.getNIn(), true));
            if (!a.trainAnchors) {
                blocks.add(new Block(FAML_SUM, a.getNOut(), a.getNIn(), false));
                blocks.add(new Block(FAML_WEIGHT, a.getNOut(), 1, false));
                blocks.add(new Block(FAML_SEEN, a.getNOut(), 1, false));
                blocks.add(new Block(FAML_STEP, 1, 1, false));
            }
            return blocks;
        }

        @Override
        void initialise(Layer layer, String key, INDArray view) {
            AnchorOutputLayer a = (AnchorOutputLayer) layer;
            if (ANCHORS.equals(key)) {
                a.getWeightInitFn().init(a.getNIn(), a.getNOut(), view.shape(), 'c', view);
            } else {
                view.assign(0);
            }
        }
    }

    /** Runtime of FAL/FAML. */
    static final class Impl extends ParametricOutputLayerImpl<AnchorOutputLayer> implements EpochEnd {
        private static final long serialVersionUID = 1L;
        /** Above this total weight (only reached with r < 1) a class's sum and weight are rescaled. */
        private static final double RESCALE = 1e12;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        /** l = −‖h − φ_k‖² = 2 hφᵀ − ‖h‖² − ‖φ_k‖². */
        @Override
        INDArray scores(INDArray h) {
            INDArray phi = getParam(ANCHORS);
            INDArray l = h.mmul(phi.transpose()).muli(2);
            l.subiColumnVector(h.mul(h).sum(true, 1));
            return l.subiRowVector(phi.mul(phi).sum(true, 1).reshape(1, phi.size(0)));
        }

        /** ∂L/∂h = 2(δφ − h Σ_k δ_k); FAL: ∂L/∂φ = 2(δᵀh − φ ∘ Σ_i δ_i). */
        @Override
        INDArray backpropScores(INDArray h, INDArray delta) {
            INDArray phi = getParam(ANCHORS);
            for (String key : layerConf().initializer().paramKeys(layerConf())) {
                gradientViews.get(key).assign(0);
            }
            if (layerConf().isTrainAnchors()) {
                INDArray colSum = delta.sum(true, 0).reshape(phi.size(0), 1);
                gradientViews.get(ANCHORS).assign(delta.transpose().mmul(h).subi(phi.mulColumnVector(colSum)).muli(2));
            }
            return delta.mmul(phi).subi(h.mulColumnVector(delta.sum(true, 1))).muli(2);
        }

        @Override
        void beforeTrainingStep() {
            if (!layerConf().isTrainAnchors()) {
                famlStep(input.castTo(dataType));
            }
        }

        /** FAML with n = one epoch's steps: the move at the end of the epoch. */
        @Override
        public void onEpochEnd() {
            if (!layerConf().isTrainAnchors() && layerConf().getUpdateEvery() == EVERY_EPOCH) {
                move();
            }
        }

        /** FAML bookkeeping for one training minibatch (METHODS §3): one update per class present. */
        private void famlStep(INDArray h) {
            AnchorOutputLayer c = layerConf();
            int k = (int) c.getNOut();
            int n = (int) h.size(0);
            int[] y = Nd4j.argMax(labels, 1).toIntVector();
            double[] rowWeight = labels.sum(1).toDoubleVector();
            double[] mask = maskArray == null ? null : maskArray.reshape(maskArray.length()).toDoubleVector();
            double[] valid = new double[n];
            int[] classRows = new int[k];
            for (int i = 0; i < n; i++) {
                if (rowWeight[i] != 0 && (mask == null || mask[i] != 0)) {
                    valid[i] = 1;
                    classRows[y[i]]++;
                }
            }
            INDArray yValid = labels.castTo(h.dataType()).mulColumnVector(column(valid, h.dataType()));
            double[][] classSums = yValid.transpose().mmul(h).toDoubleMatrix();
            double[][] anchors = getParam(ANCHORS).toDoubleMatrix();
            double[][] sum = getParam(FAML_SUM).toDoubleMatrix();
            double[] weight = getParam(FAML_WEIGHT).reshape(k).toDoubleVector();
            double[] seen = getParam(FAML_SEEN).reshape(k).toDoubleVector();
            for (int j = 0; j < k; j++) {
                if (classRows[j] == 0) {
                    continue;
                }
                double[] update = classSums[j];
                for (int d = 0; d < update.length; d++) {
                    update[d] /= classRows[j];
                }
                if (seen[j] == 0) {
                    anchors[j] = update.clone();
                    seen[j] = 1;
                }
                // Relative to the newest update: earlier ones lose a factor r, the new one weighs 1.
                weight[j] = weight[j] / c.getRatio() + 1;
                double rescale = weight[j] > RESCALE ? 1 / weight[j] : 1;
                weight[j] *= rescale;
                for (int d = 0; d < update.length; d++) {
                    sum[j][d] = (sum[j][d] / c.getRatio() + update[d]) * rescale;
                }
            }
            write(ANCHORS, anchors);
            write(FAML_SUM, sum);
            getParam(FAML_WEIGHT).assign(column(weight, dataType));
            getParam(FAML_SEEN).assign(column(seen, dataType));
            INDArray step = getParam(FAML_STEP);
            step.addi(1);
            if (c.getUpdateEvery() != EVERY_EPOCH && Math.round(step.getDouble(0)) % c.getUpdateEvery() == 0) {
                move();
            }
        }

        /** φ_k ← λ μ_k + (1 − λ) φ_k for every class with updates since the last move; forgets them. */
        private void move() {
            double lambda = layerConf().currentLambda();
            double[][] anchors = getParam(ANCHORS).toDoubleMatrix();
            double[][] sum = getParam(FAML_SUM).toDoubleMatrix();
            double[] weight = getParam(FAML_WEIGHT).reshape(anchors.length).toDoubleVector();
            for (int j = 0; j < anchors.length; j++) {
                if (weight[j] > 0) {
                    for (int d = 0; d < anchors[j].length; d++) {
                        anchors[j][d] = lambda * sum[j][d] / weight[j] + (1 - lambda) * anchors[j][d];
                    }
                }
            }
            write(ANCHORS, anchors);
            getParam(FAML_SUM).assign(0);
            getParam(FAML_WEIGHT).assign(0);
        }

        private void write(String key, double[][] values) {
            getParam(key).assign(Nd4j.create(values).castTo(dataType));
        }

        private static INDArray column(double[] v, DataType dt) {
            return Nd4j.create(v, new long[] {v.length, 1}, dt);
        }
    }
}
