package org.counterweight.losses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads the PyTorch reference values made by tools/fixtures/losses/make_loss_fixtures.py
 * ({@link #root()}, logit losses), make_normalize_fixtures.py ({@link #normalize()}) and
 * make_anchor_fixtures.py ({@link #anchors()}, FAL/FAML).
 */
final class TorchFixtures {
    private static final Map<String, JsonNode> CACHE = new HashMap<>();

    private TorchFixtures() {
    }

    static JsonNode root() {
        return read("/losses/torch-reference.json");
    }

    static JsonNode normalize() {
        return read("/losses/torch-normalize.json");
    }

    static JsonNode anchors() {
        return read("/losses/anchor-reference.json");
    }

    private static synchronized JsonNode read(String resource) {
        return CACHE.computeIfAbsent(resource, r -> {
            try (InputStream in = TorchFixtures.class.getResourceAsStream(r)) {
                return new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static INDArray matrix(JsonNode rows) {
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(rows.get(i));
        }
        return Nd4j.create(m).castTo(DataType.DOUBLE);
    }

    static INDArray column(JsonNode values) {
        double[] v = vector(values);
        return Nd4j.create(v, new long[] {v.length, 1}, DataType.DOUBLE);
    }

    static double[] vector(JsonNode values) {
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i).asDouble();
        }
        return v;
    }

    static long[] longs(JsonNode values) {
        long[] v = new long[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i).asLong();
        }
        return v;
    }

    static INDArray oneHot(JsonNode labels, int k) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, labels.size(), k);
        for (int i = 0; i < labels.size(); i++) {
            y.putScalar(i, labels.get(i).asInt(), 1.0);
        }
        return y;
    }

    /** Element-wise |a − e| ≤ 1e-9 + 1e-7·|e|. */
    static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what + ": size");
        double[] e = expected.reshape(expected.length()).toDoubleVector();
        double[] a = actual.reshape(actual.length()).toDoubleVector();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-9 + 1e-7 * Math.abs(e[i]), what + " [" + i + "]");
        }
    }
}
