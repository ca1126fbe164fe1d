package org.counterweight.data;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.StringJoiner;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Counting rows per class with one Spark aggregation, and printing such counts. */
public final class ClassCounts {
    private ClassCounts() {
    }

    /** Rows per class index 0..k-1 of a frame whose {@code labelCol} holds class indexes. */
    public static long[] of(Dataset<Row> frame, String labelCol, int k) {
        long[] counts = new long[k];
        List<Row> rows = frame.groupBy(col(labelCol)).count().collectAsList();
        for (Row r : rows) {
            int c = (int) r.getDouble(0);
            if (c < 0 || c >= k) {
                throw new DataException("class index " + c + " outside 0.." + (k - 1) + " in column '" + labelCol + "'");
            }
            counts[c] = r.getLong(1);
        }
        return counts;
    }

    /** {@code "0: 5809, 1: 626"} with the original label values. */
    public static String describe(long[] counts, LabelIndex labels) {
        StringJoiner j = new StringJoiner(", ");
        for (int k = 0; k < counts.length; k++) {
            j.add(labels.value(k) + ": " + counts[k]);
        }
        return j.toString();
    }
}
