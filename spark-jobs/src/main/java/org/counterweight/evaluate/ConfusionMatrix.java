package org.counterweight.evaluate;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A K×K confusion matrix: {@code count(i, j)} is the number of rows whose true class is {@code i}
 * and whose predicted class is {@code j}, as scikit-learn's {@code confusion_matrix(y, p,
 * labels=range(K))}. Classes that never occur still have their row and column (all zeros), so
 * metrics over all K classes treat them as scikit-learn does when {@code labels=} is given.
 */
public final class ConfusionMatrix implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[][] counts;

    /** Copies {@code counts}, which must be square with non-negative entries and K ≥ 2. */
    public ConfusionMatrix(long[][] counts) {
        int k = counts.length;
        if (k < 2) {
            throw new IllegalArgumentException("a confusion matrix needs at least 2 classes, got " + k);
        }
        this.counts = new long[k][];
        for (int i = 0; i < k; i++) {
            if (counts[i].length != k) {
                throw new IllegalArgumentException("confusion matrix row " + i + " has " + counts[i].length
                        + " entries, expected " + k);
            }
            for (long c : counts[i]) {
                if (c < 0) {
                    throw new IllegalArgumentException("confusion matrix row " + i + " has a negative count " + c);
                }
            }
            this.counts[i] = counts[i].clone();
        }
    }

    /** Number of classes K. */
    public int numClasses() {
        return counts.length;
    }

    /** Rows with true class {@code trueClass} predicted as {@code predictedClass}. */
    public long count(int trueClass, int predictedClass) {
        return counts[trueClass][predictedClass];
    }

    /** True positives of class k: the diagonal entry. */
    public long truePositives(int k) {
        return counts[k][k];
    }

    /** Support of class k: rows whose true class is k (the row sum). */
    public long support(int k) {
        return Arrays.stream(counts[k]).sum();
    }

    /** Rows predicted as class k (the column sum). */
    public long predicted(int k) {
        long s = 0;
        for (long[] row : counts) {
            s += row[k];
        }
        return s;
    }

    /** All rows. */
    public long total() {
        long s = 0;
        for (long[] row : counts) {
            s += Arrays.stream(row).sum();
        }
        return s;
    }

    /** Correctly classified rows: the trace. */
    public long correct() {
        long s = 0;
        for (int k = 0; k < counts.length; k++) {
            s += counts[k][k];
        }
        return s;
    }

    /** Recall of class k: true positives / support, 0 when the class has no rows (0/0 = 0). */
    public double recall(int k) {
        long support = support(k);
        return support == 0 ? 0 : (double) truePositives(k) / support;
    }

    /**
     * Mean recall over the classes that occur (support &gt; 0), scikit-learn's
     * {@code balanced_accuracy_score}; NaN when no class occurs.
     */
    public double balancedAccuracy() {
        double sum = 0;
        int present = 0;
        for (int k = 0; k < counts.length; k++) {
            if (support(k) > 0) {
                sum += recall(k);
                present++;
            }
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** A copy of the counts. */
    public long[][] toArray() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix && Arrays.deepEquals(((ConfusionMatrix) o).counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + Arrays.deepToString(counts);
    }
}
