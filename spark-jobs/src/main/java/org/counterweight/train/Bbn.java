package org.counterweight.train;

import org.counterweight.losses.OutputLayers;

/**
 * BBN, the Bilateral-Branch Network with cumulative learning (Zhou, Cui, Wei &amp; Chen, CVPR 2020;
 * METHODS §4), as a training run sees it. The loss spec {@code bbn} asks for three things:
 * {@link NetworkFactory} makes the model's last hidden dense layer two branches
 * ({@code BilateralBranchLayer}, losses module) under BBN's classifier; every epoch trains on pairs
 * of a natural-sampling row and a reversed-sampler draw ({@link BilateralDraw}); and the head's
 * schedule moves α = 1 − (e/E)² in the branch layer and the loss before each epoch. This class
 * checks how BBN combines with the other settings — for the trainer and, before anything runs, for
 * an experiment's methods.
 */
public final class Bbn {
    private Bbn() {
    }

    /** True when {@code lossSpec} is BBN's. */
    public static boolean applies(String lossSpec) {
        return OutputLayers.isBilateral(lossSpec);
    }

    /**
     * Fails with an {@link IllegalArgumentException} naming the setting when BBN cannot run with
     * the others: it draws its own minibatches (sampler must be {@code none}), is a one-stage
     * method (no {@code stage2}) and needs a hidden dense layer to split into branches (every
     * {@code mlp} and {@code cnn-small} has one). Nothing to check for other losses.
     */
    public static void check(String modelSpec, String lossSpec, String sampler, String stage2) {
        if (!applies(lossSpec)) {
            return;
        }
        if (sampler != null && !sampler.strip().equals("none")) {
            throw new IllegalArgumentException("bbn pairs natural sampling with its own reversed sampler: sampler must be none, got "
                    + sampler);
        }
        if (stage2 != null) {
            throw new IllegalArgumentException("bbn is a one-stage method: it cannot be followed by stage2 " + stage2);
        }
        NetworkFactory.check(modelSpec, lossSpec);
    }
}
