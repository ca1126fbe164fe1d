package org.counterweight.train;

import org.counterweight.losses.EpochAware;
import org.counterweight.losses.OutputLayers;
import org.counterweight.spec.Spec;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The one place where loss specs become output layers: the {@code losses} module's
 * {@link OutputLayers#create} builds the head the loss asks for (dense or cosine logits with a
 * softmax — scaled by s where the loss has a scale — at inference, or the FAL/FAML anchor layer)
 * and epoch-dependent losses and layers ({@code drw=E}, FAML's λ schedule, BBN's α) are advanced with
 * {@link EpochAware#advance} on the driver's configuration before every epoch.
 */
public final class LossHeads {
    private LossHeads() {
    }

    /**
     * The head for a loss spec; validates the spec now, before any Spark job.
     *
     * @param classCounts training examples per class (index = class)
     * @param epochs      planned epochs (for {@code drw=auto} and λ schedules)
     */
    public static LossHead create(String lossSpec, long[] classCounts, int epochs) {
        OutputLayers.create(lossSpec, 1, classCounts);
        return new Head(lossSpec, classCounts.clone(), epochs);
    }

    /**
     * Checks a loss spec (name, parameters, values) without data, for {@code experiment
     * --dry-run} and every command before any job: the head is built for as many classes as the
     * spec's longest list parameter (e.g. K values of {@code alpha}), at least two.
     */
    public static void check(String lossSpec) {
        int k = 2;
        for (String value : Spec.parse(lossSpec).params().values()) {
            if (!value.contains("(")) {
                k = Math.max(k, value.split(",", -1).length);
            }
        }
        long[] counts = new long[k];
        java.util.Arrays.fill(counts, 1);
        OutputLayers.create(lossSpec, 1, counts);
    }

    private static final class Head implements LossHead {
        private static final long serialVersionUID = 1L;
        private final String spec;
        private final long[] classCounts;
        private final int epochs;

        Head(String spec, long[] classCounts, int epochs) {
            this.spec = spec;
            this.classCounts = classCounts;
            this.epochs = epochs;
        }

        @Override
        public Layer outputLayer(int nIn, int nClasses) {
            if (nClasses != classCounts.length) {
                throw new IllegalArgumentException("head for " + classCounts.length + " classes asked for " + nClasses);
            }
            return OutputLayers.create(spec, nIn, classCounts);
        }

        @Override
        public boolean bilateral() {
            return OutputLayers.isBilateral(spec);
        }

        @Override
        public EpochSchedule schedule() {
            int total = epochs;
            // A resumed or extended run may go past the planned epochs; schedules then hold their end value.
            return (epoch, net) -> EpochAware.advance(net.getLayerWiseConfigurations(), epoch, Math.max(total, epoch + 1));
        }
    }
}
