package org.counterweight.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a labeled dataset into a validated {@link LabeledFrame}. The format follows the
 * extension: {@code .csv} (header row), {@code .parquet} or a directory (Parquet),
 * {@code .libsvm}/{@code .svm}, IDX images ({@code ...-idx3-ubyte}, read with the matching
 * {@code ...labels-idx1-ubyte} file; see {@link IdxFormat}); {@code .gz} is allowed on all but
 * Parquet. A name without
 * such a file that matches a {@link BuiltinDatasets built-in} reads the built-in.
 *
 * <p>Validation happens in one Spark pass before anything else runs: a missing or empty file,
 * a header without rows, ragged rows, non-numeric, NaN or infinite values, a missing label
 * column, a missing label, an unknown categorical column, a categorical column over the level
 * limit and data with a single class each fail with a {@link DataException} naming the file,
 * line and column (the first offending line when there are several). Missing feature values
 * ({@link ReadOptions#missingValues}) and categorical columns ({@link ReadOptions#categorical})
 * are read into a raw frame ({@link LabeledFrame#raw}) for the preparation to fill in and index.
 *
 * <p>Data to score may lack the label column ({@link ReadOptions#withOptionalLabel}): its frame
 * has no {@code label} column. {@link ReadOptions#withIdCol} carries an id column along as text.
 */
public final class DataReader {
    private static final Logger LOG = LoggerFactory.getLogger(DataReader.class);
    /** How messages name an in-memory frame ({@link #fromFrame}). */
    static final String FRAME = "frame";
    /** Features of formats without names are called f0, f1, ... by position. */
    private static final String POSITIONAL_PREFIX = "f";

    private DataReader() {
    }

    /** Reads {@code path} (or a built-in dataset name) with default options. */
    public static LabeledFrame read(SparkSession spark, String path) {
        return read(spark, path, ReadOptions.defaults());
    }

    /** Reads {@code path} (or a built-in dataset name). */
    public static LabeledFrame read(SparkSession spark, String path, ReadOptions options) {
        if (path == null || path.isBlank()) {
            throw new DataException("no input given");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (!exists(spark, path) && BuiltinDatasets.isBuiltin(path)) {
            List<String> lines = BuiltinDatasets.lines(path);
            int slices = Math.max(1, Math.min(spark.sparkContext().defaultParallelism(), lines.size() / 1000 + 1));
            ParsedInput in = CsvFormat.parse(jsc.parallelize(lines, slices), path, options);
            return index(spark, in, options, null);
        }
        if (!exists(spark, path)) {
            throw new DataException("input not found: " + path + builtinHint());
        }
        String format = formatOf(spark, path);
        if ((format.equals("libsvm") || format.equals("idx")) && !options.categorical().isEmpty()) {
            throw new DataException(path + ": " + format + " files have no named columns, so no categorical column '"
                    + options.categorical().get(0) + "'");
        }
        LabeledFrame lf;
        switch (format) {
            case "csv":
                lf = index(spark, CsvFormat.parse(jsc.textFile(path), path, options), options, null);
                break;
            case "libsvm":
                lf = index(spark, LibSvmFormat.parse(jsc.textFile(path), path, options), options, null);
                break;
            case "idx":
                lf = index(spark, IdxFormat.parse(jsc, path, options), options, null);
                break;
            default:
                Dataset<Row> df = spark.read().parquet(path);
                lf = indexFrame(df, ParquetFormat.parse(df, path, options), options, Columns.FEATURES);
        }
        return lf;
    }

    /**
     * Reads an in-memory frame (see {@link LabeledFrame#of(Dataset, String, ReadOptions)}) as a
     * Parquet file is read, with the features from vector column {@code featuresCol} (or, when
     * null, numeric columns). A {@code row_id} column must be a long, unique and never null (one
     * job checks); without one, ids are assigned by {@code zipWithIndex}.
     */
    static LabeledFrame fromFrame(Dataset<Row> frame, String featuresCol, ReadOptions options) {
        StructType schema = frame.schema();
        List<String> columns = Arrays.asList(schema.fieldNames());
        if (featuresCol != null) {
            if (!columns.contains(featuresCol)) {
                throw new DataException(FRAME + ": no features column '" + featuresCol + "' (columns: "
                        + CsvFormat.abbreviate(columns) + ")");
            }
            DataType t = schema.apply(featuresCol).dataType();
            if (!t.equals(SQLDataTypes.VectorType())) {
                throw new DataException(FRAME + ": features column '" + featuresCol + "' has type " + t.simpleString()
                        + ", not a vector (assemble numeric columns with VectorAssembler, or give featuresCol null to use"
                        + " numeric columns as they are)");
            }
        }
        if (columns.contains(options.labelCol())) {
            DataType t = schema.apply(options.labelCol()).dataType();
            LabelIndex declared = ParquetFormat.declaredLabels(frame, options.labelCol());
            if (declared != null && t instanceof NumericType) {
                // Files hold the label values; only a frame of this contract holds indexes under them.
                throw new DataException(FRAME + ": column '" + options.labelCol() + "' already holds the class indexes of "
                        + declared + " (a frame in Counterweight's contract); give new rows of it the classes with"
                        + " LabeledFrame.withFrame");
            }
            if (t instanceof ArrayType || t instanceof MapType || t instanceof StructType || t instanceof UserDefinedType
                    || t.equals(DataTypes.BinaryType) || t.equals(DataTypes.NullType)) {
                throw new DataException(FRAME + ": label column '" + options.labelCol() + "' has type " + t.simpleString()
                        + "; labels must be strings, numbers or booleans");
            }
        }
        if (columns.contains(Columns.ROW_ID)) {
            checkRowIds(frame);
        }
        return indexFrame(frame, ParquetFormat.parse(frame, FRAME, options, featuresCol), options, featuresCol);
    }

    /** A given {@code row_id} is the contract's: a long, never null, unique (one job). */
    private static void checkRowIds(Dataset<Row> frame) {
        DataType t = frame.schema().apply(Columns.ROW_ID).dataType();
        if (!t.equals(DataTypes.LongType)) {
            throw new DataException(FRAME + ": column '" + Columns.ROW_ID + "' has type " + t.simpleString()
                    + "; row ids must be unique longs (cast it, or drop it to have ids assigned)");
        }
        Column id = frame.col(Columns.ROW_ID);
        List<Row> bad = frame.groupBy(id).count().where(id.isNull().or(functions.col("count").gt(1))).limit(1).collectAsList();
        if (!bad.isEmpty()) {
            Row r = bad.get(0);
            throw new DataException(FRAME + ": column '" + Columns.ROW_ID + "' " + (r.isNullAt(0) ? "has nulls"
                    : "has " + r.getLong(1) + " rows with id " + r.getLong(0))
                    + "; row ids must be unique longs (drop the column to have ids assigned)");
        }
    }

    /**
     * Indexes a Parquet file's or frame's parsed rows; a whole vector column's feature names are
     * those it carries ({@link ParquetFormat#vectorNames}) when it carries them.
     */
    private static LabeledFrame indexFrame(Dataset<Row> df, ParsedInput in, ReadOptions options, String vectorCol) {
        LabeledFrame raw = index(df.sparkSession(), in, options, ParquetFormat.declaredLabels(df, options.labelCol()));
        List<String> names = options.features() == null && vectorCol != null && Arrays.asList(df.columns()).contains(vectorCol)
                ? ParquetFormat.vectorNames(df.schema().apply(vectorCol)) : null;
        return names != null && names.size() == raw.numFeatures()
                ? new LabeledFrame(raw.frame(), raw.labels(), names, in.source(), raw.raw(), null) : raw;
    }

    private static String builtinHint() {
        return " (built-in datasets: " + String.join(", ", BuiltinDatasets.names()) + ")";
    }

    static boolean exists(SparkSession spark, String path) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.exists(p);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String formatOf(SparkSession spark, String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        String base = lower.endsWith(".gz") ? lower.substring(0, lower.length() - 3) : lower;
        if (base.endsWith(".csv")) {
            return "csv";
        }
        if (base.endsWith(".libsvm") || base.endsWith(".svm")) {
            return "libsvm";
        }
        if (IdxFormat.isIdxImages(path)) {
            return "idx";
        }
        if (lower.endsWith(".parquet") || isDirectory(spark, path)) {
            return "parquet";
        }
        throw new DataException(path + ": unknown format (expected .csv, .csv.gz, .parquet or a Parquet directory, .libsvm, .svm, IDX images *-idx3-ubyte[.gz])");
    }

    private static boolean isDirectory(SparkSession spark, String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileStatus(p).isDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validates parsed rows in one pass, indexes labels and builds the frame. */
    private static LabeledFrame index(SparkSession spark, ParsedInput in, ReadOptions options, LabelIndex declared) {
        ScanSummary s = in.records().treeAggregate(new ScanSummary(options.maxLevels()), ScanSummary::add, ScanSummary::merge);
        if (s.firstError != null) {
            throw new DataException(s.firstError);
        }
        if (s.rows == 0) {
            throw new DataException(in.source() + ": " + in.emptyMessage());
        }
        int width = in.featureNames() != null ? in.featureNames().size() : s.maxWidth;
        if (in.featureNames() == null && s.minDenseWidth != Integer.MAX_VALUE && s.minDenseWidth != s.maxWidth) {
            throw new DataException(in.source() + ": feature vectors have different lengths (" + s.minDenseWidth + " to " + s.maxWidth + ")");
        }
        if (width == 0) {
            throw new DataException(in.source() + ": rows have no features");
        }
        if (!in.labeled() && options.labels() == null) {
            throw new IllegalArgumentException("reading unlabeled data needs the label index to score with (ReadOptions.withLabels)");
        }
        LabelIndex labels = options.labels() != null ? options.labels() : declared != null ? declared : LabelIndex.of(s.counts.keySet());
        for (String value : s.counts.keySet()) {
            if (!labels.contains(value)) {
                throw new DataException(in.source() + ": label '" + value + "' in column '" + options.labelCol()
                        + "' is not one of the known classes (" + String.join(", ", labels.values()) + ")");
            }
        }
        if (in.labeled() && s.counts.size() < options.minClasses()) {
            Map.Entry<String, Long> only = s.counts.entrySet().iterator().next();
            throw new DataException(in.source() + ": only one class ('" + only.getKey() + "', " + only.getValue()
                    + " rows) in label column '" + options.labelCol() + "'; at least " + options.minClasses() + " are needed");
        }
        List<String> featureNames = in.featureNames();
        if (featureNames == null) {
            featureNames = new ArrayList<>();
            for (int j = 0; j < width; j++) {
                featureNames.add(POSITIONAL_PREFIX + j);
            }
        }
        List<String> categorical = options.categorical();
        CategoricalColumns.checkLevels(in.source(), categorical, s.levels, options.maxLevels());
        final int dim = width;
        final LabelIndex index = labels;
        final boolean labeled = in.labeled();
        final boolean withId = options.idCol() != null;
        final boolean withCategories = !categorical.isEmpty();
        final int arity = 2 + (labeled ? 1 : 0) + (withId ? 1 : 0) + (withCategories ? 1 : 0);
        JavaRDD<Row> rows = in.records().map(r -> {
            Object[] v = new Object[arity];
            int at = 0;
            v[at++] = Vectors.dense(denseValues(r, dim));
            if (labeled) {
                v[at++] = (double) index.indexOf(r.label);
            }
            v[at++] = r.rowId;
            if (withId) {
                v[at++] = r.id;
            }
            if (withCategories) {
                v[at] = r.categories;
            }
            return RowFactory.create(v);
        });
        StructType schema = schema(labels, labeled);
        if (withId) {
            schema = schema.add(options.idCol(), DataTypes.StringType, true);
        }
        if (withCategories) {
            schema = schema.add(Columns.CATEGORIES, DataTypes.createArrayType(DataTypes.StringType, true), false);
        }
        Dataset<Row> frame = spark.createDataFrame(rows, schema);
        String extra = (withCategories ? ", " + categorical.size() + " of them categorical" : "")
                + (s.missing > 0 ? ", " + s.missing + " missing values" : "");
        if (labeled) {
            long[] counts = new long[labels.size()];
            s.counts.forEach((k, v) -> counts[index.indexOf(k)] = v);
            LOG.info("read {}: {} rows, {} features{}, {} classes ({})", in.source(), s.rows, width, extra, labels.size(),
                    ClassCounts.describe(counts, labels));
        } else {
            LOG.info("read {}: {} rows, {} features{}, no label column", in.source(), s.rows, width, extra);
        }
        RawFeatures raw = withCategories || s.missing > 0 ? new RawFeatures(categorical, s.missing) : null;
        return new LabeledFrame(frame, labels, featureNames, in.source(), raw, null);
    }

    /**
     * Position of a positional feature name {@code f<j>} (the names of formats without named
     * features: LibSVM, a Parquet vector without stored names), or -1.
     */
    static int position(String name) {
        if (name.startsWith(POSITIONAL_PREFIX)) {
            String digits = name.substring(POSITIONAL_PREFIX.length());
            if (digits.matches("0|[1-9][0-9]{0,8}")) {
                return Integer.parseInt(digits);
            }
        }
        return -1;
    }

    private static double[] denseValues(ParsedRecord r, int dim) {
        if (r.indices == null) {
            return r.values;
        }
        double[] out = new double[dim];
        for (int i = 0; i < r.indices.length; i++) {
            out[r.indices[i]] = r.values[i];
        }
        return out;
    }

    /** The frame contract's schema; the label column carries the label values as metadata. */
    static StructType schema(LabelIndex labels) {
        return schema(labels, true);
    }

    /** The schema of labeled or (without {@code label}) unlabeled rows. */
    private static StructType schema(LabelIndex labels, boolean labeled) {
        StructType s = new StructType().add(Columns.FEATURES, SQLDataTypes.VectorType(), false);
        if (labeled) {
            Metadata labelMeta = new MetadataBuilder()
                    .putStringArray(ParquetFormat.LABELS_METADATA, labels.values().toArray(new String[0])).build();
            s = s.add(Columns.LABEL, DataTypes.DoubleType, false, labelMeta);
        }
        return s.add(Columns.ROW_ID, DataTypes.LongType, false);
    }
}
