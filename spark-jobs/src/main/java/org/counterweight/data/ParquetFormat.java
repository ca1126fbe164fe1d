package org.counterweight.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import scala.Tuple2;

/**
 * Parquet (a Spark output directory or a single file): a {@code features} vector column, or
 * numeric feature columns, plus the label column. A {@code row_id} column, if present, is kept
 * as the stable row key; label names stored by {@link DataWriter} in the label column's
 * metadata are honoured, so classes absent from a part keep their index.
 */
final class ParquetFormat {
    /** Column-metadata key under which {@link DataWriter} stores the ordered label values. */
    static final String LABELS_METADATA = "counterweight_labels";

    private ParquetFormat() {
    }

    static ParsedInput parse(Dataset<Row> df, String source, ReadOptions options) {
        List<String> columns = Arrays.asList(df.columns());
        if (!columns.contains(options.labelCol())) {
            throw new DataException(source + ": no label column '" + options.labelCol() + "' (columns: "
                    + CsvFormat.abbreviate(columns) + ")", "--label-col", "choose one with --label-col");
        }
        boolean vectorColumn = options.features() == null && columns.contains(Columns.FEATURES)
                && df.schema().apply(Columns.FEATURES).dataType().equals(SQLDataTypes.VectorType());
        List<String> featureCols = new ArrayList<>();
        if (!vectorColumn) {
            List<String> candidates = options.features() != null ? options.features() : columns;
            for (String c : candidates) {
                if (!columns.contains(c)) {
                    throw new DataException(source + ": no feature column '" + c + "' (columns: " + CsvFormat.abbreviate(columns) + ")");
                }
                boolean implicit = options.features() == null;
                if (c.equals(options.labelCol()) || implicit && (c.equals(Columns.ROW_ID) || c.equals(Columns.SYNTHETIC))) {
                    if (!implicit) {
                        throw new DataException(source + ": column '" + c + "' cannot be a feature");
                    }
                    continue;
                }
                DataType t = df.schema().apply(c).dataType();
                if (!(t instanceof NumericType)) {
                    throw new DataException(source + ": column '" + c + "' has type " + t.simpleString() + ", not numeric",
                            "--features", "name the feature columns with --features");
                }
                featureCols.add(c);
            }
            if (featureCols.isEmpty()) {
                throw new DataException(source + ": no feature columns");
            }
        }
        boolean hasRowId = columns.contains(Columns.ROW_ID) && df.schema().apply(Columns.ROW_ID).dataType().equals(DataTypes.LongType);
        List<org.apache.spark.sql.Column> select = new ArrayList<>();
        select.add(df.col(options.labelCol()).cast(DataTypes.StringType));
        if (vectorColumn) {
            select.add(df.col(Columns.FEATURES));
        } else {
            for (String c : featureCols) {
                select.add(df.col(c).cast(DataTypes.DoubleType));
            }
        }
        if (hasRowId) {
            select.add(df.col(Columns.ROW_ID));
        }
        Dataset<Row> sel = df.select(select.toArray(new org.apache.spark.sql.Column[0]));
        String[] names = featureCols.toArray(new String[0]);
        String label = options.labelCol();
        JavaRDD<Tuple2<Row, Long>> rows = hasRowId
                ? sel.javaRDD().map(r -> new Tuple2<>(r, r.getLong(r.length() - 1)))
                : sel.javaRDD().zipWithIndex().map(t -> new Tuple2<>(t._1(), t._2()));
        JavaRDD<ParsedRecord> records = rows.map(t -> record(source, label, names, vectorColumn, t._1(), t._2()));
        List<String> featureNames = vectorColumn ? null : featureCols;
        return new ParsedInput(records, featureNames, source, "has no rows");
    }

    /** Label values stored in the label column's metadata by {@link DataWriter}, or null. */
    static LabelIndex declaredLabels(Dataset<Row> df, String labelCol) {
        if (!Arrays.asList(df.columns()).contains(labelCol)) {
            return null;
        }
        StructField f = df.schema().apply(labelCol);
        Metadata m = f.metadata();
        if (!m.contains(LABELS_METADATA)) {
            return null;
        }
        return LabelIndex.of(Arrays.asList(m.getStringArray(LABELS_METADATA)));
    }

    private static ParsedRecord record(String source, String labelCol, String[] names, boolean vectorColumn, Row r, long rowId) {
        String where = source + " row " + rowId;
        if (r.isNullAt(0)) {
            return ParsedRecord.invalid(rowId, where + ", column '" + labelCol + "': missing label");
        }
        double[] values;
        if (vectorColumn) {
            if (r.isNullAt(1)) {
                return ParsedRecord.invalid(rowId, where + ", column 'features': missing vector");
            }
            values = ((Vector) r.get(1)).toArray();
        } else {
            values = new double[names.length];
            for (int j = 0; j < names.length; j++) {
                if (r.isNullAt(j + 1)) {
                    return ParsedRecord.invalid(rowId, where + ", column '" + names[j] + "': missing value");
                }
                values[j] = r.getDouble(j + 1);
            }
        }
        for (int j = 0; j < values.length; j++) {
            if (!Double.isFinite(values[j])) {
                String col = vectorColumn ? "features[" + j + "]" : names[j];
                return ParsedRecord.invalid(rowId, where + ", column '" + col + "': " + values[j] + " is not a finite number");
            }
        }
        return ParsedRecord.dense(rowId, r.getString(0), values);
    }
}
