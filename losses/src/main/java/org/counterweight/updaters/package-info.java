/**
 * The optimizers: {@link org.counterweight.updaters.OptimizerSpec} parses an optimizer spec
 * ({@code adam(lr=0.001)}, {@code adagrad(...)}, {@code sgd(...)} with warm-up, step decay and
 * weight decay) into a DL4J {@code IUpdater}; for Adam and AdaGrad that is one of this package's
 * Java updaters.
 *
 * <p>Adam and AdaGrad computed in Java instead of by libnd4j's updater ops: {@link
 * org.counterweight.updaters.JavaAdam} and {@link org.counterweight.updaters.JavaAdaGrad} are
 * drop-in DL4J {@code IUpdater} configurations with the hyper-parameters, defaults, state layout
 * and arithmetic of DL4J 1.0.0-M2's {@code Adam} and {@code AdaGrad}, so networks, model files,
 * Spark parameter averaging and checkpoints behave as with DL4J's own; only the update loop is
 * different (a plain loop over the off-heap buffers, several times cheaper per parameter than the
 * native op in this ND4J build; docs/training.md "Speed"). {@code JavaUpdatersTest} compares them
 * with DL4J's to the bit, so a DL4J upgrade that changes DL4J's arithmetic fails there.
 *
 * <p>The package keeps its name although it holds the optimizer spec too: DL4J writes an
 * updater's class name into every configuration JSON, so model files and checkpoints name
 * {@code org.counterweight.updaters.JavaAdam} and would not load after a rename.
 */
package org.counterweight.updaters;
