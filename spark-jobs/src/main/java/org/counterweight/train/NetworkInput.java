package org.counterweight.train;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.VectorSlicer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.data.CategoricalFeatures;
import org.counterweight.data.Columns;
import org.counterweight.data.LabeledFrame;

/**
 * What the network takes from a prepared frame: the numeric features as they are, then each
 * categorical feature one-hot encoded over its training categories plus the "unknown" slot
 * (Spark ML {@link OneHotEncoder}, {@code dropLast=false}, sizes from the categories' attribute
 * metadata, so fitting reads no rows; {@link VectorAssembler} joins the parts). Frames without
 * categorical features pass unchanged.
 */
public final class NetworkInput {
    private static final String CONTINUOUS = "_net_cont";
    private static final String INDEX = "_net_idx";
    private static final String HOT = "_net_hot";

    private NetworkInput() {
    }

    /** The rows of {@code frame} with {@code features} as the network takes them. */
    public static Dataset<Row> of(LabeledFrame frame) {
        return of(frame.frame(), frame.categorical(), frame.numFeatures());
    }

    /** {@code rows} (prepared, {@code width} features) with their categorical features one-hot encoded. */
    public static Dataset<Row> of(Dataset<Row> rows, CategoricalFeatures categorical, int width) {
        if (categorical == null || categorical.size() == 0) {
            return rows;
        }
        int[] positions = categorical.positions();
        int[] levels = categorical.levels();
        List<Integer> numeric = new ArrayList<>();
        for (int j = 0; j < width; j++) {
            numeric.add(j);
        }
        for (int p : positions) {
            numeric.remove(Integer.valueOf(p));
        }
        Dataset<Row> df = rows;
        Column values = org.apache.spark.ml.functions.vector_to_array(col(Columns.FEATURES), "float64");
        String[] in = new String[positions.length];
        String[] out = new String[positions.length];
        for (int i = 0; i < positions.length; i++) {
            in[i] = INDEX + i;
            out[i] = HOT + i;
            // the unknown slot is category levels[i]: levels[i] + 1 values in all
            NominalAttribute attr = NominalAttribute.defaultAttr().withName(in[i]).withNumValues(levels[i] + 1);
            df = df.withColumn(in[i], values.getItem(positions[i]), attr.toMetadata());
        }
        df = new OneHotEncoder().setInputCols(in).setOutputCols(out).setDropLast(false).fit(df).transform(df);
        List<String> parts = new ArrayList<>();
        if (!numeric.isEmpty()) {
            df = new VectorSlicer().setInputCol(Columns.FEATURES).setOutputCol(CONTINUOUS)
                    .setIndices(numeric.stream().mapToInt(Integer::intValue).toArray()).transform(df);
            parts.add(CONTINUOUS);
        }
        parts.addAll(List.of(out));
        List<String> drop = new ArrayList<>(parts);
        drop.addAll(List.of(in));
        return assemble(df, parts, drop);
    }

    private static Dataset<Row> assemble(Dataset<Row> df, List<String> parts, List<String> drop) {
        String assembled = "_net_assembled";
        Dataset<Row> out = new VectorAssembler().setInputCols(parts.toArray(new String[0])).setOutputCol(assembled).transform(df);
        drop.add(Columns.FEATURES);
        return out.drop(drop.toArray(new String[0])).withColumnRenamed(assembled, Columns.FEATURES);
    }

    /** Number of network inputs of a prepared frame with {@code width} features. */
    public static int width(CategoricalFeatures categorical, int width) {
        if (categorical == null) {
            return width;
        }
        int w = width - categorical.size();
        for (int l : categorical.levels()) {
            w += l + 1;
        }
        return w;
    }
}
