package org.counterweight.resample;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The rows an over-sampler adds, enumerated as (class c, draw j) pairs in class order: draw j of
 * class c is global draw {@code start_c + j} and gets the new row id {@code firstNewId + start_c +
 * j}. The enumeration is a {@code range}, so each draw's randomness (a function of seed, c and j)
 * and id are independent of partitioning.
 */
final class Draws implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Column of the new row id in {@link #rows}. */
    static final String NEW_ID = "_new_id";
    /** Draws per task, to spread large draws over the cluster. */
    private static final long DRAWS_PER_PARTITION = 250_000;

    /** What one draw produces (its fields follow the new id). */
    @FunctionalInterface
    interface DrawFn extends Serializable {
        Row draw(int c, long j);
    }

    private final int[] classes;
    private final long[] start;
    private final long total;
    private final long firstNewId;

    Draws(SortedMap<Integer, Long> additions, long firstNewId) {
        classes = additions.keySet().stream().mapToInt(Integer::intValue).toArray();
        start = new long[classes.length];
        long acc = 0;
        for (int i = 0; i < classes.length; i++) {
            start[i] = acc;
            acc += additions.get(classes[i]);
        }
        total = acc;
        this.firstNewId = firstNewId;
    }

    /** {@code target − n_c} for every class whose target exceeds its count. */
    static SortedMap<Integer, Long> additions(ClassStats stats, SortedMap<Integer, Long> targets) {
        SortedMap<Integer, Long> adds = new TreeMap<>();
        targets.forEach((c, t) -> {
            if (t > stats.count(c)) {
                adds.put(c, t - stats.count(c));
            }
        });
        return adds;
    }

    /** One row per draw: the new row id followed by {@code fn}'s fields. */
    JavaRDD<Row> rows(SparkSession spark, DrawFn fn) {
        int parts = (int) Math.max(spark.sparkContext().defaultParallelism(),
                Math.min(10_000, total / DRAWS_PER_PARTITION + 1));
        int[] cls = classes;
        long[] st = start;
        long base = firstNewId;
        return spark.range(0, total, 1, parts).javaRDD().map(g -> {
            int i = Arrays.binarySearch(st, g);
            if (i < 0) {
                i = -i - 2; // starts are strictly increasing: every class has at least one draw
            }
            Row r = fn.draw(cls[i], g - st[i]);
            Object[] v = new Object[r.size() + 1];
            v[0] = base + g;
            for (int k = 0; k < r.size(); k++) {
                v[k + 1] = r.get(k);
            }
            return RowFactory.create(v);
        });
    }
}
