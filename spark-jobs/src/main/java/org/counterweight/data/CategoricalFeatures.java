package org.counterweight.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.attribute.NumericAttribute;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import scala.Option;

/**
 * Where a prepared frame's categorical features sit in its {@code features} vector and how many
 * categories each has: at {@code positions[i]} the vector holds a category index 0 … {@code levels[i]} − 1
 * as a double (the training part's categories, most frequent first), or {@code levels[i]} for a
 * category the training part did not have (the "unknown" slot; only in validation, test and
 * scored rows). The network sees these one-hot encoded; SMOTE-NC sees the indices.
 *
 * <p>A prepared frame carries them twice: in {@link LabeledFrame#categorical}, and as Spark ML
 * attributes of its {@code features} column ({@link #toMetadata}: nominal at these positions with
 * {@code levels + 1} values, the last the unknown slot), so code that sees only the
 * {@code Dataset} (a resampler) finds them with {@link #of(Dataset)}.
 *
 * @param positions positions in the feature vector, ascending
 * @param levels    number of training categories per position
 */
public record CategoricalFeatures(int[] positions, int[] levels) implements Serializable {
    public CategoricalFeatures {
        if (positions.length != levels.length) {
            throw new IllegalArgumentException(positions.length + " positions but " + levels.length + " level counts");
        }
        positions = positions.clone();
        levels = levels.clone();
    }

    /** The {@code features} column metadata that marks these positions (a vector of {@code width} entries). */
    public Metadata toMetadata(int width) {
        Attribute[] attrs = new Attribute[width];
        for (int j = 0; j < width; j++) {
            attrs[j] = NumericAttribute.defaultAttr().withIndex(j);
        }
        for (int i = 0; i < positions.length; i++) {
            attrs[positions[i]] = NominalAttribute.defaultAttr().withIndex(positions[i]).withNumValues(levels[i] + 1);
        }
        return new AttributeGroup(Columns.FEATURES, attrs).toMetadata();
    }

    /** The categorical features the {@code features} column of {@code frame} marks ({@link #toMetadata}); null for none. */
    public static CategoricalFeatures of(Dataset<Row> frame) {
        Option<Attribute[]> attrs = AttributeGroup.fromStructField(frame.schema().apply(Columns.FEATURES)).attributes();
        if (attrs.isEmpty()) {
            return null;
        }
        List<int[]> found = new ArrayList<>();
        for (Attribute a : attrs.get()) {
            if (a instanceof NominalAttribute n && n.numValues().isDefined()) {
                found.add(new int[] {(Integer) n.index().get(), (Integer) n.numValues().get() - 1});
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        return new CategoricalFeatures(found.stream().mapToInt(f -> f[0]).toArray(), found.stream().mapToInt(f -> f[1]).toArray());
    }

    /** Number of categorical features. */
    public int size() {
        return positions.length;
    }

    @Override
    public int[] positions() {
        return positions.clone();
    }

    @Override
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

    @Override
    public String toString() {
        return "CategoricalFeatures" + Arrays.toString(positions) + " levels " + Arrays.toString(levels);
    }
}
