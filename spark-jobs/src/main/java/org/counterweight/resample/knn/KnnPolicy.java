package org.counterweight.resample.knn;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resampler's {@code knn} choice applied to one search: the exact or the approximate search,
 * by {@link KnnMode#resolve} on the search's query × reference pairs. The choice is logged.
 */
public final class KnnPolicy implements NeighbourSearch {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KnnPolicy.class);

    private final String what;
    private final KnnMode mode;
    private final long maxExactPairs;
    private final int candidates;
    private final NeighbourSearch exact;
    private final NeighbourSearch approx;

    /**
     * @param what          the search in log lines, e.g. {@code smote class 1}
     * @param mode          the {@code knn} param
     * @param maxExactPairs {@code auto}: largest number of pairs searched exactly
     * @param candidates    the approximate search's candidates per query
     */
    public KnnPolicy(String what, KnnMode mode, long maxExactPairs, int candidates, NeighbourSearch exact,
                     NeighbourSearch approx) {
        this.what = what;
        this.mode = mode;
        this.maxExactPairs = maxExactPairs;
        this.candidates = candidates;
        this.exact = exact;
        this.approx = approx;
    }

    /** The search run for {@code queryCount} queries against {@code refCount} references (logged). */
    public KnnMode choose(long queryCount, long refCount) {
        double pairs = (double) queryCount * refCount;
        KnnMode chosen = mode.resolve(queryCount, refCount, maxExactPairs, candidates);
        String why = "";
        if (mode == KnnMode.AUTO) {
            why = pairs > maxExactPairs ? " > knnExactMaxPairs " + maxExactPairs : " <= knnExactMaxPairs " + maxExactPairs;
            if (pairs > maxExactPairs && chosen == KnnMode.EXACT) {
                why += ", but fewer than " + KnnMode.MIN_REFS_PER_CANDIDATE + " x knnCandidates " + candidates
                        + " references";
            }
        }
        LOG.info("{}: knn={} -> {} search ({} queries x {} references = {} pairs{})", what, mode.id(), chosen.id(),
                queryCount, refCount, String.format("%.3g", pairs), why);
        return chosen;
    }

    @Override
    public Dataset<Row> search(Dataset<Row> queries, Dataset<Row> refs, long queryCount, long refCount, int dim) {
        NeighbourSearch s = choose(queryCount, refCount) == KnnMode.EXACT ? exact : approx;
        return s.search(queries, refs, queryCount, refCount, dim);
    }
}
