/**
 * Statistics for comparing methods (METHODS.md §5; Demšar, "Statistical Comparisons of Classifiers
 * over Multiple Data Sets", JMLR 7, 2006). What exists, and nothing else:
 * <ul>
 *   <li>{@link org.counterweight.evaluate.stats.Summary}: mean, sample sd and a 95% Student-t
 *       confidence interval across seeds and folds.</li>
 *   <li>{@link org.counterweight.evaluate.stats.WilcoxonSignedRank}: the two-sided paired
 *       signed-rank test. Exact p-value from the permutation distribution of the observed
 *       (mid-)ranks, ties and zeros included, for up to 50 non-zero differences; the normal
 *       approximation with tie and zero corrections above. Zeros: Pratt's (default) or Wilcoxon's.
 *       {@code acrossDatasets} is the same test on per-dataset means of a method and the baseline
 *       (Demšar §3.1.3).</li>
 *   <li>{@link org.counterweight.evaluate.stats.Holm}: Holm's step-down correction of a family of
 *       p-values (adjusted p-values and rejections at α).</li>
 *   <li>{@link org.counterweight.evaluate.stats.FriedmanTest}: the Friedman test over datasets
 *       (χ²_F with scipy's tie correction, Iman–Davenport F_F), and
 *       {@link org.counterweight.evaluate.stats.Nemenyi}: its post-hoc critical difference
 *       (Demšar §3.2.2).</li>
 * </ul>
 * There is no continuity correction, no one-sided alternative and no other multiple-comparison
 * correction (Bonferroni–Dunn, Hochberg, Shaffer). Distributions come from Apache Commons Math.
 */
package org.counterweight.evaluate.stats;
