package org.counterweight.evaluate;

import java.io.Serializable;
import java.util.List;

/**
 * Everything the metrics are computed from: the confusion matrix, the one-vs-rest rankings of
 * each class's probability column and the minority class. Small (O(K²)), so it lives on the
 * driver; {@link MetricTable} turns it into named values.
 *
 * @param confusion     K×K counts
 * @param rankings      one entry per class, index = class
 * @param minorityClass the class whose F1 is {@code f1_minority} and which is the positive class
 *                      of binary average precision (see {@link #minorityOf(ConfusionMatrix)})
 */
public record Evaluation(ConfusionMatrix confusion, List<ClassRanking> rankings, int minorityClass)
        implements Serializable {

    /** Checks sizes. */
    public Evaluation {
        if (rankings.size() != confusion.numClasses()) {
            throw new IllegalArgumentException("rankings for " + rankings.size() + " classes, confusion matrix has "
                    + confusion.numClasses());
        }
        if (minorityClass < 0 || minorityClass >= confusion.numClasses()) {
            throw new IllegalArgumentException("minority class " + minorityClass + " is not in 0.."
                    + (confusion.numClasses() - 1));
        }
        rankings = List.copyOf(rankings);
    }

    /** Number of classes K. */
    public int numClasses() {
        return confusion.numClasses();
    }

    /**
     * The minority class of the evaluated labels: the smallest support among classes that occur,
     * ties broken towards the highest class index (so a balanced binary task uses class 1, as
     * scikit-learn's {@code pos_label=1}). Classes absent from the labels are not candidates:
     * their F1 would be 0 whatever the model did.
     */
    public static int minorityOf(ConfusionMatrix confusion) {
        long[] support = new long[confusion.numClasses()];
        for (int k = 0; k < support.length; k++) {
            support[k] = confusion.support(k);
        }
        return minorityOf(support);
    }

    /** The minority class by rows per class, {@code support[k]}: as {@link #minorityOf(ConfusionMatrix)}. */
    public static int minorityOf(long[] support) {
        int best = -1;
        for (int k = 0; k < support.length; k++) {
            if (support[k] > 0 && (best < 0 || support[k] <= support[best])) {
                best = k;
            }
        }
        if (best < 0) {
            throw new IllegalArgumentException("no rows to evaluate");
        }
        return best;
    }
}
