package org.counterweight.resample;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.CategoricalFeatures;
import org.counterweight.data.Columns;
import org.counterweight.data.DataException;
import org.counterweight.data.LabelIndex;
import org.counterweight.data.LabeledFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.runtime.AbstractFunction1;

/**
 * Base of every static resampler (METHODS.md §1): a Spark-ML-style stage with typed params,
 * a schema check before any job runs, and {@link #resample(Dataset)} (DataFrame in, DataFrame
 * out). The base resolves {@code samplingStrategy} once, through {@link SamplingStrategy}, into
 * a target count per class; each subclass only answers "how do I reach n rows of class c".
 *
 * <p>It is deliberately a {@link PipelineStage} and not a {@code Transformer}: a resampler must
 * only ever see training data, and a Spark {@code Pipeline} would also apply a transformer at
 * prediction time. {@code Pipeline.fit} rejects it.
 *
 * <p>Frame contract ({@link Columns}): dense {@code features} vectors, {@code label} class
 * indexes as numbers, unique long {@code row_id}; other columns pass through. Over-samplers add
 * a boolean {@link Columns#SYNTHETIC} column (true for rows the resampler added; an existing
 * boolean column of that name is kept for the original rows). Added rows get fresh row ids
 * above the input's largest. Results depend only on the input rows and the seed, never on
 * partitioning.
 */
