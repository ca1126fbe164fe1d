package org.counterweight.train;

import java.util.List;
import java.util.Map;
import org.counterweight.spec.Spec;
import org.counterweight.updaters.OptimizerSpec;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second stage of the decoupled methods (Kang et al. 2020; METHODS §4), run after the main
 * training:
 * <ul>
 *   <li>{@code crt(epochs=E)}: freeze every layer but the last, re-initialise the last layer and
 *       re-train it for E epochs (default 10) with class-balanced sampling, on Spark like stage one.
 *       The learning-rate schedule restarts at epoch 0 and the updater state is fresh.</li>
 *   <li>{@code tau-norm} / {@code tau-norm(tau=t)}: w_k ← w_k / ‖w_k‖^τ for every class weight
 *       vector of the last layer and the bias dropped; τ is the best validation balanced accuracy
 *       over 0, 0.1, …, 2 (ties → the smaller τ) unless given.</li>
 * </ul>
 * Both change only the last layer's parameters.
 */
abstract class TwoStage {
    private static final Logger LOG = LoggerFactory.getLogger(TwoStage.class);
    private static final List<String> KNOWN = List.of("crt", "tau-norm");

    /** Null for no second stage; errors name the spec and its allowed keys. */
    static TwoStage parse(String spec) {
        if (spec == null) {
            return null;
        }
        Spec s = Spec.parse(spec);
        if (s.name().equals("crt")) {
            s.requireOnly("epochs");
            return new Crt(s.getInt("epochs", 10, 1, 1_000_000));
        }
        if (s.name().equals("tau-norm")) {
            s.requireOnly("tau");
            return new TauNorm(s.has("tau") ? s.getDouble("tau", 1.0, t -> t >= 0, ">= 0") : Double.NaN);
        }
        throw s.unknownName("stage2", KNOWN);
    }

    boolean needsValidation() {
        return false;
    }

    /** Fails before training when the method cannot work with this output layer. */
    void checkHead(Layer outputLayer) {
    }

    /**
     * Runs the stage on the main stage's {@code net}; returns the network to keep and records the
     * stage's setting in {@code provenance}.
     */
    abstract MultiLayerNetwork apply(MultiLayerNetwork net, LossHead head, OptimizerSpec optimizer, Context run,
                                     Map<String, String> provenance);

    /** What a second stage needs of the training run it follows. */
    interface Context {
        /** The run's seed. */
        long seed();

        int numClasses();

        /**
         * Trains {@code net} for epochs 0..{@code epochs}-1 on {@code draw}'s rows, without a
         * per-epoch schedule, adding the epochs to the run's history; log lines start with
         * {@code name}.
         */
        MultiLayerNetwork fitEpochs(MultiLayerNetwork net, EpochDraw draw, int epochs, String name);

        /** Balanced accuracy of {@code net} on the run's validation rows. */
        double validationBalancedAccuracy(MultiLayerNetwork net);
    }

    /** Classifier re-training: last layer only, class-balanced sampling. */
    static final class Crt extends TwoStage {
        private final int epochs;

        Crt(int epochs) {
            this.epochs = epochs;
        }

        @Override
        MultiLayerNetwork apply(MultiLayerNetwork net, LossHead head, OptimizerSpec optimizer, Context run,
                                Map<String, String> provenance) {
            int last = net.getnLayers() - 1;
            long nIn = net.getOutputLayer().getParam("W").size(0);
            MultiLayerNetwork frozen = new TransferLearning.Builder(net)
                    .fineTuneConfiguration(new FineTuneConfiguration.Builder()
                            .updater(optimizer.updater(epochs))
                            .seed(run.seed() + 1)
                            .build())
                    .setFeatureExtractor(last - 1)
                    .removeOutputLayer()
                    .addLayer(head.outputLayer((int) nIn, run.numClasses()))
                    .build();
            frozen.setIterationCount(0);
            frozen.setEpochCount(0);
            frozen = run.fitEpochs(frozen, EpochDraws.forName("class-balanced"), epochs, "crt ");
            // Same parameter layout as the original network (frozen layers wrap the same
            // parameters); keep the plain configuration so the saved model has no frozen wrappers.
            MultiLayerNetwork out = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
            out.init(frozen.params().dup(), false);
            provenance.put("stage2", "crt(epochs=" + epochs + ")");
            return out;
        }
    }

    /** τ-normalisation of the last layer's class weight vectors. */
    static final class TauNorm extends TwoStage {
        private final double tau;

        TauNorm(double tau) {
            this.tau = tau;
        }

        @Override
        boolean needsValidation() {
            return Double.isNaN(tau);
        }

        @Override
        void checkHead(Layer outputLayer) {
            if (outputLayer.getClass() != OutputLayer.class) {
                throw new IllegalArgumentException("tau-norm rescales the class weight vectors of a dense output layer; the loss's head is "
                        + outputLayer.getClass().getSimpleName() + " (use head=linear)");
            }
        }

        @Override
        MultiLayerNetwork apply(MultiLayerNetwork net, LossHead head, OptimizerSpec optimizer, Context run,
                                Map<String, String> provenance) {
            INDArray w = net.getOutputLayer().getParam("W").dup();
            double chosen = tau;
            if (Double.isNaN(chosen)) {
                double bestBa = Double.NEGATIVE_INFINITY;
                for (int i = 0; i <= 20; i++) {
                    double t = i / 10.0;
                    normalise(net, w, t);
                    double ba = run.validationBalancedAccuracy(net);
                    LOG.info(String.format("tau-norm: tau %.1f  val-bacc %.4f", t, ba));
                    if (ba > bestBa) {
                        bestBa = ba;
                        chosen = t;
                    }
                }
            }
            normalise(net, w, chosen);
            provenance.put("stage2", "tau-norm(tau=" + chosen + ")");
            return net;
        }

        /** W[:,k] ← W0[:,k] / ‖W0[:,k]‖^τ, b ← 0 (METHODS §4). */
        static void normalise(MultiLayerNetwork net, INDArray w0, double tau) {
            INDArray norms = w0.norm2(0);
            INDArray scaled = w0.divRowVector(org.nd4j.linalg.ops.transforms.Transforms.pow(norms, tau, true));
            net.getOutputLayer().setParam("W", scaled);
            net.getOutputLayer().setParam("b", net.getOutputLayer().getParam("b").mul(0));
        }
    }

}
