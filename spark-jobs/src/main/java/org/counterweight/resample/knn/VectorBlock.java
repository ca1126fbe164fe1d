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

    /**
     * A block's rows centred on {@code centre}: squared norms in double precision and augmented
     * single-precision rows of width d + 1 for {@link DistanceKernel#products}.
     */
    static final class Centred {
        final double[] centre;
        final double[] norms;
        final float[] rows;

        Centred(double[] centre, double[] norms, float[] rows) {
            this.centre = centre;
            this.norms = norms;
            this.rows = rows;
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

    /** The same rows ordered by id (a layout that does not depend on how rows were partitioned). */
    VectorBlock sortedById() {
        Integer[] order = new Integer[n];
        java.util.Arrays.setAll(order, i -> i);
        java.util.Arrays.sort(order, java.util.Comparator.comparingLong(i -> ids[i]));
        long[] sortedIds = new long[n];
        double[] sortedX = new double[n * d];
        for (int i = 0; i < n; i++) {
            sortedIds[i] = ids[order[i]];
            System.arraycopy(x, order[i] * d, sortedX, i * d, d);
        }
        return new VectorBlock(sortedIds, sortedX, d);
    }

    /** Rows {@code [from, to)} as a block of their own. */
    VectorBlock slice(int from, int to) {
        return new VectorBlock(java.util.Arrays.copyOfRange(ids, from, to),
                java.util.Arrays.copyOfRange(x, from * d, to * d), d);
    }

    /** Row {@code r}'s vector as a new array, from a row of (id, vector). */
    static double[] vector(Row r) {
        if (r.isNullAt(1)) {
            throw new DataException("row " + r.getLong(0) + ": features are null");
        }
        return ((Vector) r.get(1)).toArray();
    }

    /** As a reference block: centred on its own mean, rows {@code [r, ‖r‖²]} (computed once per JVM). */
    synchronized Centred asReference() {
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
            centred = centredOn(c, false);
        }
        return centred;
    }

    /** As a query block against a reference centred on {@code centre}: rows {@code [−2q, 1]}. */
    Centred asQuery(double[] centre) {
        return centredOn(centre, true);
    }

    private Centred centredOn(double[] centre, boolean query) {
        double[] shifted = new double[n * d];
        for (int i = 0; i < n * d; i++) {
            shifted[i] = x[i] - centre[i % d];
        }
        double[] norms = DistanceKernel.squaredNorms(shifted, n, d);
        int w = d + 1;
        float[] rows = new float[n * w];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                rows[i * w + t] = (float) (query ? -2 * shifted[i * d + t] : shifted[i * d + t]);
            }
            rows[i * w + d] = query ? 1f : (float) norms[i];
        }
        return new Centred(centre, norms, rows);
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
            double[] v = vector(r);
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
