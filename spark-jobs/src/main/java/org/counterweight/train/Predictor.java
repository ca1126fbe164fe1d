package org.counterweight.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.feature.VectorSlicer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.Columns;
import org.counterweight.data.DataException;
import org.counterweight.data.LabelIndex;
import org.counterweight.data.LabeledFrame;
import org.counterweight.evaluate.ConfusionMatrix;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a trained network on the executors: the predictions frame of the data contract (the
 * input's columns but {@code features}, {@code row_id} and {@code label} first when present, then
 * {@code prediction}, {@code prob_0..prob_{K-1}}; class indexes as doubles) and confusion counts
 * for the per-epoch balanced accuracy. The network travels as a {@link NetworkPayload} broadcast;
 * rows are scored in blocks of {@value #BLOCK}.
 */
public final class Predictor {
    static final int BLOCK = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Predictor.class);

    private Predictor() {
    }

    /**
     * Predictions for {@code data} with its features matched to the model's by name: in any
     * order, features the model does not use ignored, missing ones a {@link DataException}
     * naming them. A model file without feature names (written before they were stored) can only
     * match by position: allowed when the feature counts agree, with a warning. A model with a
     * {@link Preparation} prepares the rows first (categories unseen in training are counted in the
     * log) and one-hot encodes them ({@link NetworkInput}).
     */
    public static Dataset<Row> predict(TrainedModel model, LabeledFrame data) {
        Dataset<Row> rows = inModelOrder(model, data);
        if (data.needsPreparation() && model.preparation().isEmpty()) {
            throw new DataException(data.source() + ": " + data.raw().missing() + " missing value(s), but the model was trained on"
                    + " data without any, so it has no imputation to fill them in (train it on data with missing values, or"
                    + " fill them in first)");
        }
        if (model.preparation().isPresent()) {
            Preparation p = model.preparation().get();
            rows = NetworkInput.of(p.transform(rows, data.source(), true), p.categoricalFeatures(), p.featureNames().size());
        }
        return predict(model.payload(), rows, true);
    }

    /**
     * Predictions for {@code input} (needs {@code features}, in the model's feature order as the
     * trainer's frames have it; passes every other column through). To match features by name,
     * use {@link #predict(TrainedModel, LabeledFrame)}.
     */
    public static Dataset<Row> predict(TrainedModel model, Dataset<Row> input) {
        return predict(model.payload(), input, false);
    }

    static Dataset<Row> predict(NetworkPayload payload, Dataset<Row> input) {
        return predict(payload, input, false);
    }

    /**
     * With {@code aligned} and a {@code row_id} column, every row is scored at the same place of
     * a same-sized block whatever the partitioning, so a row's probabilities are the same to the
     * bit however the input file was split or its columns ordered (BLAS results depend on a row's
     * place in the matrix and on the matrix's size): what {@code predict} on a user's file needs.
     * It pays padding where ids are sparse and a block per partition it touches, so frames made
     * inside the pipeline (a split's hash-partitioned parts, scored by experiments in the same
     * partitioning every time) are scored densely: on the quickstart, aligned scoring of the test
     * parts made predict+evaluate 3-4x slower (0.5 → 1.6-2.2 s a cell).
     */
    private static Dataset<Row> predict(NetworkPayload payload, Dataset<Row> input, boolean aligned) {
        StructType in = checkSchema(input, false);
        List<String> kept = new ArrayList<>();
        for (String c : List.of(Columns.ROW_ID, Columns.LABEL)) {
            if (hasField(in, c)) {
                kept.add(c);
            }
        }
        for (String c : in.fieldNames()) {
            if (!c.equals(Columns.FEATURES) && !kept.contains(c)) {
                kept.add(c);
            }
        }
        List<StructField> fields = new ArrayList<>();
        List<org.apache.spark.sql.Column> cols = new ArrayList<>(List.of(input.col(Columns.FEATURES)));
        for (String c : kept) {
            fields.add(in.apply(c));
            cols.add(input.col(Columns.quoted(c)));
        }
        fields.add(DataTypes.createStructField(Columns.PREDICTION, DataTypes.DoubleType, false));
        int k = payload.numClasses();
        for (int c = 0; c < k; c++) {
            fields.add(DataTypes.createStructField(Columns.prob(c), DataTypes.DoubleType, false));
        }
        Dataset<Row> selected = input.select(cols.toArray(org.apache.spark.sql.Column[]::new));
        Broadcast<NetworkPayload> b = broadcast(input, payload);
        // row_id, when present, is the selection's second column
        int rowIdField = aligned && hasLongRowId(in) ? 1 : -1;
        JavaRDD<Row> out = selected.javaRDD().mapPartitions(rows -> new BlockScorer<Row>(b.value(), rows, rowIdField) {
            @Override
            void emit(List<Row> block, INDArray probs, List<Row> sink) {
                for (int i = 0; i < block.size(); i++) {
                    Row r = block.get(i);
                    Object[] v = new Object[fields.size()];
                    int j = 0;
                    for (int c = 1; c < r.length(); c++) {
                        v[j++] = r.get(c);
                    }
                    double[] p = probs.getRow(i).toDoubleVector();
                    v[j++] = (double) argmax(p);
                    for (double pc : p) {
                        v[j++] = pc;
                    }
                    sink.add(RowFactory.create(v));
                }
            }
        });
        return input.sparkSession().createDataFrame(out, DataTypes.createStructType(fields));
    }

    /** The frame's rows with {@code features} in the model's feature order (see {@link #predict(TrainedModel, LabeledFrame)}). */
    static Dataset<Row> inModelOrder(TrainedModel model, LabeledFrame data) {
        if (model.featureNames().isEmpty()) {
            if (data.numFeatures() != model.numFeatures()) {
                throw new DataException(data.source() + ": " + data.numFeatures() + " features but the model expects "
                        + model.numFeatures() + " (its file stores no feature names, so they are matched by position)");
            }
            LOG.warn("the model file stores no feature names (it predates them): the {} features of {} are matched by "
                    + "position, not by name; train the model again to have them checked", data.numFeatures(), data.source());
            return data.frame();
        }
        List<String> wanted = model.featureNames().get();
        if (wanted.equals(data.featureNames())) {
            return data.frame();
        }
        int[] positions = wanted.stream().mapToInt(data.featureNames()::indexOf).toArray();
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < positions.length; j++) {
            if (positions[j] < 0) {
                missing.add(wanted.get(j));
            }
        }
        if (!missing.isEmpty()) {
            throw new DataException(data.source() + ": missing feature" + (missing.size() == 1 ? " '" : "s '")
                    + String.join("', '", missing) + "' that the model was trained on");
        }
        String sliced = "features_in_model_order";
        return new VectorSlicer().setInputCol(Columns.FEATURES).setOutputCol(sliced).setIndices(positions)
                .transform(data.frame()).drop(Columns.FEATURES).withColumnRenamed(sliced, Columns.FEATURES);
    }

    /**
     * The predictions as files people read: {@code label} and {@code prediction} as original
     * label values, and {@code prob_k} renamed {@code prob_<original value of class k>} (e.g.
     * {@code prob_cat}), so each column names its class whatever the class order.
     */
    public static Dataset<Row> withOriginalLabels(Dataset<Row> predictions, LabelIndex labels) {
        org.apache.spark.sql.Column values = org.apache.spark.sql.functions.array(
                labels.values().stream().map(org.apache.spark.sql.functions::lit).toArray(org.apache.spark.sql.Column[]::new));
        Dataset<Row> out = predictions;
        for (String c : List.of(Columns.LABEL, Columns.PREDICTION)) {
            if (hasField(out.schema(), c)) {
                out = out.withColumn(c, org.apache.spark.sql.functions.element_at(values, out.col(c).cast("int").plus(1)));
            }
        }
        // One select, not a chain of renames: label values can look like class indexes (labels 1, 2: prob_0
        // becomes prob_1 while the old prob_1 still exists).
        List<org.apache.spark.sql.Column> cols = new ArrayList<>();
        for (String c : out.columns()) {
            int k = classOf(c, labels.size());
            cols.add(k < 0 ? out.col(Columns.quoted(c)) : out.col(c).as(Columns.probFor(labels.value(k))));
        }
        return out.select(cols.toArray(org.apache.spark.sql.Column[]::new));
    }

    /** k when {@code column} is {@code prob_k} for a class index k < numClasses, else -1. */
    private static int classOf(String column, int numClasses) {
        for (int k = 0; k < numClasses; k++) {
            if (column.equals(Columns.prob(k))) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Balanced accuracy of {@code model} on {@code data} (needs {@code features} and {@code label}):
     * one Spark job, for model selection where the full metrics are not needed.
     */
    public static double balancedAccuracy(TrainedModel model, Dataset<Row> data) {
        return balancedAccuracy(confusion(model.payload(), data));
    }

    /** Confusion counts [true][predicted] of {@code data} (needs {@code features} and {@code label}). */
    static long[][] confusion(NetworkPayload payload, Dataset<Row> data) {
        checkSchema(data, true);
        int k = payload.numClasses();
        Broadcast<NetworkPayload> b = broadcast(data, payload);
        JavaRDD<long[][]> parts = data.select(Columns.FEATURES, Columns.LABEL).javaRDD().mapPartitions(rows -> {
            long[][] m = new long[k][k];
            new BlockScorer<Void>(b.value(), rows, -1) {
                @Override
                void emit(List<Row> block, INDArray probs, List<Void> sink) {
                    for (int i = 0; i < block.size(); i++) {
                        m[(int) block.get(i).getDouble(1)][argmax(probs.getRow(i).toDoubleVector())]++;
                    }
                }
            }.forEachRemaining(x -> { });
            return java.util.Collections.singletonList(m).iterator();
        });
        long[][] total = new long[k][k];
        for (long[][] m : parts.collect()) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    total[i][j] += m[i][j];
                }
            }
        }
        b.destroy();
        return total;
    }

    /** Balanced accuracy of confusion counts [true][predicted], as the {@code balanced_accuracy} metric. */
    static double balancedAccuracy(long[][] confusion) {
        return new ConfusionMatrix(confusion).balancedAccuracy();
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Broadcast<NetworkPayload> broadcast(Dataset<Row> df, NetworkPayload payload) {
        return JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext()).broadcast(payload);
    }

    private static boolean hasLongRowId(StructType s) {
        return hasField(s, Columns.ROW_ID) && s.apply(Columns.ROW_ID).dataType().equals(DataTypes.LongType);
    }

    private static boolean hasField(StructType s, String name) {
        return java.util.Arrays.asList(s.fieldNames()).contains(name);
    }

    private static StructType checkSchema(Dataset<Row> df, boolean needLabel) {
        StructType s = df.schema();
        if (!hasField(s, Columns.FEATURES) || !(s.apply(Columns.FEATURES).dataType() instanceof VectorUDT)) {
            throw new DataException("input has no vector column '" + Columns.FEATURES + "' (columns: "
                    + String.join(", ", s.fieldNames()) + ")");
        }
        if (needLabel && !hasField(s, Columns.LABEL)) {
            throw new DataException("input has no '" + Columns.LABEL + "' column");
        }
        return s;
    }

    /**
     * Scores rows in blocks: standardises the features, runs the network, hands each block with
     * its probabilities to {@link #emit}. Iterates over the emitted outputs. Blocks are the next
     * {@value #BLOCK} rows, or, given the field of a {@code row_id}, the rows with one value of
     * {@code row_id / BLOCK}, each at row {@code row_id % BLOCK} of a zero-padded block.
     */
    private abstract static class BlockScorer<T> implements Iterator<T> {
        private final NetworkPayload payload;
        private final Iterator<Row> rows;
        private final MultiLayerNetwork net;
        private final List<T> buffer = new ArrayList<>();
        private final int rowIdField;
        private Row pending;
        private int pos;

        BlockScorer(NetworkPayload payload, Iterator<Row> rows, int rowIdField) {
            this.payload = payload;
            this.rows = rows;
            this.rowIdField = rowIdField;
            this.net = rows.hasNext() ? payload.network() : null;
        }

        abstract void emit(List<Row> block, INDArray probs, List<T> sink);

        @Override
        public boolean hasNext() {
            while (pos >= buffer.size() && (pending != null || rows.hasNext())) {
                fill();
            }
            return pos < buffer.size();
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return buffer.get(pos++);
        }

        private void fill() {
            buffer.clear();
            pos = 0;
            List<Row> block = new ArrayList<>(BLOCK);
            if (rowIdField < 0) {
                while (block.size() < BLOCK && rows.hasNext()) {
                    block.add(rows.next());
                }
                emit(block, score(block, null, block.size()), buffer);
                return;
            }
            Row first = pending != null ? pending : rows.next();
            pending = null;
            long key = Math.floorDiv(first.getLong(rowIdField), BLOCK);
            block.add(first);
            while (rows.hasNext()) {
                Row r = rows.next();
                if (Math.floorDiv(r.getLong(rowIdField), BLOCK) != key) {
                    pending = r;
                    break;
                }
                block.add(r);
            }
            int[] slots = new int[block.size()];
            java.util.BitSet used = new java.util.BitSet(BLOCK);
            for (int i = 0; i < block.size(); i++) {
                slots[i] = (int) Math.floorMod(block.get(i).getLong(rowIdField), BLOCK);
                if (used.get(slots[i])) {
                    // repeated ids (not from DataReader): no fixed place per row, score densely
                    emit(block, score(block, null, block.size()), buffer);
                    return;
                }
                used.set(slots[i]);
            }
            emit(block, score(block, slots, BLOCK).getRows(slots), buffer);
        }

        /** Probabilities of a {@code height}-row block holding row i of {@code block} at row {@code slots[i]} (or i). */
        private INDArray score(List<Row> block, int[] slots, int height) {
            int d = payload.scaler().size();
            float[] x = new float[height * d];
            for (int i = 0; i < block.size(); i++) {
                payload.scaler().apply(((Vector) block.get(i).get(0)).toArray(), x, (slots == null ? i : slots[i]) * d);
            }
            return payload.probabilities(net, Nd4j.create(x, new long[] {height, d}));
        }
    }
}
