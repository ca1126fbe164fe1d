package org.counterweight.resample;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.counterweight.data.DataException;

/** The params of Edited Nearest Neighbours, declared once for {@code enn} and {@code smote-enn}. */
final class EnnParams {
    /** {@code kindSel}: a row is removed when any neighbour disagrees. */
    static final String ALL = "all";
    /** {@code kindSel}: a row is removed when its neighbours' majority vote disagrees. */
    static final String MODE = "mode";

    private EnnParams() {
    }

    static IntParam nNeighbors(Params owner) {
        return new IntParam(owner, "nNeighbors", "enn: nearest rows (any class, itself excluded) that judge a row",
                ParamValidators.gtEq(1));
    }

    static Param<String> kindSel(Params owner) {
        return new Param<>(owner, "kindSel", "enn: all (remove a row when any neighbour has another class) or mode"
                + " (when the neighbours' most common class, ties to the smaller class, is another)",
                Resampler.validator(v -> v.equals(ALL) || v.equals(MODE)));
    }

    /** imbalanced-learn fits nNeighbors + 1 neighbours (the row itself first) on all rows. */
    static void checkRows(String method, int nNeighbors, long rows) {
        if (nNeighbors >= rows) {
            throw new DataException(method + ": n-neighbors=" + nNeighbors + " needs more than " + nNeighbors
                    + " rows, the data has " + rows + "; use --n-neighbors " + Math.max(1, rows - 1) + " or less");
        }
    }
}
