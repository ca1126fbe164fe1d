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
 * radius): an inner cell popped from it adds its children, a leaf is taken whole, until the
 * leaves taken hold {@code budget} rows; a budget of at least the row count gives the exact
 * answer. A batch of queries is then scanned leaf by leaf, each leaf against all the queries that
 * took it, with the exact search's blocked kernel ({@link #searchBatch}).
 *
 * <p>The build is a pure function of the rows (in id order) and the seed.
 */
final class KMeansTree implements Serializable {
    private static final long serialVersionUID = 1L;
    /**
     * Largest cell that is not split (a leaf). 128, not FLANN's 32: a leaf is scanned as one GEMM
     * block, and the walk's cost is per cell taken, so larger leaves halve the time per query at
     * equal recall (recall@5 0.984 with 6144 candidates at 128 as with 4096 at 32, d = 18;
     * TreeRecallProbe, docs/resampling.md).
     */
    static final int LEAF_ROWS = 128;
    /** Cells per split. */
    static final int BRANCHING = 32;
    /** k-means at a node is fitted on at most this many rows per centre. */
    private static final int SAMPLE_PER_CENTRE = 64;
    /** The rows in leaf order (a leaf's rows are consecutive): the reference block of every scan. */
    private final VectorBlock rows;
    private final int d;
    /** Cell centres; the children of a node (consecutive ids) as one column-major block. */
    private final double[] centre;
    private final double[] radius;
    private final int[] from;
    private final int[] to;
    private final int[] firstChild;
    private final int[] childCount;

    private KMeansTree(VectorBlock rows, int d, double[] centre, double[] radius, int[] from, int[] to, int[] firstChild,
                       int[] childCount) {
        this.rows = rows;
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
        double[] leafOrder = new double[n * d];
        for (int j = 0; j < n; j++) {
            ids[j] = sorted.ids[perm[j]];
            System.arraycopy(x, perm[j] * d, leafOrder, j * d, d);
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
        return new KMeansTree(new VectorBlock(ids, leafOrder, d), d, ct,
                Arrays.copyOf(nodes.radius, s), Arrays.copyOf(nodes.from, s), Arrays.copyOf(nodes.to, s),
                Arrays.copyOf(nodes.firstChild, s), Arrays.copyOf(nodes.childCount, s));
    }

    /**
     * Offers each query of {@code q} (slot i of {@code top} = row i) the rows of the leaves its
     * own walk visits ({@link #leaves}), leaf by leaf for all queries at once: the queries visiting
     * a leaf are scanned against it as one block pair with the exact search's kernel
     * ({@link BlockScan}), so a leaf is read once per batch, not once per query. A query's answer
     * depends only on itself (its leaves and the exact top-k over their rows), not on its batch.
     *
     * @param scan the block kernel (its {@code excludeSelf} applies)
     * @param heap reusable scratch space (one per thread)
     */
    void searchBatch(VectorBlock q, TopK top, int budget, NeighbourOrder order, BlockScan scan, Heap heap) {
        VectorBlock.Centred rc = rows.asReference();
        VectorBlock.Centred qc = q.asQuery(rc.centre);
        // (leaf, query) visits, then grouped by leaf with a counting sort
        int[] visitLeaf = new int[Math.max(16, q.n * 8)];
        int[] visitQuery = new int[visitLeaf.length];
        int visits = 0;
        int[] perLeaf = new int[centre.length / d + 1];
        for (int i = 0; i < q.n; i++) {
            int found = leaves(q.x, i * d, budget, order, heap);
            if (visits + found > visitLeaf.length) {
                int cap = Math.max(2 * visitLeaf.length, visits + found);
                visitLeaf = Arrays.copyOf(visitLeaf, cap);
                visitQuery = Arrays.copyOf(visitQuery, cap);
            }
            for (int v = 0; v < found; v++) {
                int leaf = heap.found[v];
                visitLeaf[visits] = leaf;
                visitQuery[visits++] = i;
                perLeaf[leaf + 1]++;
            }
        }
        for (int node = 1; node < perLeaf.length; node++) {
            perLeaf[node] += perLeaf[node - 1];
        }
        int[] sel = new int[visits];
        int[] next = Arrays.copyOf(perLeaf, perLeaf.length - 1);
        for (int v = 0; v < visits; v++) {
            sel[next[visitLeaf[v]]++] = visitQuery[v];
        }
        int w = d + 1;
        float[] packed = new float[0];
        for (int leaf = 0; leaf + 1 < perLeaf.length; leaf++) {
            int f = perLeaf[leaf];
            int m = perLeaf[leaf + 1] - f;
            if (m == 0) {
                continue;
            }
            if (packed.length < m * w) {
                packed = new float[Math.max(m * w, 2 * packed.length)];
            }
            int[] group = Arrays.copyOfRange(sel, f, f + m);
            for (int g = 0; g < m; g++) {
                System.arraycopy(qc.rows, group[g] * w, packed, g * w, w);
            }
            scan.scan(q, qc, group, m, packed, rows, rc, from[leaf], to[leaf], top, order);
        }
    }

    /**
     * The leaves a query visits, best first, into {@code heap.found} (returns how many): cells
     * are kept in a priority queue (nearest: by the distance to the centre; farthest: by centre
     * distance + radius, the farthest a row of the cell can be), an inner cell popped from it adds
     * its children, a leaf is taken, until the leaves taken hold at least {@code budget} rows.
     */
    int leaves(double[] q, int qo, int budget, NeighbourOrder order, Heap heap) {
        boolean nearest = order == NeighbourOrder.NEAREST;
        heap.clear();
        heap.push(0, 0);
        int taken = 0;
        int found = 0;
        double[] query = heap.query(q, qo, d);
        while (heap.size > 0 && taken < budget) {
            int node = heap.topNode();
            heap.pop();
            if (childCount[node] > 0) { // children join the queue, ranked with every other cell by their own centre
                int fc = firstChild[node];
                int cnt = childCount[node];
                double[] cd = heap.distances(cnt);
                DistanceKernel.exactColumnMajor(query, centre, fc * d, cnt, d, cd);
                for (int c = fc; c < fc + cnt; c++) {
                    double dist = Math.sqrt(cd[c - fc]);
                    heap.push(nearest ? dist : -(dist + radius[c]), c);
                }
                continue;
            }
            heap.take(found++, node);
            taken += to[node] - from[node];
        }
        return found;
    }

    /**
     * A walk's scratch space: a binary min-heap of (key, node), the cells left to visit; the
     * children's distances; the leaves taken; the query row.
     */
    static final class Heap {
        private double[] keys = new double[64];
        private int[] nodes = new int[64];
        private int size;
        private double[] distances = new double[BRANCHING];
        private int[] found = new int[64];
        private double[] query = new double[0];

        /** Row {@code x[o..o+d)} in a reused buffer. */
        double[] query(double[] x, int o, int d) {
            if (query.length != d) {
                query = new double[d];
            }
            System.arraycopy(x, o, query, 0, d);
            return query;
        }

        /** Records the {@code i}-th leaf taken. */
        void take(int i, int leaf) {
            if (i == found.length) {
                found = Arrays.copyOf(found, 2 * i);
            }
            found[i] = leaf;
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
