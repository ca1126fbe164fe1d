package org.counterweight.evaluate.aggregate;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Reads cell values from a query result by column name. */
public final class CellValues {
    /** The columns a frame of cell values needs (others are ignored). */
    public static final List<String> COLUMNS = List.of("dataset", "method", "seed", "fold", "metric", "value");

    private CellValues() {
    }

    /** The rows of {@code frame} (columns {@link #COLUMNS}, in any order) as cell values, on the driver. */
    public static List<CellValue> collect(Dataset<Row> frame) {
        return frame.selectExpr(COLUMNS.toArray(String[]::new)).collectAsList().stream()
                .map(r -> new CellValue(r.getAs("dataset"), r.getAs("method"), number(r, "seed").longValue(),
                        number(r, "fold").intValue(), r.getAs("metric"), number(r, "value").doubleValue()))
                .toList();
    }

    // Whatever integer or floating type a query gives the column.
    private static Number number(Row r, String column) {
        return r.getAs(column);
    }
}
