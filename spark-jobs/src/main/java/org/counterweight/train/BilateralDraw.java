package org.counterweight.train;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.resample.EpochSampler;

/**
 * BBN's data (Zhou et al. 2020, §3.2; METHODS §4): every epoch each training row once — the
 * conventional branch's natural sampling — paired with a partner from the reversed sampler
 * ({@link EpochSampler.Mode#REVERSED}: class k with probability ∝ n_max / n_k, then a row uniformly
 * within it), drawn afresh each epoch as a function of (seed, epoch, row id). The exporter orders
 * the pairs by the epoch's hash of the conventional row's id and cuts them into minibatches of
 * {@code batch-size} pairs, so a minibatch is a natural-sampling minibatch of b rows together with
 * b reversed draws ({@link MinibatchFormat#BILATERAL}).
 */
final class BilateralDraw implements EpochDraw {
    private static final long serialVersionUID = 1L;

    @Override
    public Dataset<Row> draw(Dataset<Row> train, long seed, int epoch) {
        return new EpochSampler(EpochSampler.Mode.REVERSED, seed).partners(train, epoch);
    }

    @Override
    public boolean isStatic() {
        return false;
    }

    @Override
    public MinibatchFormat format() {
        return MinibatchFormat.BILATERAL;
    }
}
