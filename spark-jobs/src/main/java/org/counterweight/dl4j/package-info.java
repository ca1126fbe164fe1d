/**
 * The code that exists because of DL4J/ND4J 1.0.0-M2 (the version pinned in the parent pom), in
 * one place. docs/STACK.md ("DL4J-version-specific code") lists every workaround with its guard;
 * {@code Dl4jWorkaroundsTest} fails, naming the workaround to revisit, when the DL4J version or
 * the behaviour a workaround relies on changes.
 *
 * <ul>
 *   <li>{@link org.counterweight.dl4j.Dl4jRuntime}: per-JVM settings for the driver and the
 *       executors — DL4J's layer helpers switched on (M2 turns them off unless told), JavaCPP's
 *       per-allocation memory check off, oneDNN off under an OpenMP thread limit (it aborts
 *       there). Every entry point calls {@code Dl4jRuntime.ensureConfigured()}.</li>
 *   <li>{@link org.nd4j.nativeblas.Nd4jCpu} (this module, but in ND4J's package because DL4J looks
 *       it up by that name): M2's oneDNN helper check asks for ND4J's native environment under
 *       its pre-M2 class name; the shim forwards to M2's class, so convolution and pooling layers
 *       run through oneDNN.</li>
 *   <li>{@link org.counterweight.dl4j.RoundTrainingMaster}: dl4j-spark's parameter-averaging
 *       master driven one Spark job per round, built on the master's protected members and
 *       DL4J's aggregation functions.</li>
 *   <li>{@link org.counterweight.dl4j.BulkArraySerializer}: ND4J arrays through Kryo as raw bytes;
 *       M2's own serializer writes element by element and cannot write empty arrays.</li>
 * </ul>
 *
 * <p>The losses module (no Spark) keeps its one piece with what it serves: the Java Adam/AdaGrad
 * updaters in {@code org.counterweight.updaters} reproduce M2's arithmetic and state layout and
 * keep a learning-rate schedule through {@code clone()}, which M2's {@code AdaGrad} drops
 * ({@code JavaUpdatersTest} guards both).
 */
package org.counterweight.dl4j;
