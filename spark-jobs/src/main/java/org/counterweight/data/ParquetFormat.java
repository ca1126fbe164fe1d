package org.counterweight.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import scala.Option;
import scala.Tuple2;

/**
 * Parquet (a Spark output directory or a single file): a {@code features} vector column, or
 * numeric feature columns and categorical ones of any simple type ({@link ReadOptions#categorical}),
 * plus the label column (optional for data to score). Nulls and NaN in features are missing values;
 * a null label is an error. A {@code row_id}
 * column, if present, is kept as the stable row key; label names stored by {@link DataWriter} in
 * the label column's metadata are honoured, so classes absent from a part keep their index.
 *
 * <p>Named features are columns when the file has them all; otherwise they are picked from the
 * {@code features} vector by the names it carries ({@link #vectorNames}: stored by
 * {@link DataWriter} or by Spark ML), or, without such names, by the positional names
 * {@code f0, f1, ...} the reader gives the vector's entries. In-memory frames
 * ({@link LabeledFrame#of}) are read the same way, from a vector column of any name.
 */
final class ParquetFormat implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Column-metadata key under which {@link DataWriter} stores the ordered label values. */
    static final String LABELS_METADATA = "counterweight_labels";

    private final String source;
    private final String labelCol;
    private final boolean labeled;
    /** Feature column names (null when the features come from the vector column). */
    private final String[] names;
    /** Vector positions of the named features (null: the whole vector, or feature columns). */
    private final int[] slice;
    private final boolean hasId;
    /** The vector column's name, for messages. */
    private final String vectorCol;
    /** Per named feature, its place among the categorical ones or -1; null without categorical features. */
    private final int[] categorySlots;
    private final int categoricals;

    private ParquetFormat(String source, String labelCol, boolean labeled, String[] names, int[] slice, boolean hasId,
                          String vectorCol, int[] categorySlots) {
        this.source = source;
        this.labelCol = labelCol;
        this.labeled = labeled;
        this.names = names;
        this.slice = slice;
        this.hasId = hasId;
        this.vectorCol = vectorCol;
        this.categorySlots = categorySlots;
        this.categoricals = categorySlots == null ? 0 : CategoricalColumns.positions(categorySlots).length;
    }

    /** A Parquet file's rows: features from the {@code features} vector column or numeric columns. */
    static ParsedInput parse(Dataset<Row> df, String source, ReadOptions options) {
        return parse(df, source, options, Columns.FEATURES);
    }

    /**
     * Rows of {@code df} with the features from vector column {@code vectorCol} when it has one
     * (picking {@code options.features()} from it by name unless they are all columns), else from
     * numeric columns.
     */
    static ParsedInput parse(Dataset<Row> df, String source, ReadOptions options, String vectorCol) {
        List<String> columns = Arrays.asList(df.columns());
        boolean labeled = columns.contains(options.labelCol());
        if (!labeled && !options.labelOptional()) {
            throw new DataException(source + ": no label column '" + options.labelCol() + "' (columns: "
                    + CsvFormat.abbreviate(columns) + ")", "--label-col", "choose one with --label-col");
        }
        String idCol = options.idCol();
        if (idCol != null && !columns.contains(idCol)) {
            throw new DataException(source + ": no id column '" + idCol + "' (columns: " + CsvFormat.abbreviate(columns) + ")");
        }
        List<String> requested = options.features();
        boolean hasVector = columns.contains(vectorCol)
                && df.schema().apply(vectorCol).dataType().equals(SQLDataTypes.VectorType());
        boolean vectorColumn = hasVector && (requested == null || !columns.containsAll(requested));
        if (vectorColumn && !options.categorical().isEmpty()) {
            throw new DataException(source + ": categorical features must be columns of their own, not entries of vector '"
                    + vectorCol + "' (name the feature columns with --features)", "--features", "name the feature columns with --features");
        }
        int[] slice = vectorColumn && requested != null ? vectorPositions(df, vectorCol, requested, source) : null;
        List<String> featureCols = new ArrayList<>();
        if (!vectorColumn) {
            List<String> candidates = requested != null ? requested : columns;
            List<String> missing = new ArrayList<>(candidates);
            missing.removeAll(columns);
            if (!missing.isEmpty()) {
                throw CsvFormat.missingFeatures(source, missing, columns);
            }
            for (String c : candidates) {
                boolean implicit = requested == null;
                if (c.equals(options.labelCol())
                        || implicit && (c.equals(Columns.ROW_ID) || c.equals(Columns.SYNTHETIC) || c.equals(idCol))) {
                    if (!implicit) {
                        throw new DataException(source + ": column '" + c + "' cannot be a feature");
                    }
                    continue;
                }
                DataType t = df.schema().apply(c).dataType();
                boolean categorical = options.categorical().contains(c);
                if (categorical && !(t instanceof NumericType || t.equals(DataTypes.StringType) || t.equals(DataTypes.BooleanType))) {
                    throw new DataException(source + ": categorical column '" + c + "' has type " + t.simpleString()
                            + "; categories must be text, numbers or booleans");
                }
                if (!categorical && !(t instanceof NumericType)) {
                    throw new DataException(source + ": column '" + c + "' has type " + t.simpleString() + ", not numeric",
                            "--features", "name the feature columns with --features");
                }
                featureCols.add(c);
            }
            if (featureCols.isEmpty()) {
                throw new DataException(source + ": no feature columns");
            }
        }
        int[] slots = vectorColumn ? null : CategoricalColumns.slots(source, featureCols, options, columns);
        boolean hasRowId = columns.contains(Columns.ROW_ID) && df.schema().apply(Columns.ROW_ID).dataType().equals(DataTypes.LongType);
        List<org.apache.spark.sql.Column> select = new ArrayList<>();
        if (labeled) {
            select.add(df.col(options.labelCol()).cast(DataTypes.StringType));
        }
        if (vectorColumn) {
            select.add(df.col(Columns.quoted(vectorCol)));
        } else {
            for (int j = 0; j < featureCols.size(); j++) {
                select.add(df.col(featureCols.get(j)).cast(slots != null && slots[j] >= 0 ? DataTypes.StringType : DataTypes.DoubleType));
            }
        }
        if (idCol != null) {
            select.add(df.col(idCol).cast(DataTypes.StringType));
        }
        if (hasRowId) {
            select.add(df.col(Columns.ROW_ID));
        }
        Dataset<Row> sel = df.select(select.toArray(new org.apache.spark.sql.Column[0]));
        ParquetFormat format = new ParquetFormat(source, options.labelCol(), labeled,
                vectorColumn ? null : featureCols.toArray(new String[0]), slice, idCol != null, vectorCol, slots);
        JavaRDD<Tuple2<Row, Long>> rows = hasRowId
                ? sel.javaRDD().map(r -> new Tuple2<>(r, r.getLong(r.length() - 1)))
                : sel.javaRDD().zipWithIndex().map(t -> new Tuple2<>(t._1(), t._2()));
        JavaRDD<ParsedRecord> records = rows.map(t -> format.record(t._1(), t._2()));
        List<String> featureNames = vectorColumn ? requested : featureCols;
        return new ParsedInput(records, featureNames, source, "has no rows", labeled);
    }

    /**
     * Positions in vector column {@code vectorCol} of the {@code requested} names: the names it
     * carries ({@link #vectorNames}), else {@code f<j>} = position j. All missing names in one error.
     */
    private static int[] vectorPositions(Dataset<Row> df, String vectorCol, List<String> requested, String source) {
        List<String> stored = vectorNames(df.schema().apply(vectorCol));
        int[] positions = new int[requested.size()];
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < positions.length; j++) {
            String f = requested.get(j);
            positions[j] = stored != null ? stored.indexOf(f) : DataReader.position(f);
            if (positions[j] < 0) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            List<String> available = new ArrayList<>(Arrays.asList(df.columns()));
            if (stored != null) {
                available.addAll(stored);
            }
            throw CsvFormat.missingFeatures(source, missing, available);
        }
        return positions;
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

    /**
     * The feature names a vector column carries: those {@link DataWriter} stored, else the names
     * of its Spark ML attributes (as {@code VectorAssembler} sets them) when every entry has a
     * distinct one, else null.
     */
    static List<String> vectorNames(StructField vector) {
        Metadata m = vector.metadata();
        if (m.contains(DataWriter.FEATURES_METADATA)) {
            return Arrays.asList(m.getStringArray(DataWriter.FEATURES_METADATA));
        }
        Option<Attribute[]> attrs = AttributeGroup.fromStructField(vector).attributes();
        if (attrs.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (Attribute a : attrs.get()) {
            if (a.name().isEmpty()) {
                return null;
            }
            names.add(a.name().get());
        }
        return new HashSet<>(names).size() == names.size() ? names : null;
    }

    private ParsedRecord record(Row r, long rowId) {
        String where = source + " row " + rowId;
        int at = 0;
        String label = null;
        if (labeled) {
            if (r.isNullAt(at)) {
                return ParsedRecord.invalid(rowId, where + ", column '" + labelCol + "': missing label");
            }
            label = r.getString(at++);
        }
        double[] values;
        String[] categories = categoricals == 0 ? null : new String[categoricals];
        if (names == null) {
            if (r.isNullAt(at)) {
                return ParsedRecord.invalid(rowId, where + ", column '" + vectorCol + "': missing vector");
            }
            values = ((Vector) r.get(at++)).toArray();
            if (slice != null) {
                double[] all = values;
                values = new double[slice.length];
                for (int j = 0; j < slice.length; j++) {
                    if (slice[j] >= all.length) {
                        return ParsedRecord.invalid(rowId, where + ", column '" + vectorCol + "': " + all.length
                                + " values, no feature f" + slice[j]);
                    }
                    values[j] = all[slice[j]];
                }
            }
        } else {
            values = new double[names.length];
            for (int j = 0; j < names.length; j++, at++) {
                if (categories != null && categorySlots[j] >= 0) {
                    categories[categorySlots[j]] = r.isNullAt(at) ? null : ParsedRecord.category(r.getString(at));
                } else {
                    values[j] = r.isNullAt(at) ? Double.NaN : r.getDouble(at);
                }
            }
        }
        for (int j = 0; j < values.length; j++) {
            if (Double.isInfinite(values[j])) {
                String col = names == null ? vectorCol + "[" + (slice == null ? j : slice[j]) + "]" : names[j];
                return ParsedRecord.invalid(rowId, where + ", column '" + col + "': " + values[j] + " is not a finite number");
            }
        }
        return ParsedRecord.dense(rowId, label, hasId ? r.getString(at) : null, values, categories);
    }
}
