package org.counterweight.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.attribute.NumericAttribute;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import scala.Option;

/**
 * Which entries of the features vector are categorical. Categorical features travel inside the
 * vector as category indices 0.0, 1.0, …, L−1 (missing values already imputed); this class holds
 * their positions (0-based, sorted, distinct) and, when known, each one's number of levels L.
 * A frame prepared by {@code train/Preparation} declares its training part's L categories (most
 * frequent first); its validation, test and scored rows may also hold index L, the "unknown" slot
 * for a category the training part did not have (never resampled; one-hot encoded as its own
 * slot by {@code train/NetworkInput}).
 *
 * <p>A frame declares them with Spark ML's own attribute metadata on the features column: a
 * {@link NominalAttribute} at each categorical position ({@code numValues} = L when known), as
 * Spark's {@code StringIndexer} + {@code VectorAssembler} or {@code VectorIndexer} produce them.
 * {@link #declare} writes that metadata and {@link #of(StructField)} reads it, so the data layer
 * (which knows the columns) and the resamplers (which need the positions) share nothing but the
 * frame.
 */
public final class CategoricalFeatures implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final CategoricalFeatures NONE = new CategoricalFeatures(new int[0], new int[0]);

    private final int[] positions;
    /** Levels per position, 0 where unknown. */
    private final int[] levels;

    private CategoricalFeatures(int[] positions, int[] levels) {
        this.positions = positions;
        this.levels = levels;
    }

    /** No categorical feature. */
    public static CategoricalFeatures none() {
        return NONE;
    }

    /** The features at {@code positions} (any order; negative or repeated positions are errors), levels unknown. */
    public static CategoricalFeatures at(int... positions) {
        int[] p = positions.clone();
        Arrays.sort(p);
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0 || (i > 0 && p[i] == p[i - 1])) {
                throw new IllegalArgumentException("categorical feature positions must be distinct and >= 0, got "
                        + Arrays.toString(positions));
            }
        }
        return new CategoricalFeatures(p, new int[p.length]);
    }

    /** {@link #at} from text such as {@code 3,5} (command-line options, specs). */
    public static CategoricalFeatures parse(String text) {
        try {
            return at(Arrays.stream(text.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("categorical feature positions must be 0-based integers separated by"
                    + " commas, got '" + text + "'");
        }
    }

    /** The categorical features the {@code features} column of {@code frame} declares (see {@link #of(StructField)}). */
    public static CategoricalFeatures of(Dataset<Row> frame) {
        return of(frame.schema().apply(Columns.FEATURES));
    }

    /** The categorical features the vector column {@code features} declares (none without nominal attributes). */
    public static CategoricalFeatures of(StructField features) {
        Option<Attribute[]> attrs = AttributeGroup.fromStructField(features).attributes();
        if (attrs.isEmpty()) {
            return NONE;
        }
        Attribute[] all = attrs.get();
        int[] p = new int[all.length];
        int[] l = new int[all.length];
        int n = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] instanceof NominalAttribute nominal) {
                p[n] = i;
                l[n++] = nominal.getNumValues().isDefined() ? (Integer) nominal.getNumValues().get() : 0;
            }
        }
        return n == 0 ? NONE : new CategoricalFeatures(Arrays.copyOf(p, n), Arrays.copyOf(l, n));
    }

    /** These levels for the positions, in position order (0 = unknown). */
    public CategoricalFeatures withLevels(int... levelCounts) {
        if (levelCounts.length != positions.length) {
            throw new IllegalArgumentException(levelCounts.length + " level counts for " + positions.length
                    + " categorical features");
        }
        return new CategoricalFeatures(positions, levelCounts.clone());
    }

    /**
     * {@code data} with these features declared on its vector column {@code featuresCol} of
     * {@code dim} entries (the other entries become numeric attributes; names already there are kept).
     */
    public Dataset<Row> declare(Dataset<Row> data, String featuresCol, int dim) {
        requireWithin(dim, "--categorical");
        StructField field = data.schema().apply(featuresCol);
        Option<Attribute[]> old = AttributeGroup.fromStructField(field).attributes();
        Attribute[] attrs = new Attribute[dim];
        for (int i = 0, j = 0; i < dim; i++) {
            Option<String> name = old.isDefined() && old.get().length == dim ? old.get()[i].name() : Option.empty();
            if (j < positions.length && positions[j] == i) {
                NominalAttribute a = NominalAttribute.defaultAttr().withIndex(i);
                a = levels[j] > 0 ? a.withNumValues(levels[j]) : a;
                attrs[i] = name.isDefined() ? a.withName(name.get()) : a;
                j++;
            } else {
                NumericAttribute a = NumericAttribute.defaultAttr().withIndex(i);
                attrs[i] = name.isDefined() ? a.withName(name.get()) : a;
            }
        }
        Metadata metadata = new AttributeGroup(featuresCol, attrs).toMetadata(field.metadata());
        return data.withColumn(featuresCol, data.col(Columns.quoted(featuresCol)), metadata);
    }

    /** Fails unless every position is below {@code dim}; the message names {@code param}. */
    public void requireWithin(int dim, String param) {
        if (positions.length > 0 && positions[positions.length - 1] >= dim) {
            throw new DataException(param + ": categorical feature position " + positions[positions.length - 1]
                    + " is out of range; the features have " + dim + " entries (positions 0 to " + (dim - 1) + ")");
        }
    }

    public boolean isEmpty() {
        return positions.length == 0;
    }

    /** Number of categorical features. */
    public int size() {
        return positions.length;
    }

    /** Positions, sorted. */
    public int[] positions() {
        return positions.clone();
    }

    /** Levels per position (0 = unknown), in position order. */
    public int[] levels() {
        return levels.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalFeatures c && Arrays.equals(positions, c.positions) && Arrays.equals(levels, c.levels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(positions) + Arrays.hashCode(levels);
    }

    /** E.g. {@code [3, 5]} or {@code [3 (4 levels), 5]}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < positions.length; i++) {
            b.append(i > 0 ? ", " : "").append(positions[i]).append(levels[i] > 0 ? " (" + levels[i] + " levels)" : "");
        }
        return b.append(']').toString();
    }

    /** Positions as text, e.g. {@code 3,5}. */
    public String positionsText() {
        return Arrays.stream(positions).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
