/**
 * Adam and AdaGrad computed in Java instead of by libnd4j's updater ops: {@link
 * org.counterweight.updaters.JavaAdam} and {@link org.counterweight.updaters.JavaAdaGrad} are
 * drop-in DL4J {@code IUpdater} configurations with the hyper-parameters, defaults, state layout
 * and arithmetic of DL4J 1.0.0-M2's {@code Adam} and {@code AdaGrad}, so networks, model files,
 * Spark parameter averaging and checkpoints behave as with DL4J's own; only the update loop is
 * different (a plain loop over the off-heap buffers, several times cheaper per parameter than the
 * native op in this ND4J build; docs/training.md "Speed").
 */
package org.counterweight.updaters;
