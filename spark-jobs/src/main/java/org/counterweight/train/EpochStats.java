package org.counterweight.train;

import java.io.Serializable;

/**
 * One epoch of training as reported in the progress line and stored in the model file.
 *
 * @param epoch                      0-based epoch
 * @param loss                       mean over averaging rounds of the workers' training loss
 *                                   (each worker reports the loss of its last minibatch in the round)
 * @param trainBalancedAccuracy      on the training frame (natural sampling), NaN when disabled
 * @param validationBalancedAccuracy on the validation frame, NaN without validation data
 * @param seconds                    wall-clock time of the epoch, including metrics
 */
public record EpochStats(int epoch, double loss, double trainBalancedAccuracy, double validationBalancedAccuracy,
                         double seconds) implements Serializable {
}
