package org.counterweight.train;

import org.counterweight.resample.EpochSampler;

/**
 * BBN's data (Zhou et al. 2020, §3.2; METHODS §4): every epoch each training row once — the
 * conventional branch's natural sampling, in the epoch's order — paired with a partner from the
 * reversed sampler ({@link EpochSampler.Mode#REVERSED}: class k with probability ∝ n_max / n_k,
 * then a row uniformly within it), drawn afresh each epoch as a function of (seed, epoch, row
 * number). A minibatch is a natural-sampling minibatch of b rows together with the b partners
 * ({@link MinibatchFormat#BILATERAL}).
 */
final class BilateralDraw implements EpochDraw {
    private static final long serialVersionUID = 1L;
    /** The draw's name in minibatch paths. */
    static final String NAME = "bilateral";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isStatic() {
        return false;
    }

    @Override
    public EpochDeal deal(int[] labels, int rows, int batchSize, long seed, int epoch) {
        return EpochDeal.natural(rows, batchSize, seed, epoch)
                .withPartners(new EpochSampler(EpochSampler.Mode.REVERSED, seed).partners(labels, epoch));
    }

    @Override
    public MinibatchFormat format() {
        return MinibatchFormat.BILATERAL;
    }
}
