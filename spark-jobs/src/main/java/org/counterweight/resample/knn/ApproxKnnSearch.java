package org.counterweight.resample.knn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Approximate k-nearest (or k-farthest) neighbour search whose cost grows about n·log n: the
 * reference rows are indexed by a {@link KMeansTree} and each query compares itself exactly with
 * about {@code candidates} of them, the rows of the tree cells closest to it. Queries are searched
 * in batches, each tree leaf against all the batch's queries that chose it, with the exact
 * search's blocked kernel. The one accuracy
 * knob is {@code candidates}; with at least as many candidates as reference rows the answer is
 * exact. Ties are broken by reference id, as in {@link KnnSearch}.
 *
 * <p>Strategies, as for the exact search: when the reference side fits
 * {@code broadcastBudgetBytes}, the tree is built on the driver and broadcast, and queries are
 * searched partition by partition without a shuffle. Otherwise the reference rows are split into
 * {@code c ≈ 2 · size / budget} cells by k-means on a sample of {@code 256 c} rows; each cell is
 * indexed and broadcast in turn (the driver never holds more than one cell). A query is first
 * searched in its home cell (nearest: the cell with the nearest centre; farthest: the largest
 * centre distance + radius), then in every other cell that, by the triangle inequality and the
 * cells' bisecting hyperplanes, could hold a better neighbour than the k-th found in its home
 * cell; the partial lists are merged per query.
 */
