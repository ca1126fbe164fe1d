package org.counterweight.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.Columns;

/** Test data as labeled frames (features, label, row_id). */
final class TrainFixtures {
    static final StructType SCHEMA = new StructType()
            .add(Columns.FEATURES, new VectorUDT(), false)
            .add(Columns.LABEL, DataTypes.DoubleType, false)
            .add(Columns.ROW_ID, DataTypes.LongType, false);

    private TrainFixtures() {
    }

    /** The satimage subset (tools/fixtures/satimage_subset.py): 800 rows, 36 features, 720:80. */
    static Dataset<Row> satimage(SparkSession spark) {
        String path = TrainFixtures.class.getResource("/train/satimage-subset.csv").getPath();
        List<Row> rows = new ArrayList<>();
        long id = 0;
        for (Row r : spark.read().option("header", "true").option("inferSchema", "true").csv(path).collectAsList()) {
            double[] x = new double[r.length() - 1];
            for (int i = 0; i < x.length; i++) {
                x[i] = ((Number) r.get(i)).doubleValue();
            }
            rows.add(RowFactory.create(Vectors.dense(x), ((Number) r.get(r.length() - 1)).doubleValue(), id++));
        }
        return spark.createDataFrame(rows, SCHEMA).repartition(2);
    }

    /** Rows with row_id % 4 != 0 (75 %). */
    static Dataset<Row> trainPart(Dataset<Row> all) {
        return all.filter("row_id % 4 != 0");
    }

    /** Rows with row_id % 4 == 0 (25 %). */
    static Dataset<Row> testPart(Dataset<Row> all) {
        return all.filter("row_id % 4 = 0");
    }
}
