package org.counterweight.resample;

import java.util.List;
import java.util.SortedMap;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.counterweight.resample.knn.NeighbourOrder;
import org.counterweight.resample.knn.NeighbourRows;

/**
 * {@code enn}, Edited Nearest Neighbours (Wilson 1972; docs/resampling.md), as imbalanced-learn
 * 0.10's {@code EditedNearestNeighbours}: each row of a targeted class is judged by its
 * {@code nNeighbors} nearest rows among all rows, any class, itself excluded. {@code kindSel}
 * {@code all} removes it when any of them has another class; {@code mode} when their most
 * common class (ties to the smaller class index, as {@code scipy.stats.mode}) is another. The
 * default {@code auto} cleans every class but the minority. Distance ties go to the smaller row
 * id (imbalanced-learn's order among equidistant rows is its tree's).
 */
public class EditedNearestNeighbours extends CleaningSampler {
    private static final long serialVersionUID = 1L;
    private static final String NEIGHBOUR_CLASSES = "_neighbour_classes";

    private final IntParam nNeighbors;
    private final Param<String> kindSel;

    public EditedNearestNeighbours() {
        this(null);
    }

    public EditedNearestNeighbours(String uid) {
        super("enn", uid);
        nNeighbors = EnnParams.nNeighbors(this);
        kindSel = EnnParams.kindSel(this);
        setDefault(nNeighbors, 3);
        setDefault(kindSel, EnnParams.ALL);
    }

    @Override
    protected void checkCounts(ClassStats stats, SortedMap<Integer, Long> targets) {
        EnnParams.checkRows(methodName(), getNNeighbors(), stats.total());
    }

    @Override
    protected Dataset<Row> flagged(Dataset<Row> data, ClassStats stats, SortedMap<Integer, Long> targets) {
        Dataset<Row> queries = idAndFeatures(data.filter(functions.col(getLabelCol()).isin(targets.keySet().toArray())));
        long queryCount = targets.keySet().stream().mapToLong(stats::count).sum();
        Dataset<Row> nn = search("neighbourhoods", getNNeighbors(), NeighbourOrder.NEAREST, true, false)
                .search(queries, idAndFeatures(data), queryCount, stats.total(), dimension(data));
        Dataset<Row> pairs = nn.select(functions.col(NeighbourRows.ID),
                functions.explode(functions.col(NeighbourRows.NEIGHBOUR_IDS)).as("_neighbour"));
        Dataset<Row> neighbourClass = classes(data).withColumnRenamed(NeighbourRows.ID, "_neighbour")
                .withColumnRenamed(CLASS, "_neighbour_class");
        Dataset<Row> votes = pairs.join(neighbourClass, "_neighbour")
                .groupBy(NeighbourRows.ID).agg(functions.collect_list("_neighbour_class").as(NEIGHBOUR_CLASSES))
                .join(classes(data), NeighbourRows.ID);
        boolean mode = getKindSel().equals(EnnParams.MODE);
        return votes.filter((FilterFunction<Row>) r -> disagrees(r.<Integer>getAs(CLASS),
                        r.<Integer>getList(r.fieldIndex(NEIGHBOUR_CLASSES)), mode))
                .select(NeighbourRows.ID);
    }

    /**
     * Whether a row of class {@code own} is removed: with {@code mode}, when the most common of
     * {@code neighbours} (ties to the smallest class) is not {@code own}; otherwise when any is not.
     */
    static boolean disagrees(int own, List<Integer> neighbours, boolean mode) {
        if (!mode) {
            return neighbours.stream().anyMatch(c -> c != own);
        }
        int best = -1;
        long bestCount = 0;
        for (int c : neighbours) {
            long n = neighbours.stream().filter(x -> x == c).count();
            if (n > bestCount || (n == bestCount && c < best)) {
                best = c;
                bestCount = n;
            }
        }
        return best != own;
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

    public EditedNearestNeighbours setNNeighbors(int v) {
        set(nNeighbors, v);
        return this;
    }

    public EditedNearestNeighbours setKindSel(String v) {
        set(kindSel, v);
        return this;
    }
}
