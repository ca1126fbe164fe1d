package org.counterweight.resample.knn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Squared Euclidean distances between two blocks of row-major vectors as one matrix product:
 * {@code d(q, r) = ‖q‖² + ‖r‖² − 2 q·r}, the product {@code −2 Q Rᵀ} done by a BLAS GEMM (netlib
 * BLAS as shipped with Spark, which binds the system's native BLAS when present). The expansion
 * loses precision for nearly equal vectors, so callers treat these values as candidates and
 * confirm winners with {@link #exact}.
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
     * {@code out[i * nr + j] = ‖q_i‖² + ‖r_j‖² − 2 q_i·r_j} for {@code i < mq}, {@code j < nr}.
     * {@code r} may be a slice of a larger array starting at row {@code rFrom}.
     */
    public static void squaredDistances(double[] q, double[] qNorms, int mq,
                                        double[] r, double[] rNorms, int rFrom, int nr, int d, double[] out) {
        // Column-major view: out (row-major mq x nr) is outT (nr x mq) = R * Q^T, with R stored
        // row-major = column-major R^T, hence transa = "T".
        BLAS_IMPL.dgemm("T", "N", nr, mq, d, -2.0, r, rFrom * d, d, q, 0, d, 0.0, out, 0, nr);
        for (int i = 0; i < mq; i++) {
            double qi = qNorms[i];
            int o = i * nr;
            for (int j = 0; j < nr; j++) {
                out[o + j] += qi + rNorms[rFrom + j];
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
