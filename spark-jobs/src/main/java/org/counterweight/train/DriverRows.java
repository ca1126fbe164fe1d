package org.counterweight.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.data.Columns;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small labeled frame held in the driver as standardised feature blocks, for the
 * {@link Engine#LOCAL} engine's per-epoch balanced accuracy: scoring it in-process avoids one
 * Spark job per epoch. Collected once per training run.
 */
final class DriverRows {
    private final List<INDArray> blocks;
    private final List<int[]> labels;

    private DriverRows(List<INDArray> blocks, List<int[]> labels) {
        this.blocks = blocks;
        this.labels = labels;
    }

    /** Collects {@code data}'s features (standardised with {@code scaler}) and class indexes. */
    static DriverRows collect(Dataset<Row> data, Standardizer scaler) {
        List<Row> rows = data.select(Columns.FEATURES, Columns.LABEL).collectAsList();
        List<INDArray> blocks = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        int d = scaler.size();
        for (int from = 0; from < rows.size(); from += Predictor.BLOCK) {
            int n = Math.min(Predictor.BLOCK, rows.size() - from);
            float[] x = new float[n * d];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                Row r = rows.get(from + i);
                scaler.apply(((Vector) r.get(0)).toArray(), x, i * d);
                y[i] = (int) r.getDouble(1);
            }
            blocks.add(Nd4j.create(x, new long[] {n, d}));
            labels.add(y);
        }
        return new DriverRows(blocks, labels);
    }

    /** Confusion counts [true][predicted] of {@code net} (inference mode) on these rows. */
    long[][] confusion(MultiLayerNetwork net, int numClasses) {
        long[][] m = new long[numClasses][numClasses];
        for (int b = 0; b < blocks.size(); b++) {
            INDArray probs = net.output(blocks.get(b), false);
            int[] y = labels.get(b);
            for (int i = 0; i < y.length; i++) {
                m[y[i]][Predictor.argmax(probs.getRow(i).toDoubleVector())]++;
            }
        }
        return m;
    }
}
