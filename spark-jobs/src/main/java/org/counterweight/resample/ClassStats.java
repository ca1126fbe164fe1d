package org.counterweight.resample;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.counterweight.data.DataException;
import org.counterweight.data.LabelIndex;
import org.counterweight.data.LabeledFrame;

/**
 * Rows per class of a labeled frame (only classes present in the data), plus the first row id
 * of each class. imbalanced-learn picks the majority/minority class as the first class in
 * sorted label order among equal counts ({@code np.unique}), except NearMiss, which uses the
 * first class in row order ({@code Counter(y)}); both tie rules are offered here.
 */
public final class ClassStats implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SortedMap<Integer, Long> counts;
    private final Map<Integer, Long> firstRowId;
    private final long maxRowId;

    /**
     * @param counts     rows per class index
     * @param firstRowId smallest row id per class (may be empty when unknown; then row-order
     *                   ties fall back to label order)
     * @param maxRowId   largest row id (new rows are numbered above it)
     */
    public ClassStats(Map<Integer, Long> counts, Map<Integer, Long> firstRowId, long maxRowId) {
        this.counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
        this.firstRowId = Map.copyOf(firstRowId);
        this.maxRowId = maxRowId;
    }

    /** Counts with no row-order information (row ids assumed 0..total-1). */
    public static ClassStats of(Map<Integer, Long> counts) {
        return new ClassStats(counts, Map.of(), counts.values().stream().mapToLong(Long::longValue).sum() - 1);
    }

    /**
     * Counts the classes of {@code data} in one job. Labels must be non-negative integers
     * (class indexes as doubles, the data contract); anything else is a {@link DataException}
     * naming the column.
     */
    public static ClassStats of(Dataset<Row> data, String labelCol, String rowIdCol) {
        Map<Integer, Long> counts = new LinkedHashMap<>();
        Map<Integer, Long> first = new LinkedHashMap<>();
        long max = -1;
        for (Row r : data.groupBy(functions.col(labelCol))
                .agg(functions.count(functions.lit(1)), functions.min(functions.col(rowIdCol)),
                        functions.max(functions.col(rowIdCol)))
                .collectAsList()) {
            if (r.isNullAt(0)) {
                throw new DataException("column '" + labelCol + "' has null labels");
            }
            double v = ((Number) r.get(0)).doubleValue();
            if (v < 0 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
                throw new DataException("column '" + labelCol + "' must hold class indexes 0..K-1, found " + v + "; "
                        + LabeledFrame.HOW_TO_CONVERT);
            }
            counts.put((int) v, r.getLong(1));
            first.put((int) v, r.getLong(2));
            max = Math.max(max, r.getLong(3));
        }
        return new ClassStats(counts, first, max);
    }

    /** Rows per class, in class order. */
    public SortedMap<Integer, Long> counts() {
        return counts;
    }

    /** Rows of class {@code c} (0 when absent). */
    public long count(int c) {
        return counts.getOrDefault(c, 0L);
    }

    /** Largest row id of the data. */
    public long maxRowId() {
        return maxRowId;
    }

    /** Number of classes present. */
    public int classes() {
        return counts.size();
    }

    /** Total rows. */
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Largest class; ties to the smallest class index (imbalanced-learn's {@code max(dict)}). */
    public int majority() {
        int best = -1;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            if (best < 0 || e.getValue() > counts.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** Smallest class; ties to the smallest class index (imbalanced-learn's {@code min(dict)}). */
    public int minority() {
        int best = -1;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            if (best < 0 || e.getValue() < counts.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    /**
     * Smallest class; ties to the class whose first row comes first (NearMiss's
     * {@code min(Counter(y))}, which iterates classes in order of first appearance).
     */
    public int minorityInRowOrder() {
        int best = -1;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            int c = e.getKey();
            if (best < 0 || e.getValue() < counts.get(best)
                    || (e.getValue().equals(counts.get(best)) && firstRow(c) < firstRow(best))) {
                best = c;
            }
        }
        return best;
    }

    private long firstRow(int c) {
        return firstRowId.getOrDefault(c, (long) c);
    }

    /** How messages name class {@code c}: its original label value when known, else its index. */
    static String name(int c, LabelIndex labels) {
        return labels != null && c < labels.size() ? labels.value(c) : Integer.toString(c);
    }

    /** {@code "a: 5, b: 7"}: rows per class, classes named as {@link #name} does. */
    static String describe(Map<Integer, Long> counts, LabelIndex labels) {
        return counts.entrySet().stream().map(e -> name(e.getKey(), labels) + ": " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The classes present, named as {@link #name} does. */
    String names(LabelIndex labels) {
        return counts.keySet().stream().map(c -> name(c, labels)).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
