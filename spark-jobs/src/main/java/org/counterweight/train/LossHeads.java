package org.counterweight.train;

import java.util.List;
import org.counterweight.spec.Spec;
import org.counterweight.spec.SpecException;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The one place where loss specs become output layers. Until the {@code losses} module is
 * merged this knows {@code ce} (DL4J's softmax output layer with {@link LossMCXENT}) and the
 * deferred re-weighting schedule {@code drw(epoch=E,beta=0.9999)} on it (METHODS §2: weights 1
 * before epoch E, class-balanced from E on, Cui et al. 2019: w_k = (1−β)/(1−β^{n_k}) normalised
 * to sum K). Switching to the losses module changes only {@link #create}.
 */
public final class LossHeads {
    private static final List<String> KNOWN_LOSSES = List.of("ce");
    private static final List<String> KNOWN_SCHEDULES = List.of("drw");

    private LossHeads() {
    }

    /**
     * The head for a loss spec and optional schedule spec ({@code null} or blank = none).
     *
     * @param classCounts training examples per class (index = class)
     */
    public static LossHead create(String lossSpec, String scheduleSpec, long[] classCounts) {
        Spec loss = Spec.parse(lossSpec);
        if (!KNOWN_LOSSES.contains(loss.name())) {
            throw loss.unknownName("loss", KNOWN_LOSSES);
        }
        loss.requireOnly();
        EpochSchedule schedule = EpochSchedule.NONE;
        if (scheduleSpec != null && !scheduleSpec.isBlank()) {
            Spec s = Spec.parse(scheduleSpec);
            if (!KNOWN_SCHEDULES.contains(s.name())) {
                throw s.unknownName("schedule", KNOWN_SCHEDULES);
            }
            s.requireOnly("epoch", "beta");
            if (!s.has("epoch")) {
                throw new SpecException("drw: parameter 'epoch' is required (the epoch from which class-balanced weights apply)");
            }
            int epoch = s.getInt("epoch", 0, 0, Integer.MAX_VALUE);
            double beta = s.getDouble("beta", 0.9999, b -> b >= 0 && b < 1, "in [0, 1)");
            schedule = new DeferredReweighting(epoch, classBalancedWeights(classCounts, beta));
        }
        return new SoftmaxCrossEntropy(loss.text(), schedule);
    }

    /** w_k = (1−β)/(1−β^{n_k}), normalised to sum K (Cui et al. 2019, eq. 3; METHODS §2). */
    static double[] classBalancedWeights(long[] counts, double beta) {
        double[] w = new double[counts.length];
        double sum = 0;
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] <= 0) {
                throw new IllegalArgumentException("class " + k + " has no training examples; class-balanced weights need n_k > 0");
            }
            w[k] = (1 - beta) / (1 - Math.pow(beta, counts[k]));
            sum += w[k];
        }
        for (int k = 0; k < w.length; k++) {
            w[k] = counts.length * w[k] / sum;
        }
        return w;
    }

    /** Replaces the loss of the network's output layer (configuration and live layer). */
    static void setOutputLoss(MultiLayerNetwork net, ILossFunction loss) {
        int last = net.getnLayers() - 1;
        ((BaseOutputLayer) net.getLayerWiseConfigurations().getConf(last).getLayer()).setLossFn(loss);
        ((BaseOutputLayer) net.getLayer(last).conf().getLayer()).setLossFn(loss);
    }

    /** Softmax output layer with multiclass cross-entropy. */
    private static final class SoftmaxCrossEntropy implements LossHead {
        private static final long serialVersionUID = 1L;
        private final String spec;
        private final EpochSchedule schedule;

        SoftmaxCrossEntropy(String spec, EpochSchedule schedule) {
            this.spec = spec;
            this.schedule = schedule;
        }

        @Override
        public String spec() {
            return spec;
        }

        @Override
        public Layer outputLayer(int nIn, int nClasses) {
            return new OutputLayer.Builder(new LossMCXENT()).nIn(nIn).nOut(nClasses)
                    .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build();
        }

        @Override
        public boolean outputsProbabilities() {
            return true;
        }

        @Override
        public EpochSchedule schedule() {
            return schedule;
        }
    }

    /** DRW: unit weights before {@code epoch}, the given class weights from {@code epoch} on. */
    static final class DeferredReweighting implements EpochSchedule {
        private static final long serialVersionUID = 1L;
        private final int epoch;
        private final double[] weights;

        DeferredReweighting(int epoch, double[] weights) {
            this.epoch = epoch;
            this.weights = weights.clone();
        }

        @Override
        public void beforeEpoch(int e, MultiLayerNetwork net) {
            setOutputLoss(net, e < epoch ? new LossMCXENT()
                    : new LossMCXENT(Nd4j.createFromArray(weights).reshape(1, weights.length)
                            .castTo(net.params().dataType())));
        }
    }
}
