package org.counterweight.train;

import java.util.List;
import org.counterweight.losses.EpochAware;
import org.counterweight.losses.Losses;
import org.counterweight.spec.Spec;
import org.counterweight.spec.SpecException;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * The one place where loss specs become output layers. Logit losses come from the
 * {@code losses} module ({@link Losses#create}); their output layer has the identity activation
 * (the layer emits logits z, the loss applies its own stable log-softmax) and prediction applies
 * softmax(z) (METHODS §2). Epoch-dependent losses ({@code drw=E}) are advanced with
 * {@link EpochAware#advance} on the driver's configuration before every epoch.
 *
 * <p>Not yet wired: the cosine head (default for {@code ldam}, {@code elm}, {@code mm}) and the
 * anchor layers {@code fal}/{@code faml}, which the losses module provides as output layers.
 */
public final class LossHeads {
    private static final List<String> COSINE_BY_DEFAULT = List.of("ldam", "elm", "mm");

    private LossHeads() {
    }

    /**
     * The head for a loss spec.
     *
     * @param classCounts training examples per class (index = class)
     * @param epochs      planned epochs (for {@code drw=auto} and λ schedules)
     */
    public static LossHead create(String lossSpec, long[] classCounts, int epochs) {
        Spec s = Spec.parse(lossSpec);
        // Validates name, parameters and class counts now, before any Spark job.
        Losses.create(lossSpec, classCounts);
        String head = s.getString("head", COSINE_BY_DEFAULT.contains(s.name()) ? "cosine" : "linear");
        if (head.equalsIgnoreCase("cosine")) {
            throw new SpecException(s.name() + ": the cosine head is not available in the trainer yet; use head=linear");
        }
        return new LinearLogits(lossSpec, classCounts.clone(), epochs);
    }

    /** A dense output layer emitting logits, trained with a loss from {@link Losses}. */
    private static final class LinearLogits implements LossHead {
        private static final long serialVersionUID = 1L;
        private final String spec;
        private final long[] classCounts;
        private final int epochs;

        LinearLogits(String spec, long[] classCounts, int epochs) {
            this.spec = spec;
            this.classCounts = classCounts;
            this.epochs = epochs;
        }

        @Override
        public String spec() {
            return spec;
        }

        @Override
        public Layer outputLayer(int nIn, int nClasses) {
            return new OutputLayer.Builder(Losses.create(spec, classCounts)).nIn(nIn).nOut(nClasses)
                    .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build();
        }

        @Override
        public boolean outputsProbabilities() {
            return false;
        }

        @Override
        public EpochSchedule schedule() {
            int total = epochs;
            return (epoch, net) -> EpochAware.advance(net.getLayerWiseConfigurations(), epoch, Math.max(total, epoch + 1));
        }
    }
}
