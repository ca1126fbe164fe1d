package org.counterweight.resample;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * SMOTE, then a cleaning sampler on its output (Batista et al. 2004; docs/resampling.md), as
 * imbalanced-learn 0.10's {@code SMOTETomek} and {@code SMOTEENN} with their default cleaners:
 * the sampling strategy, seed and {@code kNeighbors} are SMOTE's; the cleaner runs with
 * strategy {@code all} (every class cleaned, synthetic rows included) and takes this stage's
 * other params of the same name ({@code knn}, columns, ENN's {@code nNeighbors}, ...). Exact
 * counts are not a target: SMOTE reaches them, the cleaner then removes what it flags.
 */
public abstract class SmoteThenClean extends Smote {
    private static final long serialVersionUID = 1L;

    protected SmoteThenClean(String name, String uid) {
        super(name, uid);
    }

    /** A new cleaner with default params; {@link #resample} copies the shared ones into it. */
    protected abstract CleaningSampler newCleaner();

    /** The cleaner this stage runs after SMOTE: strategy {@code all}, other params copied by name. */
    public CleaningSampler cleaner() {
        CleaningSampler c = copyValues(newCleaner(), ParamMap.empty());
        c.setSamplingStrategy(SamplingStrategy.Named.ALL.cliName());
        c.setLabelIndex(labelIndex());
        return c;
    }

    @Override
    public Dataset<Row> resample(Dataset<?> data) {
        CleaningSampler cleaner = cleaner(); // its params are checked before SMOTE runs
        // Persisted: the cleaner counts, searches and filters the over-sampled rows.
        return cleaner.resample(super.resample(data).persist(StorageLevel.MEMORY_AND_DISK()));
    }
}
