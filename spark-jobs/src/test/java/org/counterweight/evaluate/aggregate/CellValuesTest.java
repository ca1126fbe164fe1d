package org.counterweight.evaluate.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.SparkTestSupport;
import org.junit.jupiter.api.Test;

/** Columns are read by name, in any order and with any numeric type. */
class CellValuesTest {

    @Test
    void readsColumnsByName() {
        SparkSession spark = SparkTestSupport.spark();
        StructType schema = new StructType().add("value", DataTypes.DoubleType).add("extra", DataTypes.StringType)
                .add("fold", DataTypes.IntegerType).add("seed", DataTypes.IntegerType).add("metric", DataTypes.StringType)
                .add("method", DataTypes.StringType).add("dataset", DataTypes.StringType);
        List<CellValue> v = CellValues.collect(spark.createDataFrame(
                List.of(RowFactory.create(0.25, "x", 2, 7, "mcc", "focal", "sat")), schema));
        assertEquals(List.of(new CellValue("sat", "focal", 7, 2, "mcc", 0.25)), v);
    }
}
