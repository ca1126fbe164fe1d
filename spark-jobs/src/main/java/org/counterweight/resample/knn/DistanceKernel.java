package org.counterweight.resample.knn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Squared Euclidean distances between two blocks of row-major vectors as one matrix product:
 * {@code d(q, r) = ‖q‖² + ‖r‖² − 2 q·r}, with {@code ‖r‖² − 2 q·r} from one single-precision
 * BLAS GEMM (netlib BLAS as shipped with Spark, which binds the system's native BLAS when present).
 * With 18 features a GEMM's inner dimension is short and it is limited by writing its output,
 * so single precision is about twice as fast as double (see BENCHMARKS.md). The values are only
 * candidates: callers widen them by {@link #errorBound} and confirm winners with {@link #exact}.
 */
public final class DistanceKernel {
    private static final BLAS BLAS_IMPL = BLAS.getInstance();

    private DistanceKernel() {
    }

    /** Name of the BLAS implementation in use (native or a Java fallback). */
    public static String blasName() {
        return BLAS_IMPL.getClass().getName();
    }

    /** Squared norms of the {@code n} rows of {@code x} (row-major, {@code d} columns). */
    public static double[] squaredNorms(double[] x, int n, int d) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int t = 0, o = i * d; t < d; t++) {
                s += x[o + t] * x[o + t];
            }
            out[i] = s;
        }
        return out;
    }

    /**
     * {@code out[i * nr + j] = a_i·b_j} for augmented single-precision rows of width {@code w}
     * ({@code a_i = [−2 q_i, 1]} and {@code b_j = [r_j, ‖r_j‖²]} give {@code ‖r_j‖² − 2 q_i·r_j},
     * the squared distance less the query's own norm). {@code b} may be a slice starting at
     * row {@code bFrom}.
     */
    public static void products(float[] a, int ma, float[] b, int bFrom, int nb, int w, float[] out) {
        // Column-major view: out (row-major ma x nb) is outT (nb x ma) = B * A^T, with B stored
        // row-major = column-major B^T, hence transa = "T".
        BLAS_IMPL.sgemm("T", "N", nb, ma, w, 1.0f, b, bFrom * w, w, a, 0, w, 0.0f, out, 0, nb);
    }

    /**
     * A bound on |computed − exact| of {@code ‖q‖² + ‖r‖² − 2 q·r} when the vectors are rounded to
     * single precision and the dot product is accumulated in it: rounding the coordinates and a
     * d-term dot product each cost at most about (d + 2)·u·(‖q‖² + ‖r‖²) with u = 2⁻²⁴ (Higham,
     * Accuracy and Stability of Numerical Algorithms, §3.1, using 2|q||r| ≤ ‖q‖² + ‖r‖²); the
     * factor 8 is a safety margin.
     */
    public static double errorBound(int d, double squaredNormSum) {
        return 8.0 * (d + 4) * 0x1.0p-24 * squaredNormSum;
    }

    /**
     * {@code out[j] = Σ_t (q_t − x_{j,t})²} for the {@code m} rows of a column-major block
     * ({@code xt[o + t·m + j]} is row j's coordinate t). Each sum is accumulated in the same order
     * as {@link #exact} (identical results); the loop over rows is one the JIT vectorizes.
     */
    public static void exactColumnMajor(double[] q, double[] xt, int o, int m, int d, double[] out) {
        java.util.Arrays.fill(out, 0, m, 0.0);
        for (int t = 0; t < d; t++) {
            double qt = q[t];
            int c = o + t * m;
            for (int j = 0; j < m; j++) {
                double e = qt - xt[c + j];
                out[j] += e * e;
            }
        }
    }

    /** Exact squared distance by direct differences (row {@code i} of {@code a}, row {@code j} of {@code b}). */
    public static double exact(double[] a, int i, double[] b, int j, int d) {
        double s = 0;
        for (int t = 0, oa = i * d, ob = j * d; t < d; t++) {
            double diff = a[oa + t] - b[ob + t];
            s += diff * diff;
        }
        return s;
    }
}
