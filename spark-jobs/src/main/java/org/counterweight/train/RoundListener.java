package org.counterweight.train;

import java.util.List;

/** Observes each parameter-averaging round: which minibatch files it trained on and the workers' loss. */
@FunctionalInterface
public interface RoundListener {
    /**
     * @param epoch 0-based epoch
     * @param round 0-based round within the epoch
     * @param paths the round's minibatch files, in order; consecutive slices go to the workers
     * @param score mean over workers of the loss each computed on its last minibatch of the round
     */
    void afterRound(int epoch, int round, List<String> paths, double score);
}
