package org.counterweight.resample;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * Numbers the rows of each class 0, 1, 2, ... in a given total order (a window
 * {@code row_number} per class). The order must be total (end it with the row id) for the ranks
 * to be independent of partitioning. A class is ranked inside one task, so callers rank narrow
 * rows (ids and keys) when a class is large.
 */
final class ClassRanks {
    /** Name of the added rank column. */
    static final String RANK = "_rank";

    private ClassRanks() {
    }

    /**
     * @param data     rows to rank
     * @param labelCol class column
     * @param order    the order within a class (must be total)
     * @return {@code data} plus a long column {@link #RANK}
     */
    static Dataset<Row> rank(Dataset<Row> data, String labelCol, Column... order) {
        return data.withColumn(RANK, functions.row_number()
                .over(Window.partitionBy(functions.col(labelCol)).orderBy(order)).minus(1).cast("long"));
    }
}
