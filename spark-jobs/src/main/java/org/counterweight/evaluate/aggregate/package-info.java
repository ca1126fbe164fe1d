/**
 * Aggregation of an experiment's cell values ({@link org.counterweight.evaluate.aggregate.CellValue}:
 * dataset × method × seed × fold × metric) into what the leaderboard and the report show: a
 * summary per (dataset, method, metric), paired Wilcoxon tests of a method against a baseline, and
 * the Friedman test with the Nemenyi critical difference over datasets. The statistics themselves
 * live in {@link org.counterweight.evaluate.stats}; {@link org.counterweight.evaluate.aggregate.Aggregation}
 * composes them.
 *
 * <p>NaN policy (one for every consumer): a non-finite value (NaN: a metric undefined in that
 * cell, e.g. AUC when the test part has one class) is left out. A summary is over the finite
 * values of its (dataset, method, metric), so its {@code n} counts them; one with no finite value
 * has no summary. A paired test uses the (seed, fold) cells where both methods have a finite
 * value. The Friedman test ranks the methods that have a summary on every dataset.
 */
package org.counterweight.evaluate.aggregate;