public abstract class Resampler extends PipelineStage {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Resampler.class);

    private final String name;
    private final SamplerKind kind;
    private final String uid;
    private final Param<String> samplingStrategy;
    private final LongParam seed;
    private final Param<String> labelCol;
    private final Param<String> featuresCol;
    private final Param<String> rowIdCol;
    private LabelIndex labelIndex;

    /**
     * @param name the method's name in messages and logs ({@code smote}); also the uid's prefix
     * @param kind over or under: decides what the sampling strategy means
     * @param uid  the stage's uid, or null for a new one
     */
    protected Resampler(String name, SamplerKind kind, String uid) {
        this.name = name;
        this.kind = kind;
        this.uid = uid == null ? Identifiable.randomUID(name) : uid;
        samplingStrategy = new Param<>(this, "samplingStrategy",
                "auto|minority|majority|not-minority|not-majority|all|<float in (0,1]>|<class:count,...>"
                        + " (METHODS.md §1)", validator(s -> {
                            SamplingStrategy.parse(s);
                            return true;
                        }));
        seed = new LongParam(this, "seed", "random seed; draws derive from (seed, row id)");
        labelCol = new Param<>(this, "labelCol", "label column (class index)", validator(s -> !s.isBlank()));
        featuresCol = new Param<>(this, "featuresCol", "features column (vector)", validator(s -> !s.isBlank()));
        rowIdCol = new Param<>(this, "rowIdCol", "row id column (unique long)", validator(s -> !s.isBlank()));
        setDefault(samplingStrategy, "auto");
        setDefault(seed, 42L);
        setDefault(labelCol, Columns.LABEL);
        setDefault(featuresCol, Columns.FEATURES);
        setDefault(rowIdCol, Columns.ROW_ID);
    }

    /** Wraps a Java predicate as the Scala validator Spark params expect. */
    protected static <T> scala.Function1<T, Object> validator(SerializablePredicate<T> p) {
        return new Validator<>(p);
    }

    /** A serializable predicate (params are shipped with the stage). */
    @FunctionalInterface
    protected interface SerializablePredicate<T> extends Predicate<T>, Serializable {
    }

    private static final class Validator<T> extends AbstractFunction1<T, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final SerializablePredicate<T> p;

        Validator(SerializablePredicate<T> p) {
            this.p = p;
        }

        @Override
        public Object apply(T v) {
            try {
                return p.test(v);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    /** Over or under: decides what the sampling strategy means. */
    public final SamplerKind kind() {
        return kind;
    }

    /**
     * Reaches the targets. Called after the schema check and strategy resolution, and only when
     * {@link #changing} leaves some class to change.
     *
     * @param data    the input (schema checked); an over-sampler's has {@link Columns#SYNTHETIC},
     *                false unless the input already had the column
     * @param stats   rows per class
     * @param targets final row count per class to change (non-empty; others untouched)
     */
    protected abstract Dataset<Row> resample(Dataset<Row> data, ClassStats stats, SortedMap<Integer, Long> targets);

    /**
     * The targeted classes this resampler changes: by default those whose target differs from
     * their count (a class already at its target is passed through).
     */
    protected SortedMap<Integer, Long> changing(ClassStats stats, SortedMap<Integer, Long> targets) {
        SortedMap<Integer, Long> out = new TreeMap<>();
        targets.forEach((c, t) -> {
            if (t != stats.count(c)) {
                out.put(c, t);
            }
        });
        return out;
    }

    /**
     * Checks parameters that depend on the data (e.g. enough rows per class), before any row is
     * drawn; default none. {@code targets} are the classes that change ({@link #changing}).
     */
    protected void checkCounts(ClassStats stats, SortedMap<Integer, Long> targets) {
    }

    /**
     * Resamples {@code data}: checks the schema (no job), counts classes (one job), resolves the
     * strategy, checks the counts against the parameters and reaches the targets of the classes
     * that change; with none to change the input comes back as it is (marked original by an
     * over-sampler).
     */
    public Dataset<Row> resample(Dataset<?> data) {
        transformSchema(data.schema());
        @SuppressWarnings("unchecked")
        Dataset<Row> rows = (Dataset<Row>) data;
        ClassStats stats = ClassStats.of(rows, getLabelCol(), getRowIdCol());
        SortedMap<Integer, Long> targets = targets(stats);
        SortedMap<Integer, Long> changing = changing(stats, targets);
        checkCounts(stats, changing);
        LOG.info("{}: class counts ({}) -> targets ({})", name, ClassStats.describe(stats.counts(), labelIndex),
                ClassStats.describe(targets, labelIndex));
        Dataset<Row> input = kind == SamplerKind.OVER ? markOriginal(rows) : rows;
        return changing.isEmpty() ? input : resample(input, stats, changing);
    }

    /** Targets the sampling strategy resolves to on {@code data} (one job), without resampling. */
    public SortedMap<Integer, Long> targets(Dataset<Row> data) {
        transformSchema(data.schema());
        return targets(ClassStats.of(data, getLabelCol(), getRowIdCol()));
    }

    private SortedMap<Integer, Long> targets(ClassStats stats) {
        return SamplingStrategy.parse(getSamplingStrategy()).targets(stats, kind, labelIndex);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        StructField features = field(schema, getFeaturesCol(), "featuresCol");
        if (!features.dataType().equals(SQLDataTypes.VectorType())) {
            throw new DataException("column '" + getFeaturesCol() + "' must be a vector, found "
                    + features.dataType().simpleString());
        }
        CategoricalFeatures categorical = CategoricalFeatures.of(features);
        if (!categorical.isEmpty() && !acceptsCategorical()) {
            throw new DataException(name + ": column '" + getFeaturesCol() + "' declares categorical features "
                    + categorical + " (category indices), which " + name + " would treat as numbers; use smote-nc"
                    + " (or random-over / random-under, which copy or drop whole rows)");
        }
        StructField label = field(schema, getLabelCol(), "labelCol");
        if (!(label.dataType() instanceof NumericType)) {
            throw new DataException("column '" + getLabelCol() + "' must hold numeric class indexes, found "
                    + label.dataType().simpleString() + "; " + LabeledFrame.HOW_TO_CONVERT);
        }
        StructField id = field(schema, getRowIdCol(), "rowIdCol");
        if (!id.dataType().equals(DataTypes.LongType)) {
            throw new DataException("column '" + getRowIdCol() + "' must be a long, found " + id.dataType().simpleString());
        }
        if (kind == SamplerKind.OVER) {
            if (schema.getFieldIndex(Columns.SYNTHETIC).isDefined()) {
                if (!schema.apply(Columns.SYNTHETIC).dataType().equals(DataTypes.BooleanType)) {
                    throw new DataException("column '" + Columns.SYNTHETIC + "' exists but is not boolean");
                }
                return schema;
            }
            return schema.add(Columns.SYNTHETIC, DataTypes.BooleanType, false);
        }
        return schema;
    }

    private static StructField field(StructType schema, String name, String param) {
        if (schema.getFieldIndex(name).isEmpty()) {
            throw new DataException("column '" + name + "' (" + param + ") not found; columns: "
                    + String.join(", ", schema.fieldNames())
                    + ("rowIdCol".equals(param) ? "; " + LabeledFrame.HOW_TO_CONVERT : ""));
        }
        return schema.apply(name);
    }

    /**
     * Whether this method is defined on frames whose features declare categorical entries
     * ({@link CategoricalFeatures}): methods that copy or drop whole rows, and smote-nc. The
     * others measure distances or interpolate, which category indices do not support.
     */
    protected boolean acceptsCategorical() {
        return false;
    }

    /** The input's rows with {@link Columns#SYNTHETIC} false unless already present. */
    private static Dataset<Row> markOriginal(Dataset<Row> data) {
        return data.schema().getFieldIndex(Columns.SYNTHETIC).isDefined()
                ? data : data.withColumn(Columns.SYNTHETIC, functions.lit(false));
    }

    /** How messages name class {@code c}: its original label value when known, else its index. */
    protected String className(int c) {
        return ClassStats.name(c, labelIndex);
    }

    /** The method's name in messages and logs, e.g. {@code smote}. */
    public String methodName() {
        return name;
    }

    /** {@code label == c} for the label column. */
    protected Column isClass(int c) {
        return functions.col(getLabelCol()).equalTo(c);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Resampler copy(ParamMap extra) {
        return (Resampler) defaultCopy(extra);
    }

    /**
     * Sets a param by name from text (CLI options, experiment specs): the text is parsed as the
     * param's type and validated. Errors name the param and the stage's params.
     */
    public Resampler setParam(String name, String text) {
        if (!hasParam(name)) {
            throw new IllegalArgumentException(this.name + " has no parameter '" + name + "' (parameters: "
                    + Arrays.stream(params()).map(Param::name).collect(Collectors.joining(", ")) + ")");
        }
        Param<Object> p = getParam(name);
        Object value;
        try {
            if (p instanceof IntParam) {
                value = Integer.parseInt(text.strip());
            } else if (p instanceof LongParam) {
                value = Long.parseLong(text.strip());
            } else if ((Object) p instanceof IntArrayParam) {
                value = Arrays.stream(text.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
            } else {
                value = text;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be " + ((Object) p instanceof IntArrayParam
                    ? "integers separated by commas" : "an integer") + ", got '" + text + "'");
        }
        if (p == (Object) samplingStrategy) {
            SamplingStrategy.parse(text);
        }
        if (!(Boolean) p.isValid().apply(value)) {
            throw new IllegalArgumentException(name + " = " + text + " is not allowed: " + p.doc());
        }
        set(p, value);
        return this;
    }

    /** The label index set by {@link #setLabelIndex}, or null. */
    protected LabelIndex labelIndex() {
        return labelIndex;
    }

    /** Class names in {@code class:count} strategies are original label values of this index. */
    public Resampler setLabelIndex(LabelIndex labels) {
        this.labelIndex = labels;
        return this;
    }

    public Param<String> samplingStrategy() {
        return samplingStrategy;
    }

    public LongParam seed() {
        return seed;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> rowIdCol() {
        return rowIdCol;
    }

    public String getSamplingStrategy() {
        return $(samplingStrategy);
    }

    public long getSeed() {
        return (Long) $(seed);
    }

    public String getLabelCol() {
        return $(labelCol);
    }

    public String getFeaturesCol() {
        return $(featuresCol);
    }

    public String getRowIdCol() {
        return $(rowIdCol);
    }

    /** Sets the strategy; a malformed one fails here with a message saying what is allowed. */
    public Resampler setSamplingStrategy(String v) {
        SamplingStrategy.parse(v);
        set(samplingStrategy, v);
        return this;
    }

    public Resampler setSeed(long v) {
        set(seed, v);
        return this;
    }

    public Resampler setLabelCol(String v) {
        set(labelCol, v);
        return this;
    }

    public Resampler setFeaturesCol(String v) {
        set(featuresCol, v);
        return this;
    }

    public Resampler setRowIdCol(String v) {
        set(rowIdCol, v);
        return this;
    }
}