public final class ApproxKnnSearch implements NeighbourSearch {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApproxKnnSearch.class);
    /** Sampled reference rows per cell for the cells' k-means. */
    private static final int SAMPLE_PER_CELL = 256;
    /** Smallest cell of the partitioned strategy (few rows per cell would only add rounds). */
    private static final long MIN_CELL_ROWS = 256;
    /** Stream id of the cells' k-means seed (distinct from the trees'). */
    private static final long CELL_SEED = 0x0CE11L;
    /**
     * Queries searched together: the more, the more queries share each leaf's scan (a leaf is
     * taken by about batch × candidates / rows of them); 8192 keeps a batch's leaf lists near 10 MB.
     */
    private static final int BATCH_QUERIES = 8192;

    private final int k;
    private final NeighbourOrder order;
    private final boolean excludeSelf;
    private final boolean keepVectors;
    private final long broadcastBudgetBytes;
    private final int candidates;
    private final long seed;

    /**
     * @param k                    neighbours per query
     * @param order                nearest or farthest
     * @param excludeSelf          a reference with the query's id is not its neighbour
     * @param keepVectors          also return the neighbours' vectors
     * @param broadcastBudgetBytes largest reference side (8·n·d bytes) indexed in one piece
     * @param candidates           reference rows compared exactly per query (at least k + 1 are)
     * @param seed                 seed of the trees' and cells' k-means
     */
    public ApproxKnnSearch(int k, NeighbourOrder order, boolean excludeSelf, boolean keepVectors,
                           long broadcastBudgetBytes, int candidates, long seed) {
        if (k < 1 || candidates < 1) {
            throw new IllegalArgumentException("k and candidates must be positive");
        }
        this.k = k;
        this.order = order;
        this.excludeSelf = excludeSelf;
        this.keepVectors = keepVectors;
        this.broadcastBudgetBytes = broadcastBudgetBytes;
        this.candidates = Math.max(candidates, k + 1);
        this.seed = seed;
    }

    @Override
    public Dataset<Row> search(Dataset<Row> queries, Dataset<Row> refs, long queryCount, long refCount, int dim) {
        if (refCount == 0) {
            throw new IllegalArgumentException("kNN: the reference side is empty");
        }
        long refBytes = 8L * refCount * Math.max(1, dim);
        JavaRDD<Row> out;
        if (refBytes <= broadcastBudgetBytes) {
            LOG.debug("approximate kNN: one tree over {} reference rows, {} candidates per query", refCount, candidates);
            out = treeSearch(queries, refs);
        } else {
            out = cellSearch(queries, refs, refCount, refBytes);
        }
        return queries.sparkSession().createDataFrame(out, NeighbourRows.schema(keepVectors));
    }

    private JavaRDD<Row> treeSearch(Dataset<Row> queries, Dataset<Row> refs) {
        Broadcast<KMeansTree> b = broadcast(queries.sparkSession().sparkContext(), index(refs.collectAsList(), seed));
        boolean keep = keepVectors;
        return queries.javaRDD().mapPartitions(rows -> {
            Searcher s = new Searcher(b.value());
            return Batches.map(rows, BATCH_QUERIES, batch -> {
                VectorBlock q = VectorBlock.read(batch.iterator(), Integer.MAX_VALUE, -1);
                TopK top = s.search(q);
                List<Row> out = new ArrayList<>(q.n);
                for (int i = 0; i < q.n; i++) {
                    out.add(NeighbourRows.of(q.ids[i], top, i, keep));
                }
                return out;
            });
        });
    }

    private JavaRDD<Row> cellSearch(Dataset<Row> queries, Dataset<Row> refs, long refCount, long refBytes) {
        long cellsWanted = Math.min(Math.max(2, (2 * refBytes + broadcastBudgetBytes) / Math.max(1, broadcastBudgetBytes)),
                Math.max(2, refCount / MIN_CELL_ROWS));
        Cells cells = Cells.fit(refs, refCount, (int) Math.min(cellsWanted, 1 << 16), seed);
        LOG.info("approximate kNN: {} reference rows exceed the broadcast budget {} bytes; {} k-means cells indexed"
                + " one at a time", refCount, broadcastBudgetBytes, cells.count());
        JavaPairRDD<Integer, Row> refCells = refs.javaRDD().mapToPair(r -> new Tuple2<>(cells.nearest(VectorBlock.vector(r)), r))
                .persist(StorageLevel.MEMORY_AND_DISK());
        cells.setRadii(refCells.mapToPair(t -> new Tuple2<>(t._1(), cells.distance(t._1(), VectorBlock.vector(t._2()))))
                .reduceByKey(Math::max).collectAsMap());
        boolean nearest = order == NeighbourOrder.NEAREST;
        JavaRDD<Partial> homes = queries.javaRDD().map(r -> {
            double[] x = VectorBlock.vector(r);
            return new Partial(r.getLong(0), x, cells.home(x, nearest), null);
        }).persist(StorageLevel.MEMORY_AND_DISK());

        // Round 1: every query in its home cell.
        List<JavaRDD<Partial>> done = new ArrayList<>();
        for (int c : cells.nonEmpty()) {
            done.add(inCell(refCells, c, homes.filter(p -> p.cell == c), true));
        }
        JavaRDD<Partial> first = union(queries, done).persist(StorageLevel.MEMORY_AND_DISK());
        // Round 2: the other cells that could hold a better neighbour than the k-th found so far.
        List<JavaRDD<Partial>> more = new ArrayList<>();
        more.add(first);
        int kk = k;
        for (int c : cells.nonEmpty()) {
            more.add(inCell(refCells, c, first.filter(p -> p.cell != c && cells.mayImprove(p, c, kk, nearest)), false));
        }
        boolean keep = keepVectors;
        return union(queries, more).mapToPair(p -> new Tuple2<>(p.id, p.top))
                .reduceByKey((a, b) -> {
                    a.merge(0, b, 0);
                    return a;
                })
                .map(t -> NeighbourRows.of(t._1(), t._2(), 0, keep));
    }

    /**
     * Searches {@code visitors} in cell {@code c}: indexes and broadcasts the cell, computes the
     * partial lists (materialized, so that the cell's broadcast can be released).
     */
    private JavaRDD<Partial> inCell(JavaPairRDD<Integer, Row> refCells, int c, JavaRDD<Partial> visitors,
                                    boolean keepQuery) {
        List<Row> rows = refCells.filter(t -> t._1() == c).values().collect();
        Broadcast<KMeansTree> b = broadcast(visitors.context(), index(rows, seed + c));
        JavaRDD<Partial> out = visitors.mapPartitions(ps -> {
            Searcher s = new Searcher(b.value());
            return Batches.map(ps, BATCH_QUERIES, batch -> {
                int m = batch.size();
                int d = batch.get(0).x.length;
                long[] ids = new long[m];
                double[] x = new double[m * d];
                for (int i = 0; i < m; i++) {
                    ids[i] = batch.get(i).id;
                    System.arraycopy(batch.get(i).x, 0, x, i * d, d);
                }
                TopK top = s.search(new VectorBlock(ids, x, d));
                List<Partial> found = new ArrayList<>(m);
                for (int i = 0; i < m; i++) {
                    Partial p = batch.get(i);
                    found.add(new Partial(p.id, keepQuery ? p.x : null, p.cell, top.single(i)));
                }
                return found;
            });
        }).persist(StorageLevel.MEMORY_AND_DISK());
        out.count();
        b.unpersist(); // the executors' copies; the driver's stays (spillable) should a lost block be recomputed
        return out;
    }

    private KMeansTree index(List<Row> rows, long treeSeed) {
        VectorBlock block = VectorBlock.read(rows.iterator(), Integer.MAX_VALUE, -1);
        if (block == null) {
            throw new IllegalArgumentException("kNN: the reference side is empty");
        }
        return KMeansTree.build(block, treeSeed);
    }

    private static Broadcast<KMeansTree> broadcast(SparkContext sc, KMeansTree tree) {
        return JavaSparkContext.fromSparkContext(sc).broadcast(tree);
    }

    private static JavaRDD<Partial> union(Dataset<Row> queries, List<JavaRDD<Partial>> parts) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(queries.sparkSession().sparkContext());
        return jsc.union(parts.toArray(new JavaRDD[0]));
    }

    /** One task's searcher over one tree (its scratch space and kernel buffers are reused across batches). */
    private final class Searcher {
        private final KMeansTree tree;
        private final KMeansTree.Heap heap = new KMeansTree.Heap();
        private final BlockScan scan = new BlockScan(KMeansTree.LEAF_ROWS, excludeSelf);

        Searcher(KMeansTree tree) {
            this.tree = tree;
        }

        /** The lists of a batch of queries (slot i = row i). */
        TopK search(VectorBlock q) {
            TopK top = new TopK(q.n, k, order, q.d, keepVectors);
            tree.searchBatch(q, top, candidates, order, scan, heap);
            return top;
        }
    }

    /** A query on its way through the cells: its vector, home cell and partial list. */
    private static final class Partial implements Serializable {
        private static final long serialVersionUID = 1L;
        final long id;
        final double[] x;
        final int cell;
        final TopK top;

        Partial(long id, double[] x, int cell, TopK top) {
            this.id = id;
            this.x = x;
            this.cell = cell;
            this.top = top;
        }
    }

    /** The k-means cells of the partitioned strategy: centres, radii and the visiting rules. */
    private static final class Cells implements Serializable {
        private static final long serialVersionUID = 1L;
        private static final double SLACK = 1e-9;
        private final double[] centres;
        private final int d;
        private final int count;
        private double[] radius;

        private Cells(double[] centres, int d) {
            this.centres = centres;
            this.d = d;
            this.count = centres.length / d;
        }

        /** {@code wanted} cells by k-means on a seeded sample of about 256 rows per cell (chosen by row id). */
        static Cells fit(Dataset<Row> refs, long n, int wanted, long seed) {
            double fraction = Math.min(1.0, (double) SAMPLE_PER_CELL * wanted / Math.max(1, n));
            List<Row> sample = refs.javaRDD()
                    .filter(r -> new SplittableRandom(seed ^ (r.getLong(0) * 0x9E3779B97F4A7C15L)).nextDouble() < fraction)
                    .collect();
            VectorBlock s = VectorBlock.read(sample.iterator(), Integer.MAX_VALUE, -1);
            if (s == null) { // a tiny fraction of a small side can draw nothing: take every row
                s = VectorBlock.read(refs.collectAsList().iterator(), Integer.MAX_VALUE, -1);
            }
            s = s.sortedById();
            int[] all = new int[s.n];
            java.util.Arrays.setAll(all, i -> i);
            double[] c = KMeans.centres(s.x, s.d, all, 0, s.n, wanted, s.n, new SplittableRandom(seed ^ CELL_SEED));
            return new Cells(c, s.d);
        }

        int count() {
            return count;
        }

        int nearest(double[] x) {
            return KMeans.nearest(centres, count, x, 0, d);
        }

        double distance(int c, double[] x) {
            return Math.sqrt(KMeans.squared(x, 0, centres, c * d, d));
        }

        void setRadii(Map<Integer, Double> radii) {
            radius = new double[count];
            java.util.Arrays.fill(radius, Double.NaN); // NaN: no reference row in the cell
            radii.forEach((c, r) -> radius[c] = r);
        }

        List<Integer> nonEmpty() {
            List<Integer> out = new ArrayList<>();
            for (int c = 0; c < count; c++) {
                if (!Double.isNaN(radius[c])) {
                    out.add(c);
                }
            }
            return out;
        }

        /**
         * Among the cells holding reference rows: nearest: the one whose centre is nearest;
         * farthest: the one with the largest centre distance + radius.
         */
        int home(double[] x, boolean nearest) {
            int best = -1;
            double bestKey = Double.POSITIVE_INFINITY;
            for (int c = 0; c < count; c++) {
                double key = nearest ? distance(c, x) : -(distance(c, x) + radius[c]);
                if (!Double.isNaN(radius[c]) && key < bestKey) {
                    bestKey = key;
                    best = c;
                }
            }
            return best;
        }

        /**
         * Whether cell {@code c} may hold a better neighbour than query {@code p}'s current k-th:
         * nearest: a row of cell c is at least (centre distance − radius) away, and at least the
         * distance to the hyperplane bisecting the home and c centres (it is nearer to c's
         * centre); farthest: at most centre distance + radius away.
         */
        boolean mayImprove(Partial p, int c, int k, boolean nearest) {
            if (p.top.size(0) < k) {
                return true;
            }
            double kth = p.top.distance(0, k - 1);
            double dc = distance(c, p.x);
            if (!nearest) {
                return dc + radius[c] >= kth * (1 - SLACK);
            }
            double lower = dc - radius[c];
            int h = p.cell;
            double gap = Math.sqrt(KMeans.squared(centres, h * d, centres, c * d, d));
            if (gap > 0) {
                double dh = distance(h, p.x);
                lower = Math.max(lower, (dc * dc - dh * dh) / (2 * gap));
            }
            return lower <= kth * (1 + SLACK);
        }
    }
}
