package org.counterweight.losses.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.counterweight.losses.AnchorLoss;
import org.counterweight.losses.EpochAware;
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
 *   <li><b>FAML</b>: anchors get no gradient. Each training step accumulates, per class, a
 *       geometrically weighted sum of the embeddings (each newer example weighs r times the
 *       previous one; weights kept relative to the newest example so nothing overflows); a class's
 *       anchor starts at its mean in the first minibatch where it appears; every n steps each anchor
 *       with accumulated examples moves to φ_k ← λ μ_k + (1 − λ) φ_k and its accumulator resets.
 *       The accumulators ({@code famlSum}, {@code famlWeight}), the seen flags ({@code famlSeen})
 *       and the step counter ({@code famlStep}) are parameters too (never updated by gradient), so
 *       parameter averaging averages them with the anchors and model files keep them. This state
 *       moves at the start of each training step, before the step's loss gradient, so the step's
 *       gradient and score use the same anchors; score-only calls never move it.</li>
 * </ul>
 * Anchors and state have no regularisation (weight decay would pull anchors to the origin, which
 * is not part of the method). λ follows {@code lambdaSchedule}: {@code constant}, or
 * {@code quadratic} = λ · (1 − epoch/totalEpochs)², advanced through {@link EpochAware}.
 */
public class AnchorOutputLayer extends ParametricOutputLayer implements EpochAware {
    private static final long serialVersionUID = 1L;
    /** Anchors φ (K × nIn). */
    public static final String ANCHORS = "anchors";
    /** FAML: geometric-weighted sum of embeddings per class since the last move (K × nIn). */
    public static final String FAML_SUM = "famlSum";
    /** FAML: total geometric weight per class since the last move (K × 1). */
    public static final String FAML_WEIGHT = "famlWeight";
    /** FAML: 1 once a class's anchor was initialised from its first minibatch (K × 1). */
    public static final String FAML_SEEN = "famlSeen";
    /** FAML: training steps so far (1 × 1). */
    public static final String FAML_STEP = "famlStep";

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
    private int updateEvery = 200;
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
        if (b.updateEvery < 1) {
            throw new IllegalArgumentException("FAML n=" + b.updateEvery + " must be >= 1");
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
        private int updateEvery = 200;
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

        /** FAML with geometric ratio r, move rate λ, a move every n steps, and λ's schedule. */
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
    static final class Impl extends ParametricOutputLayerImpl<AnchorOutputLayer> {
        private static final long serialVersionUID = 1L;

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

        /** FAML anchor bookkeeping for one training minibatch (METHODS §3). */
        private void famlStep(INDArray h) {
            AnchorOutputLayer c = layerConf();
            int k = (int) c.getNOut();
            int n = (int) h.size(0);
            int[] y = Nd4j.argMax(labels, 1).toIntVector();
            double[] rowWeight = labels.sum(1).toDoubleVector();
            double[] mask = maskArray == null ? null : maskArray.reshape(maskArray.length()).toDoubleVector();
            boolean[] valid = new boolean[n];
            int[] classRows = new int[k];
            for (int i = 0; i < n; i++) {
                valid[i] = rowWeight[i] != 0 && (mask == null || mask[i] != 0);
                if (valid[i]) {
                    classRows[y[i]]++;
                }
            }
            // Geometric weights relative to the newest row of each class: r^{-(rows after this one)}.
            double[] omega = new double[n];
            double[] validRow = new double[n];
            int[] position = new int[k];
            for (int i = 0; i < n; i++) {
                if (valid[i]) {
                    int after = classRows[y[i]] - 1 - position[y[i]]++;
                    omega[i] = Math.pow(c.getRatio(), -after);
                    validRow[i] = 1;
                }
            }
            double[] decay = new double[k];
            double[] firstSeen = new double[k];
            double[] seen = getParam(FAML_SEEN).reshape(k).toDoubleVector();
            for (int j = 0; j < k; j++) {
                decay[j] = Math.pow(c.getRatio(), -classRows[j]);
                firstSeen[j] = classRows[j] > 0 && seen[j] == 0 ? 1 : 0;
            }
            DataType dt = h.dataType();
            INDArray yValid = labels.castTo(dt).mulColumnVector(column(validRow, dt));
            INDArray sum = getParam(FAML_SUM);
            INDArray weight = getParam(FAML_WEIGHT);
            INDArray decayCol = column(decay, dt);
            sum.muliColumnVector(decayCol).addi(yValid.transpose().mmul(h.mulColumnVector(column(omega, dt))));
            weight.muli(decayCol).addi(yValid.transpose().mmul(column(omega, dt)));

            INDArray anchors = getParam(ANCHORS);
            INDArray first = column(firstSeen, dt);
            double[] rows = new double[k];
            for (int j = 0; j < k; j++) {
                rows[j] = Math.max(classRows[j], 1);
            }
            INDArray batchMeans = yValid.transpose().mmul(h).diviColumnVector(column(rows, dt));
            moveTowards(anchors, batchMeans, first);
            getParam(FAML_SEEN).addi(first);

            INDArray step = getParam(FAML_STEP);
            step.addi(1);
            if (Math.round(step.getDouble(0)) % c.getUpdateEvery() == 0) {
                double[] w = weight.reshape(k).toDoubleVector();
                double[] move = new double[k];
                double[] safe = new double[k];
                for (int j = 0; j < k; j++) {
                    move[j] = w[j] > 0 ? c.currentLambda() : 0;
                    safe[j] = w[j] > 0 ? w[j] : 1;
                }
                INDArray moveCol = column(move, dt);
                moveTowards(anchors, sum.divColumnVector(column(safe, dt)), moveCol);
                INDArray keep = column(w, dt).gt(0).castTo(dt).rsubi(1);
                sum.muliColumnVector(keep);
                weight.muli(keep);
            }
        }

        /** φ_k ← a_k target_k + (1 − a_k) φ_k, in place. */
        private static void moveTowards(INDArray anchors, INDArray target, INDArray a) {
            anchors.muliColumnVector(a.rsub(1)).addi(target.mulColumnVector(a));
        }

        private static INDArray column(double[] v, DataType dt) {
            return Nd4j.create(v, new long[] {v.length, 1}, dt);
        }
    }
}
