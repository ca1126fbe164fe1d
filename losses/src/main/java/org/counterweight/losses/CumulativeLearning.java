package org.counterweight.losses;

/**
 * BBN's cumulative learning schedule (Zhou, Cui, Wei &amp; Chen, "BBN: Bilateral-Branch Network
 * with Cumulative Learning for Long-Tailed Visual Recognition", CVPR 2020, §3.3; METHODS §4):
 * the weight of the conventional branch, α = 1 − (T / T_max)², where T counts the epochs already
 * trained. The paper writes T for "the current epoch"; its official code
 * ({@code lib/core/combiner.py}, {@code bbn_mix}) numbers epochs from 1 and uses
 * {@code 1 - ((epoch - 1) / div_epoch) ** 2}, so the first epoch has α = 1 and the last
 * 1 − ((T_max − 1) / T_max)² &gt; 0. With our 0-based epochs that is α = 1 − (e / E)².
 * (The official code sets {@code div_epoch} to 100 or 200 for runs of exactly 90 or 180 epochs;
 * we always use the run's epoch count.)
 *
 * <p>Both α holders of a BBN network — the branch layer that mixes the features and the loss that
 * mixes the two labels — are {@link EpochAware} and compute α from here, so they always agree.
 */
public final class CumulativeLearning {
    /** α at inference: both branches weighted equally (the paper, §3.4). */
    public static final double INFERENCE_ALPHA = 0.5;

    private CumulativeLearning() {
    }

    /**
     * α for {@code epoch} (0-based) of {@code totalEpochs}; 1 before the schedule is known
     * ({@code totalEpochs} = 0). Epochs past the planned end (an extended run) keep the last
     * planned value.
     */
    public static double alpha(int epoch, int totalEpochs) {
        if (totalEpochs <= 0) {
            return 1;
        }
        double t = Math.min(epoch, totalEpochs - 1) / (double) totalEpochs;
        return 1 - t * t;
    }
}
