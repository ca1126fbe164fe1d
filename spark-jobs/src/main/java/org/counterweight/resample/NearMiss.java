package org.counterweight.resample;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.data.DataException;
import org.counterweight.resample.knn.NeighbourRows;
import org.counterweight.resample.knn.NeighbourOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code nearmiss} (Mani &amp; Zhang 2003; METHODS.md §1), exactly as imbalanced-learn 0.10's
 * {@code NearMiss}. Distances are to the minority class: the smallest class, ties to the class
 * whose first row comes first (imbalanced-learn iterates a {@code Counter}). A row's score is the
 * sum (equivalently, the mean) of its distances to {@code nNeighbors} minority rows:
 * <ul>
 *   <li>version 1: the nearest; a targeted class keeps its rows with the smallest scores;</li>
 *   <li>version 2: the farthest; smallest scores kept;</li>
 *   <li>version 3: a short-list of, for every minority row, its {@code nNeighborsVer3} nearest
 *       rows of the targeted class; among those, scores to the nearest minority rows and the
 *       largest are kept. It may keep fewer rows than the target (logged as a warning, as
 *       imbalanced-learn warns).</li>
 * </ul>
 * Score ties are broken by row id (imbalanced-learn's stable sort on row order). Targeted rows
 * are compared to minority rows with a minority row included as its own neighbour, as in
 * imbalanced-learn (only a targeted minority class is affected). Neighbour lists are streamed
 * by the {@code knn} search ({@link KnnResampler}): never all pairwise distances at once.
 */
public class NearMiss extends KnnResampler {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(NearMiss.class);
    private static final String SCORE = "_score";
    private static final String CLASS = "_class";

    private final IntParam version;
    private final IntParam nNeighbors;
    private final IntParam nNeighborsVer3;

    public NearMiss() {
        this(null);
    }

    public NearMiss(String uid) {
        super("nearmiss", SamplerKind.UNDER, uid);
        version = new IntParam(this, "version", "NearMiss version 1, 2 or 3", ParamValidators.inRange(1, 3));
        nNeighbors = new IntParam(this, "nNeighbors", "minority neighbours averaged in a row's score",
                ParamValidators.gtEq(1));
        nNeighborsVer3 = new IntParam(this, "nNeighborsVer3",
                "version 3: nearest targeted-class rows short-listed per minority row", ParamValidators.gtEq(1));
        setDefault(version, 1);
        setDefault(nNeighbors, 3);
        setDefault(nNeighborsVer3, 3);
    }

    /** Version 3 short-lists a class even at its target, and may then keep fewer rows (as imbalanced-learn). */
    @Override
    protected SortedMap<Integer, Long> changing(ClassStats stats, SortedMap<Integer, Long> targets) {
        return getVersion() == 3 ? targets : super.changing(stats, targets);
    }

    @Override
    protected void checkCounts(ClassStats stats, SortedMap<Integer, Long> targets) {
        int minority = stats.minorityInRowOrder();
        long nMin = stats.count(minority);
        if (getNNeighbors() > nMin) {
            throw new DataException("nearmiss: n-neighbors=" + getNNeighbors() + " exceeds the " + nMin
                    + " rows of the minority class " + className(minority) + "; use --n-neighbors " + nMin + " or less");
        }
        if (getVersion() == 3) {
            for (int c : targets.keySet()) {
                if (getNNeighborsVer3() > stats.count(c)) {
                    throw new DataException("nearmiss: n-neighbors-ver3=" + getNNeighborsVer3() + " exceeds the "
                            + stats.count(c) + " rows of targeted class " + className(c) + "; use --n-neighbors-ver3 "
                            + stats.count(c) + " or less");
                }
            }
        }
    }

    @Override
    protected Dataset<Row> resample(Dataset<Row> data, ClassStats stats, SortedMap<Integer, Long> targets) {
        int minority = stats.minorityInRowOrder();
        long nMin = stats.count(minority);
        int d = dimension(data);
        Dataset<Row> minorityRows = idAndFeatures(data.filter(isClass(minority)));
        int v = getVersion();
        Column isProcessed = functions.col(getLabelCol()).isin(targets.keySet().toArray());
        Map<Integer, Long> available = new TreeMap<>();
        Dataset<Row> candidates; // (row id, features, class) of the rows that compete for the targets
        if (v != 3) {
            candidates = data.filter(isProcessed).select(functions.col(getRowIdCol()), functions.col(getFeaturesCol()),
                    functions.col(getLabelCol()).cast("int").as(CLASS));
            targets.keySet().forEach(c -> available.put(c, stats.count(c)));
        } else {
            Dataset<Row> shortLists = null;
            for (int c : targets.keySet()) {
                Dataset<Row> classRows = idAndFeatures(data.filter(isClass(c)));
                Dataset<Row> ids = search("version 3 short-list of class " + className(c), getNNeighborsVer3(),
                        NeighbourOrder.NEAREST, false, false)
                        .search(minorityRows, classRows, nMin, stats.count(c), d)
                        .select(functions.explode(functions.col(NeighbourRows.NEIGHBOUR_IDS)).as(NeighbourRows.ID))
                        .distinct();
                Dataset<Row> listed = classRows.join(ids, classRows.col(getRowIdCol()).equalTo(ids.col(NeighbourRows.ID)),
                        "left_semi").withColumn(CLASS, functions.lit(c));
                shortLists = shortLists == null ? listed : shortLists.union(listed);
            }
            // Persisted: counted here and searched below; recomputing would redo the searches.
            candidates = shortLists.persist(StorageLevel.MEMORY_AND_DISK());
            for (Row r : candidates.groupBy(CLASS).count().collectAsList()) {
                available.put(r.getInt(0), r.getLong(1));
            }
            targets.forEach((c, t) -> {
                if (available.getOrDefault(c, 0L) < t) {
                    LOG.warn("nearmiss version 3: class {} has only {} short-listed rows for a target of {};"
                            + " all of them are kept", className(c), available.getOrDefault(c, 0L), t);
                }
            });
        }
        NeighbourOrder order = v == 2 ? NeighbourOrder.FARTHEST : NeighbourOrder.NEAREST;
        long queryCount = available.values().stream().mapToLong(Long::longValue).sum();
        Dataset<Row> nn = search("scores", getNNeighbors(), order, false, false)
                .search(candidates.select(getRowIdCol(), getFeaturesCol()), minorityRows, queryCount, nMin, d);
        // Sum in ascending distance order, as numpy sums imbalanced-learn's sorted distances.
        Column distances = v == 2 ? functions.reverse(functions.col(NeighbourRows.DISTANCES))
                : functions.col(NeighbourRows.DISTANCES);
        Dataset<Row> scored = nn.select(functions.col(NeighbourRows.ID),
                functions.aggregate(distances, functions.lit(0.0), (acc, x) -> acc.plus(x)).as(SCORE));
        Dataset<Row> scores = scored.join(candidates, scored.col(NeighbourRows.ID).equalTo(candidates.col(getRowIdCol())))
                .select(candidates.col(getRowIdCol()), candidates.col(CLASS), scored.col(SCORE))
                .persist(StorageLevel.MEMORY_AND_DISK()); // ranking sorts it: sample, then read

        Column byScore = v == 3 ? functions.col(SCORE).desc() : functions.col(SCORE).asc();
        Column withinTarget = functions.lit(false);
        for (Map.Entry<Integer, Long> e : targets.entrySet()) {
            withinTarget = withinTarget.or(functions.col(CLASS).equalTo(e.getKey())
                    .and(functions.col(ClassRanks.RANK).lt(e.getValue())));
        }
        Dataset<Row> keep = ClassRanks.rank(scores, CLASS, byScore, functions.col(getRowIdCol()))
                .filter(withinTarget)
                .select(functions.col(getRowIdCol()).as(NeighbourRows.ID));
        Dataset<Row> competing = data.filter(isProcessed);
        Dataset<Row> kept = competing.join(keep, competing.col(getRowIdCol()).equalTo(keep.col(NeighbourRows.ID)),
                "left_semi");
        return data.filter(functions.not(isProcessed)).unionByName(kept);
    }

    public IntParam version() {
        return version;
    }

    public IntParam nNeighbors() {
        return nNeighbors;
    }

    public IntParam nNeighborsVer3() {
        return nNeighborsVer3;
    }

    public int getVersion() {
        return (Integer) $(version);
    }

    public int getNNeighbors() {
        return (Integer) $(nNeighbors);
    }

    public int getNNeighborsVer3() {
        return (Integer) $(nNeighborsVer3);
    }

    public NearMiss setVersion(int v) {
        set(version, v);
        return this;
    }

    public NearMiss setNNeighbors(int v) {
        set(nNeighbors, v);
        return this;
    }

    public NearMiss setNNeighborsVer3(int v) {
        set(nNeighborsVer3, v);
        return this;
    }
}
