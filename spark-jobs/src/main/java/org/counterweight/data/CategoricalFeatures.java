package org.counterweight.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Where a prepared frame's categorical features sit in its {@code features} vector and how many
 * categories each has: at {@code positions[i]} the vector holds a category index 0 … {@code levels[i]} − 1
 * as a double (the training part's categories, most frequent first), or {@code levels[i]} for a
 * category the training part did not have (the "unknown" slot; only in validation, test and
 * scored rows). The network sees these one-hot encoded; SMOTE-NC sees the indices.
 *
 * @param positions positions in the feature vector, ascending
 * @param levels    number of training categories per position
 */
public record CategoricalFeatures(int[] positions, int[] levels) implements Serializable {
    public CategoricalFeatures {
        if (positions.length != levels.length) {
            throw new IllegalArgumentException(positions.length + " positions but " + levels.length + " level counts");
        }
        positions = positions.clone();
        levels = levels.clone();
    }

    /** Number of categorical features. */
    public int size() {
        return positions.length;
    }

    @Override
    public int[] positions() {
        return positions.clone();
    }

    @Override
    public int[] levels() {
        return levels.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalFeatures c && Arrays.equals(positions, c.positions) && Arrays.equals(levels, c.levels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(positions) + Arrays.hashCode(levels);
    }

    @Override
    public String toString() {
        return "CategoricalFeatures" + Arrays.toString(positions) + " levels " + Arrays.toString(levels);
    }
}
