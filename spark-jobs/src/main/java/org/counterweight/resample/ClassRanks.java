package org.counterweight.resample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Numbers the rows of each class 0, 1, 2, ... in a given total order (a global sort followed by
 * {@code zipWithIndex}, so no class has to fit in one task). The order must be total (end it
 * with the row id) for the ranks to be independent of partitioning.
 */
final class ClassRanks {
    /** Name of the added rank column. */
    static final String RANK = "_rank";

    private ClassRanks() {
    }

    /**
     * @param data     rows of the classes in {@code counts} only
     * @param labelCol class index column
     * @param counts   rows per class present in {@code data}
     * @param order    the order within a class (must be total)
     * @return {@code data} plus a long column {@link #RANK}
     */
    static Dataset<Row> rank(Dataset<Row> data, String labelCol, Map<Integer, Long> counts, Column... order) {
        List<Column> sortCols = new ArrayList<>();
        sortCols.add(functions.col(labelCol));
        sortCols.addAll(List.of(order));
        Dataset<Row> sorted = data.sort(sortCols.toArray(new Column[0]));
        TreeMap<Integer, Long> offsets = new TreeMap<>();
        long acc = 0;
        for (Map.Entry<Integer, Long> e : new TreeMap<>(counts).entrySet()) {
            offsets.put(e.getKey(), acc);
            acc += e.getValue();
        }
        int labelPos = data.schema().fieldIndex(labelCol);
        int width = data.schema().size();
        JavaRDD<Row> ranked = sorted.javaRDD().zipWithIndex().map(t -> {
            Row r = t._1();
            Object[] v = new Object[width + 1];
            for (int i = 0; i < width; i++) {
                v[i] = r.get(i);
            }
            int c = (int) ((Number) r.get(labelPos)).doubleValue();
            v[width] = t._2() - offsets.get(c);
            return RowFactory.create(v);
        });
        StructType schema = data.schema().add(RANK, DataTypes.LongType, false);
        return data.sparkSession().createDataFrame(ranked, schema);
    }
}
