package org.counterweight.resample.knn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Exact k-nearest (or k-farthest) neighbour search on Spark by Euclidean distance, never
 * holding more than a block pair of distances in a task.
 *
 * <p>Strategies: when the reference side fits {@code broadcastBudgetBytes} it is collected and
 * broadcast, and each query partition is scanned block by block against it. Otherwise both sides
 * are cut into blocks, every (query partition, reference partition) pair is scanned (a Spark
 * {@code cartesian}) and each query's partial top-k lists are merged by key. Both give the same
 * answer: ties are broken by reference id, a total order.
 *
 * <p>Input and result frames: {@link NeighbourSearch}.
 */
public final class KnnSearch implements NeighbourSearch {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KnnSearch.class);

    /** Reference rows per GEMM: 256 keeps a 1024-query block's distances (1 MB) in cache (BENCHMARKS.md). */
    private static final int SCAN_COLUMNS = 256;

    private final int k;
    private final NeighbourOrder order;
    private final boolean excludeSelf;
    private final boolean keepVectors;
    private final long broadcastBudgetBytes;
    private final int blockRows;

    /**
     * @param k                    neighbours per query
     * @param order                nearest or farthest
     * @param excludeSelf          a reference with the query's id is not its neighbour
     * @param keepVectors          also return the neighbours' vectors
     * @param broadcastBudgetBytes largest reference side (8·n·d bytes) to broadcast
     * @param blockRows            rows per block (memory per task ≈ 8·blockRows² bytes)
     */
    public KnnSearch(int k, NeighbourOrder order, boolean excludeSelf, boolean keepVectors,
                     long broadcastBudgetBytes, int blockRows) {
        if (k < 1 || blockRows < 1) {
            throw new IllegalArgumentException("k and blockRows must be positive");
        }
        this.k = k;
        this.order = order;
        this.excludeSelf = excludeSelf;
        this.keepVectors = keepVectors;
        this.broadcastBudgetBytes = broadcastBudgetBytes;
        this.blockRows = blockRows;
    }

    @Override
    public Dataset<Row> search(Dataset<Row> queries, Dataset<Row> refs, long queryCount, long refCount, int dim) {
        SparkSession spark = queries.sparkSession();
        long refBytes = 8L * refCount * Math.max(1, dim);
        JavaRDD<Row> out;
        if (refBytes <= broadcastBudgetBytes) {
            LOG.debug("kNN: broadcasting {} reference rows ({} bytes)", refCount, refBytes);
            out = broadcastSearch(queries, refs);
        } else {
            LOG.info("kNN: reference side {} bytes exceeds broadcast budget {}; block-pair search",
                    refBytes, broadcastBudgetBytes);
            out = blockPairSearch(queries, refs);
        }
        return spark.createDataFrame(out, NeighbourRows.schema(keepVectors));
    }

    private JavaRDD<Row> broadcastSearch(Dataset<Row> queries, Dataset<Row> refs) {
        List<Row> all = refs.collectAsList();
        VectorBlock ref = VectorBlock.read(all.iterator(), Integer.MAX_VALUE, -1);
        if (ref == null) {
            throw new IllegalArgumentException("kNN: the reference side is empty");
        }
        Broadcast<VectorBlock> b = JavaSparkContext.fromSparkContext(queries.sparkSession().sparkContext()).broadcast(ref);
        KnnSearch self = this;
        return queries.javaRDD().mapPartitions(rows -> {
            VectorBlock r = b.value();
            BlockScan scan = new BlockScan(Math.min(blockRows, SCAN_COLUMNS), excludeSelf);
            return Batches.map(rows, blockRows, batch -> {
                VectorBlock q = VectorBlock.read(batch.iterator(), Integer.MAX_VALUE, r.d);
                TopK top = new TopK(q.n, k, order, r.d, keepVectors);
                scan.scan(q, r, top, order);
                List<Row> out = new ArrayList<>(q.n);
                for (int i = 0; i < q.n; i++) {
                    out.add(self.toRow(q.ids[i], top, i));
                }
                return out;
            });
        });
    }

    private JavaRDD<Row> blockPairSearch(Dataset<Row> queries, Dataset<Row> refs) {
        int rows = blockRows;
        JavaRDD<VectorBlock> qBlocks = queries.javaRDD().mapPartitions(it -> blocks(it, rows));
        // Persisted: cartesian re-reads the reference side once per query block. It stays cached
        // as long as the result's lineage may be recomputed (the result is lazy).
        JavaRDD<VectorBlock> rBlocks = refs.javaRDD().mapPartitions(it -> blocks(it, rows))
                .persist(StorageLevel.MEMORY_AND_DISK());
        int kk = k;
        NeighbourOrder ord = order;
        boolean ex = excludeSelf;
        boolean keep = keepVectors;
        // cartesian pairs arrive grouped by query block: accumulate each block's top-k over the
        // whole reference partition, then emit one partial list per query.
        JavaPairRDD<Long, TopK> partial = qBlocks.cartesian(rBlocks).mapPartitionsToPair(pairs -> {
            List<Tuple2<Long, TopK>> emitted = new ArrayList<>();
            BlockScan scan = new BlockScan(Math.min(rows, SCAN_COLUMNS), ex);
            VectorBlock current = null;
            TopK top = null;
            while (pairs.hasNext()) {
                Tuple2<VectorBlock, VectorBlock> p = pairs.next();
                if (p._1() != current) {
                    flush(current, top, emitted);
                    current = p._1();
                    top = new TopK(current.n, kk, ord, current.d, keep);
                }
                scan.scan(current, p._2(), top, ord);
            }
            flush(current, top, emitted);
            return emitted.iterator();
        });
        JavaRDD<Row> out = partial.reduceByKey((a, b) -> {
            a.merge(0, b, 0);
            return a;
        }).map(t -> toRow(t._1(), t._2(), 0));
        return out;
    }

    private static void flush(VectorBlock q, TopK top, List<Tuple2<Long, TopK>> emitted) {
        if (q == null) {
            return;
        }
        for (int i = 0; i < q.n; i++) {
            emitted.add(new Tuple2<>(q.ids[i], top.single(i)));
        }
    }

    private static Iterator<VectorBlock> blocks(Iterator<Row> rows, int size) {
        List<VectorBlock> out = new ArrayList<>();
        VectorBlock b;
        while ((b = VectorBlock.read(rows, size, -1)) != null) {
            out.add(b);
        }
        return out.iterator();
    }

    private Row toRow(long id, TopK top, int q) {
        return NeighbourRows.of(id, top, q, keepVectors);
    }
}
