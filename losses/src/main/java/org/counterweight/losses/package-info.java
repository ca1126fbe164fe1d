/**
 * Imbalance-aware DL4J losses (METHODS.md §2–§3): {@link org.counterweight.losses.Losses#create}
 * turns a spec string into an {@code ILossFunction}, {@link org.counterweight.losses.OutputLayers#create}
 * into a ready output layer. Everything here is JSON-serialisable so that Spark can ship it to
 * executors; per-epoch behaviour (DRW, FAML λ, BBN α) goes through {@link org.counterweight.losses.EpochAware}.
 */
package org.counterweight.losses;
