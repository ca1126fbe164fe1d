package org.counterweight.resample;

import java.util.SortedMap;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;

/**
 * {@code smote-enn}: SMOTE, then Edited Nearest Neighbours on every class, as imbalanced-learn
 * 0.10's {@code SMOTEENN} (its default cleaner is
 * {@code EditedNearestNeighbours(sampling_strategy='all')}, {@code n_neighbors=3},
 * {@code kind_sel='all'}; here {@code nNeighbors} and {@code kindSel} set them).
 */
public class SmoteEnn extends SmoteThenClean {
    private static final long serialVersionUID = 1L;

    private final IntParam nNeighbors;
    private final Param<String> kindSel;

    public SmoteEnn() {
        this(null);
    }

    public SmoteEnn(String uid) {
        super("smote-enn", uid);
        nNeighbors = EnnParams.nNeighbors(this);
        kindSel = EnnParams.kindSel(this);
        setDefault(nNeighbors, 3);
        setDefault(kindSel, EnnParams.ALL);
    }

    @Override
    protected CleaningSampler newCleaner() {
        return new EditedNearestNeighbours();
    }

    @Override
    protected void checkCounts(ClassStats stats, SortedMap<Integer, Long> targets) {
        super.checkCounts(stats, targets);
        EnnParams.checkRows(methodName(), getNNeighbors(), stats.total());
    }

    public IntParam nNeighbors() {
        return nNeighbors;
    }

    public Param<String> kindSel() {
        return kindSel;
    }

    public int getNNeighbors() {
        return (Integer) $(nNeighbors);
    }

    public String getKindSel() {
        return $(kindSel);
    }

    public SmoteEnn setNNeighbors(int v) {
        set(nNeighbors, v);
        return this;
    }

    public SmoteEnn setKindSel(String v) {
        set(kindSel, v);
        return this;
    }
}
