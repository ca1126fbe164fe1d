package org.counterweight.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
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
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a trained network on the executors: the predictions frame of the data contract
 * ({@code row_id} when the input has it, {@code label} when the input has it, {@code prediction},
 * {@code prob_0..prob_{K-1}}; class indexes as doubles) and confusion counts for the per-epoch
 * balanced accuracy. The network travels as a {@link NetworkPayload} broadcast; rows are scored in
 * blocks of {@value #BLOCK}.
 */
public final class Predictor {
    static final int BLOCK = 1024;

    private Predictor() {
    }

    /** Predictions for {@code input} (needs {@code features}; keeps {@code row_id}, {@code label} if present). */
    public static Dataset<Row> predict(TrainedModel model, Dataset<Row> input) {
        return predict(model.payload(), input);
    }

    static Dataset<Row> predict(NetworkPayload payload, Dataset<Row> input) {
        StructType in = checkSchema(input, false);
        boolean hasId = hasField(in, Columns.ROW_ID);
        boolean hasLabel = hasField(in, Columns.LABEL);
        List<String> cols = new ArrayList<>(List.of(Columns.FEATURES));
        List<StructField> fields = new ArrayList<>();
        if (hasId) {
            cols.add(Columns.ROW_ID);
            fields.add(DataTypes.createStructField(Columns.ROW_ID, DataTypes.LongType, false));
        }
        if (hasLabel) {
            cols.add(Columns.LABEL);
            fields.add(DataTypes.createStructField(Columns.LABEL, DataTypes.DoubleType, false));
        }
        fields.add(DataTypes.createStructField(Columns.PREDICTION, DataTypes.DoubleType, false));
        int k = payload.numClasses();
        for (int c = 0; c < k; c++) {
            fields.add(DataTypes.createStructField(Columns.prob(c), DataTypes.DoubleType, false));
        }
        Dataset<Row> selected = input.select(cols.stream().map(input::col).toArray(org.apache.spark.sql.Column[]::new));
        Broadcast<NetworkPayload> b = broadcast(input, payload);
        JavaRDD<Row> out = selected.javaRDD().mapPartitions(rows -> new BlockScorer<Row>(b.value(), rows) {
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

    /**
     * The predictions with {@code label} and {@code prediction} as original label values (for
     * files people read); the probability columns keep the class-index order {@code prob_0..}.
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
        return out;
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
            new BlockScorer<Void>(b.value(), rows) {
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

    /** Mean per-class recall over classes with support (scikit-learn's balanced_accuracy_score). */
    static double balancedAccuracy(long[][] confusion) {
        double sum = 0;
        int classes = 0;
        for (int i = 0; i < confusion.length; i++) {
            long support = 0;
            for (long c : confusion[i]) {
                support += c;
            }
            if (support > 0) {
                sum += (double) confusion[i][i] / support;
                classes++;
            }
        }
        return classes == 0 ? Double.NaN : sum / classes;
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
     * its probabilities to {@link #emit}. Iterates over the emitted outputs.
     */
    private abstract static class BlockScorer<T> implements Iterator<T> {
        private final NetworkPayload payload;
        private final Iterator<Row> rows;
        private final MultiLayerNetwork net;
        private final List<T> buffer = new ArrayList<>();
        private int pos;

        BlockScorer(NetworkPayload payload, Iterator<Row> rows) {
            this.payload = payload;
            this.rows = rows;
            this.net = rows.hasNext() ? payload.network() : null;
        }

        abstract void emit(List<Row> block, INDArray probs, List<T> sink);

        @Override
        public boolean hasNext() {
            while (pos >= buffer.size() && rows.hasNext()) {
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
            while (block.size() < BLOCK && rows.hasNext()) {
                block.add(rows.next());
            }
            int d = payload.scaler().size();
            float[] x = new float[block.size() * d];
            for (int i = 0; i < block.size(); i++) {
                payload.scaler().apply(((Vector) block.get(i).get(0)).toArray(), x, i * d);
            }
            INDArray probs = payload.probabilities(net, Nd4j.create(x, new long[] {block.size(), d}));
            emit(block, probs, buffer);
        }
    }
}
