package org.counterweight.resample.knn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.counterweight.data.DataException;

/**
 * A block of rows as one row-major {@code double[]} with their ids: the unit the distance kernel
 * works on. Blocks bound the memory of a task. A block used as the reference side also keeps a
 * single-precision copy centred on its mean (distances do not change under translation, and
 * centring keeps the GEMM's rounding error proportional to the data's spread, not its offset).
 */
public final class VectorBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    final long[] ids;
    final double[] x;
    final int n;
    final int d;
    private transient Centred centred;

    /** A reference block's centred single-precision view. */
    static final class Centred {
        final double[] centre;
        final float[] x;
        final double[] norms;
        final float[] normsF;

        Centred(double[] centre, float[] x, double[] norms) {
            this.centre = centre;
            this.x = x;
            this.norms = norms;
            this.normsF = new float[norms.length];
            for (int i = 0; i < norms.length; i++) {
                normsF[i] = (float) norms[i];
            }
        }
    }

    /** A block from ids and row-major vectors. */
    public VectorBlock(long[] ids, double[] x, int d) {
        this.ids = ids;
        this.x = x;
        this.n = ids.length;
        this.d = d;
    }

    /** Rows in the block. */
    public int size() {
        return n;
    }

    /** This block centred on its own mean (computed once per JVM). */
    synchronized Centred centred() {
        if (centred == null) {
            double[] c = new double[d];
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < d; t++) {
                    c[t] += x[i * d + t];
                }
            }
            for (int t = 0; t < d; t++) {
                c[t] /= Math.max(1, n);
            }
            centred = centredOn(c);
        }
        return centred;
    }

    /** This block translated by {@code −centre}, in single precision, with squared norms. */
    Centred centredOn(double[] centre) {
        float[] f = new float[n * d];
        double[] shifted = new double[n * d];
        for (int i = 0; i < n * d; i++) {
            shifted[i] = x[i] - centre[i % d];
            f[i] = (float) shifted[i];
        }
        return new Centred(centre, f, DistanceKernel.squaredNorms(shifted, n, d));
    }

    /**
     * Reads up to {@code max} rows of (id, vector) from {@code rows} (id in column 0, vector in
     * column 1); null when {@code rows} is exhausted. Every vector must have {@code d} entries
     * ({@code d < 0}: take it from the first row).
     */
    static VectorBlock read(Iterator<Row> rows, int max, int d) {
        List<double[]> vs = new ArrayList<>();
        List<Long> idList = new ArrayList<>();
        int dim = d;
        while (vs.size() < max && rows.hasNext()) {
            Row r = rows.next();
            long id = r.getLong(0);
            if (r.isNullAt(1)) {
                throw new DataException("row " + id + ": features are null");
            }
            double[] v = ((Vector) r.get(1)).toArray();
            if (dim < 0) {
                dim = v.length;
            }
            if (v.length != dim) {
                throw new DataException("row " + id + ": features have " + v.length + " entries, expected " + dim);
            }
            vs.add(v);
            idList.add(id);
        }
        if (vs.isEmpty()) {
            return null;
        }
        double[] x = new double[vs.size() * dim];
        long[] ids = new long[vs.size()];
        for (int i = 0; i < vs.size(); i++) {
            System.arraycopy(vs.get(i), 0, x, i * dim, dim);
            ids[i] = idList.get(i);
        }
        return new VectorBlock(ids, x, dim);
    }
}
