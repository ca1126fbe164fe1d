package org.counterweight.evaluate;

import java.io.Serializable;
import java.util.List;

/**
 * How well {@code prob_k} ranks class k against the rest (one-vs-rest), computed exactly over
 * all rows by {@link RankingAggregator}. For a binary task only the classes the metrics use are
 * ranked (class 1 for AUC, the minority class for AP); the other class has NaN AUC and AP and no
 * curve points.
 *
 * @param positives        rows of class k (P)
 * @param negatives        rows of the other classes (N)
 * @param auc              area under the ROC curve, the Mann–Whitney statistic with tied scores
 *                         counted one half; NaN when P = 0 or N = 0 (undefined; scikit-learn raises)
 * @param averagePrecision scikit-learn's step-function average precision
 *                         {@code sum_n (R_n - R_{n-1}) P_n} over distinct thresholds; NaN when P = 0
 * @param roc              ROC points at a few score quantiles, from (0,0) to (1,1), for charts
 * @param precisionRecall  precision–recall points at the same thresholds, ending at recall 0,
 *                         precision 1 as scikit-learn's curve does
 */
public record ClassRanking(long positives, long negatives, double auc, double averagePrecision,
                           List<CurvePoint> roc, List<CurvePoint> precisionRecall) implements Serializable {
    /** True when both classes of the one-vs-rest task occur, so AUC and AP are defined. */
    public boolean defined() {
        return positives > 0 && negatives > 0;
    }
}
