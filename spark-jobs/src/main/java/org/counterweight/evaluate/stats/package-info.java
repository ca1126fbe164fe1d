/**
 * Statistics for comparing methods (METHODS.md §5): summaries across seeds and folds with a
 * Student-t confidence interval, the paired Wilcoxon signed-rank test, and the Friedman test with
 * the Nemenyi critical difference over datasets (Demšar, "Statistical Comparisons of Classifiers
 * over Multiple Data Sets", JMLR 7, 2006). Distributions come from Apache Commons Math.
 */
package org.counterweight.evaluate.stats;
