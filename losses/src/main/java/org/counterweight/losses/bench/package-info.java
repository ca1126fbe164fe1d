/** Micro-benchmarks of the losses and output layers ({@link org.counterweight.losses.bench.LossBench}). */
package org.counterweight.losses.bench;
