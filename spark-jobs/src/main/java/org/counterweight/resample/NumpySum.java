package org.counterweight.resample;

import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;

/**
 * {@code np.sum} of a float64 vector, bit for bit as numpy 1.24 computes it, for samplers that
 * must round exactly as imbalanced-learn does (ADASYN). numpy adds the vector in buffers of 8192
 * elements, each by pairwise summation (numpy/core/src/umath/loops_utils.h.src,
 * {@code pairwise_sum}: blocks of at most 128 elements summed with 8 accumulators, larger ones
 * split in two at a multiple of 8), and the buffer sums one after the other from 0. Verified
 * against {@code np.sum} for 1–300,001 elements (tools/fixtures/resample/make_oversampler_fixtures.py).
 * The buffers are summed by Spark, only their sums reach the driver.
 */
final class NumpySum {
    /** numpy's reduction buffer size (elements). */
    static final int BUFFER = 8192;
    private static final int BLOCK = 128;
    private static final int UNROLL = 8;

    private NumpySum() {
    }

    /**
     * The sum of a vector of {@code n} elements given sparsely: {@code values} has a long
     * position (0..n-1, unique) in column 0 and a double in column 1; absent positions are 0.
     */
    static double of(Dataset<Row> values, long n) {
        String pos = values.columns()[0];
        String value = values.columns()[1];
        List<Row> buffers = values.groupBy(functions.floor(functions.col(pos).divide(BUFFER)).as("_buffer"))
                .agg(functions.collect_list(functions.struct(functions.col(pos), functions.col(value))).as("_v"))
                .javaRDD().map(r -> {
                    long b = r.getLong(0);
                    double[] dense = new double[(int) Math.min(BUFFER, n - b * BUFFER)];
                    for (Row e : r.<Row>getList(1)) {
                        dense[(int) (e.getLong(0) - b * BUFFER)] = e.getDouble(1);
                    }
                    return RowFactory.create(b, pairwise(dense, 0, dense.length));
                }).collect();
        TreeMap<Long, Double> byBuffer = new TreeMap<>();
        buffers.forEach(r -> byBuffer.put(r.getLong(0), r.getDouble(1)));
        double sum = 0.0;
        for (double s : byBuffer.values()) {
            sum += s; // an absent buffer adds +0.0, which changes nothing
        }
        return sum;
    }

    /** The sum of a dense vector, as {@link #of} computes it. */
    static double of(double[] a) {
        double sum = 0.0;
        for (int from = 0; from < a.length; from += BUFFER) {
            sum += pairwise(a, from, Math.min(BUFFER, a.length - from));
        }
        return sum;
    }

    /** numpy's {@code pairwise_sum} of {@code a[from, from + n)}. */
    static double pairwise(double[] a, int from, int n) {
        if (n < UNROLL) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        if (n <= BLOCK) {
            double[] r = new double[UNROLL];
            System.arraycopy(a, from, r, 0, UNROLL);
            int i = UNROLL;
            for (; i < n - n % UNROLL; i += UNROLL) {
                for (int j = 0; j < UNROLL; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % UNROLL;
        return pairwise(a, from, n2) + pairwise(a, from + n2, n - n2);
    }
}
