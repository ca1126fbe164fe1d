package org.counterweight.evaluate.aggregate;

import java.util.List;
import org.counterweight.evaluate.stats.FriedmanTest;

/**
 * The Friedman test of one metric over datasets with its Nemenyi critical difference.
 *
 * @param metric             the ranked metric (higher is better)
 * @param datasets           the datasets, by name
 * @param methods            the methods ranked (those with a summary on every dataset), by name;
 *                           {@code friedman.averageRanks()} is in this order
 * @param friedman           the test over the per-dataset means
 * @param alpha              significance level of the critical difference
 * @param criticalDifference Nemenyi's CD of average ranks at {@code alpha}
 */
public record RankTest(String metric, List<String> datasets, List<String> methods, FriedmanTest.Result friedman,
                       double alpha, double criticalDifference) {
    /** Copies the lists. */
    public RankTest {
        datasets = List.copyOf(datasets);
        methods = List.copyOf(methods);
    }
}
