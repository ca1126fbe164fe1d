package org.counterweight.resample.knn;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An in-memory approximate neighbour index: a hierarchical k-means tree searched best bin first
 * (Muja &amp; Lowe, "Scalable nearest neighbor algorithms for high dimensional data", TPAMI 2014,
 * the tree of FLANN). Every node splits its rows into up to {@link #BRANCHING} k-means cells
 * ({@link KMeans}) until a cell has at most {@link #LEAF_ROWS} rows; building costs about
 * n·log n. A query keeps the cells it has met in a priority queue (nearest: by the distance to
 * the cell's centre; farthest: by the largest distance the cell can hold, centre distance +
 * radius): an inner cell popped from it adds its children, a leaf is scanned whole with exact
 * double-precision distances, until {@code budget} rows were scanned. Cells that cannot hold a
 * better neighbour than the current k-th (by the triangle inequality on their radius) are
 * skipped, so a budget of at least the row count gives the exact answer.
 *
 * <p>The build is a pure function of the rows (in id order) and the seed.
 */
final class KMeansTree implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Largest cell that is not split (a leaf). */
    static final int LEAF_ROWS = 32;
    /** Cells per split. */
    static final int BRANCHING = 32;
    /** k-means at a node is fitted on at most this many rows per centre. */
    private static final int SAMPLE_PER_CENTRE = 64;
    /** Relative slack of the pruning bounds: rounding must not prune a cell holding an exact tie. */
    private static final double SLACK = 1e-9;

    private final long[] ids;
    /** The rows in leaf order, each leaf's block column-major (see {@link DistanceKernel#exactColumnMajor}). */
    private final double[] xt;
    private final int d;
    /** Cell centres; the children of a node (consecutive ids) as one column-major block. */
    private final double[] centre;
    private final double[] radius;
    private final int[] from;
    private final int[] to;
    private final int[] firstChild;
    private final int[] childCount;

    private KMeansTree(long[] ids, double[] xt, int d, double[] centre, double[] radius, int[] from, int[] to, int[] firstChild,
                       int[] childCount) {
        this.ids = ids;
        this.xt = xt;
        this.d = d;
        this.centre = centre;
        this.radius = radius;
        this.from = from;
        this.to = to;
        this.firstChild = firstChild;
        this.childCount = childCount;
    }

    /** The tree over {@code block}'s rows (taken in id order, so the result is partition-independent). */
    static KMeansTree build(VectorBlock block, long seed) {
        VectorBlock sorted = block.sortedById();
        int n = sorted.n;
        int d = sorted.d;
        double[] x = sorted.x;
        int[] perm = new int[n];
        Arrays.setAll(perm, i -> i);
        Nodes nodes = new Nodes(d);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                mean[t] += x[i * d + t] / n;
            }
        }
        nodes.add(mean, x, perm, 0, n);
        int[] label = new int[n];
        int[] scratch = new int[n];
        // Breadth first: a node's children get consecutive ids.
        for (int node = 0; node < nodes.size; node++) {
            int f = nodes.from[node];
            int t = nodes.to[node];
            int m = t - f;
            if (m <= LEAF_ROWS) {
                continue;
            }
            int b = Math.min(BRANCHING, (m + LEAF_ROWS - 1) / LEAF_ROWS);
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + node);
            double[] c = KMeans.centres(x, d, perm, f, t, b, b * SAMPLE_PER_CENTRE, rng);
            int k = c.length / d;
            if (k < 2) {
                continue; // all rows equal: one leaf, scanned whole
            }
            int[] counts = new int[k + 1];
            for (int i = f; i < t; i++) {
                label[i] = KMeans.nearest(c, k, x, perm[i] * d, d);
                counts[label[i] + 1]++;
            }
            int nonEmpty = 0;
            for (int j = 1; j <= k; j++) {
                nonEmpty += counts[j] > 0 ? 1 : 0;
                counts[j] += counts[j - 1];
            }
            if (nonEmpty < 2) {
                continue;
            }
            int[] start = counts.clone();
            for (int i = f; i < t; i++) { // stable counting sort of the node's rows by cell
                scratch[f + start[label[i]]++] = perm[i];
            }
            System.arraycopy(scratch, f, perm, f, m);
            nodes.firstChild[node] = nodes.size;
            nodes.childCount[node] = nonEmpty;
            for (int j = 0; j < k; j++) {
                if (counts[j + 1] > counts[j]) {
                    nodes.add(Arrays.copyOfRange(c, j * d, (j + 1) * d), x, perm, f + counts[j], f + counts[j + 1]);
                }
            }
        }
        long[] ids = new long[n];
        double[] xt = new double[n * d];
        for (int node = 0; node < nodes.size; node++) {
            if (nodes.childCount[node] == 0) {
                int f = nodes.from[node];
                int m = nodes.to[node] - f;
                for (int j = 0; j < m; j++) {
                    int r = perm[f + j];
                    ids[f + j] = sorted.ids[r];
                    for (int t = 0; t < d; t++) {
                        xt[f * d + t * m + j] = x[r * d + t];
                    }
                }
            }
        }
        int s = nodes.size;
        double[] ct = new double[s * d];
        System.arraycopy(nodes.centre, 0, ct, 0, d);
        for (int node = 0; node < s; node++) {
            int fc = nodes.firstChild[node];
            int cnt = nodes.childCount[node];
            for (int c = 0; c < cnt; c++) {
                for (int t = 0; t < d; t++) {
                    ct[fc * d + t * cnt + c] = nodes.centre[(fc + c) * d + t];
                }
            }
        }
        return new KMeansTree(ids, xt, d, ct,
                Arrays.copyOf(nodes.radius, s), Arrays.copyOf(nodes.from, s), Arrays.copyOf(nodes.to, s),
                Arrays.copyOf(nodes.firstChild, s), Arrays.copyOf(nodes.childCount, s));
    }

    /**
     * Offers query {@code q}'s candidates to slot {@code slot} of {@code top}: whole cells, best
     * first, until at least {@code budget} rows were scanned or no cell is left that could improve
     * the list.
     *
     * @param heap reusable scratch space (one per thread)
     */
    void search(double[] q, long qid, TopK top, int slot, int budget, NeighbourOrder order, boolean excludeSelf,
                Heap heap) {
        boolean nearest = order == NeighbourOrder.NEAREST;
        double sign = order.sign;
        heap.clear();
        heap.push(0, 0);
        int scanned = 0;
        while (heap.size > 0 && scanned < budget) {
            int node = heap.topNode();
            double nodeKey = heap.pop();
            if (cannotImprove(top, slot, nodeKey, node, nearest)) {
                continue;
            }
            if (childCount[node] > 0) { // children join the queue, ranked with every other cell by their own centre
                int fc = firstChild[node];
                int cnt = childCount[node];
                double[] cd = heap.distances(cnt);
                DistanceKernel.exactColumnMajor(q, centre, fc * d, cnt, d, cd);
                for (int c = fc; c < fc + cnt; c++) {
                    double dist = Math.sqrt(cd[c - fc]);
                    double key = nearest ? dist : -(dist + radius[c]);
                    if (!cannotImprove(top, slot, key, c, nearest)) {
                        heap.push(key, c);
                    }
                }
                continue;
            }
            int f = from[node];
            int m = to[node] - f;
            double[] dist = heap.distances(m);
            DistanceKernel.exactColumnMajor(q, xt, f * d, m, d, dist);
            for (int j = 0; j < m; j++) {
                long id = ids[f + j];
                // a larger key can never enter; an equal one may (ties go to the smaller id)
                if (sign * dist[j] <= top.worstKey(slot) && (!excludeSelf || id != qid)) {
                    top.offer(slot, dist[j], id, heap.row(xt, f * d, m, j, d), 0);
                }
            }
            scanned += m;
        }
    }

    /** Whether node {@code c} (priority {@code key}) cannot hold a row better than the current k-th. */
    private boolean cannotImprove(TopK top, int slot, double key, int c, boolean nearest) {
        double worst = top.worstKey(slot);
        if (worst == Double.POSITIVE_INFINITY) {
            return false;
        }
        if (nearest) { // every row is at least (centre distance − radius) away
            return key - radius[c] > Math.sqrt(Math.max(0, worst)) * (1 + SLACK);
        }
        return -key < Math.sqrt(Math.max(0, -worst)) * (1 - SLACK); // at most centre distance + radius
    }

    /** A search's scratch space: a binary min-heap of (key, node), the cells left to visit, and a leaf's distances. */
    static final class Heap {
        private double[] keys = new double[64];
        private int[] nodes = new int[64];
        private int size;
        private double[] distances = new double[LEAF_ROWS];

        private double[] row = new double[0];

        /** Row {@code j} of a column-major block of {@code m} rows at {@code o}, in a reused buffer. */
        double[] row(double[] xt, int o, int m, int j, int d) {
            if (row.length != d) {
                row = new double[d];
            }
            for (int t = 0; t < d; t++) {
                row[t] = xt[o + t * m + j];
            }
            return row;
        }

        /** A buffer for at least {@code n} distances. */
        double[] distances(int n) {
            if (distances.length < n) {
                distances = new double[n];
            }
            return distances;
        }

        void clear() {
            size = 0;
        }

        void push(double key, int node) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                nodes = Arrays.copyOf(nodes, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (keys[parent] <= key) {
                    break;
                }
                keys[i] = keys[parent];
                nodes[i] = nodes[parent];
                i = parent;
            }
            keys[i] = key;
            nodes[i] = node;
        }

        int topNode() {
            return nodes[0];
        }

        /** Removes the smallest entry and returns its key. */
        double pop() {
            double top = keys[0];
            double key = keys[--size];
            int node = nodes[size];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) {
                    break;
                }
                if (c + 1 < size && keys[c + 1] < keys[c]) {
                    c++;
                }
                if (key <= keys[c]) {
                    break;
                }
                keys[i] = keys[c];
                nodes[i] = nodes[c];
                i = c;
            }
            keys[i] = key;
            nodes[i] = node;
            return top;
        }
    }

    /** Growable node arrays used while building. */
    private static final class Nodes {
        private final int d;
        double[] centre = new double[0];
        double[] radius = new double[16];
        int[] from = new int[16];
        int[] to = new int[16];
        int[] firstChild = new int[16];
        int[] childCount = new int[16];
        int size;

        Nodes(int d) {
            this.d = d;
            centre = new double[16 * d];
        }

        /** A node for rows {@code perm[f..t)} with centre {@code c}; its radius from the rows. */
        void add(double[] c, double[] x, int[] perm, int f, int t) {
            if (size == from.length) {
                int cap = size * 2;
                centre = Arrays.copyOf(centre, cap * d);
                radius = Arrays.copyOf(radius, cap);
                from = Arrays.copyOf(from, cap);
                to = Arrays.copyOf(to, cap);
                firstChild = Arrays.copyOf(firstChild, cap);
                childCount = Arrays.copyOf(childCount, cap);
            }
            System.arraycopy(c, 0, centre, size * d, d);
            double r = 0;
            for (int i = f; i < t; i++) {
                r = Math.max(r, KMeans.squared(x, perm[i] * d, c, 0, d));
            }
            radius[size] = Math.sqrt(r);
            from[size] = f;
            to[size] = t;
            size++;
        }
    }
}
