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
        boolean within = queries == refs; // d(a, b) = d(b, a): each block pair once, both sides updated
        JavaRDD<Row> out;
        if (refBytes <= broadcastBudgetBytes) {
            LOG.debug("kNN: broadcasting {} reference rows ({} bytes){}", refCount, refBytes, within ? ", symmetric" : "");
            out = within ? symmetricBroadcastSearch(refs) : broadcastSearch(queries, refs);
        } else {
            LOG.info("kNN: reference side {} bytes exceeds broadcast budget {}; block-pair search{}",
                    refBytes, broadcastBudgetBytes, within ? ", symmetric" : "");
            out = within ? symmetricBlockPairSearch(refs) : blockPairSearch(queries, refs);
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

    /**
     * A within-set search with the set broadcast: its blocks' pairs (I ≤ J) are shared out among
     * tasks in contiguous runs; each task keeps one list per block it touched (without vectors:
     * they are looked up in the broadcast at the end), and the lists are merged per block.
     */
    private JavaRDD<Row> symmetricBroadcastSearch(Dataset<Row> rows) {
        VectorBlock set = VectorBlock.read(rows.collectAsList().iterator(), Integer.MAX_VALUE, -1);
        if (set == null) {
            throw new IllegalArgumentException("kNN: the reference side is empty");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        Broadcast<VectorBlock> b = jsc.broadcast(set.sortedById());
        int size = blockRows;
        int blocks = (set.n + size - 1) / size;
        long pairs = (long) blocks * (blocks + 1) / 2;
        int tasks = (int) Math.max(1, Math.min(pairs, jsc.defaultParallelism()));
        List<Integer> taskIds = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            taskIds.add(t);
        }
        int kk = k;
        NeighbourOrder ord = order;
        boolean ex = excludeSelf;
        boolean keep = keepVectors;
        JavaPairRDD<Integer, TopK> lists = jsc.parallelize(taskIds, tasks).flatMapToPair(t -> {
            VectorBlock all = b.value();
            VectorBlock[] bl = new VectorBlock[blocks];
            TopK[] tops = new TopK[blocks];
            BlockScan scan = new BlockScan(Math.min(size, SCAN_COLUMNS), ex);
            long first = pairs * t / tasks;
            long end = pairs * (t + 1) / tasks;
            long p = 0;
            for (int i = 0; i < blocks && p < end; i++) {
                if (p + blocks - i <= first) { // the whole row of pairs (i, i..blocks) precedes this task's run
                    p += blocks - i;
                    continue;
                }
                for (int j = i; j < blocks && p < end; j++, p++) {
                    if (p < first) {
                        continue;
                    }
                    VectorBlock bi = block(all, bl, i, size);
                    VectorBlock bj = block(all, bl, j, size);
                    TopK ti = tops[i] == null ? tops[i] = new TopK(bi.n, kk, ord, all.d, false) : tops[i];
                    if (i == j) {
                        scan.scan(bi, bi, ti, ord);
                    } else {
                        TopK tj = tops[j] == null ? tops[j] = new TopK(bj.n, kk, ord, all.d, false) : tops[j];
                        scan.scanBoth(bi, bj, ti, tj, ord);
                    }
                }
            }
            List<Tuple2<Integer, TopK>> out = new ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                if (tops[i] != null) {
                    out.add(new Tuple2<>(i, tops[i]));
                }
            }
            return out.iterator();
        });
        return lists.reduceByKey(KnnSearch::mergeRows, tasks).flatMap(e -> {
            VectorBlock all = b.value();
            int from = e._1() * size;
            TopK top = e._2();
            List<Row> out = new ArrayList<>(top.queries());
            for (int i = 0; i < top.queries(); i++) {
                long id = all.ids[from + i];
                out.add(keep ? NeighbourRows.of(id, top, i, all) : NeighbourRows.of(id, top, i, false));
            }
            return out.iterator();
        });
    }

    /** Block {@code i} of {@code all} (blocks of {@code size} rows), sliced on first use. */
    private static VectorBlock block(VectorBlock all, VectorBlock[] bl, int i, int size) {
        if (bl[i] == null) {
            bl[i] = all.slice(i * size, Math.min(all.n, (i + 1) * size));
        }
        return bl[i];
    }

    /** {@code a} with every row's list merged with the same row's in {@code b}. */
    private static TopK mergeRows(TopK a, TopK b) {
        for (int i = 0; i < a.queries(); i++) {
            a.merge(i, b, i);
        }
        return a;
    }

    /**
     * A within-set search too large to broadcast: the set's blocks (numbered by partition and
     * position) are paired with themselves by a {@code cartesian}, only pairs I ≤ J are scanned,
     * each updating both blocks' lists; a task emits every touched row's partial list once.
     */
    private JavaRDD<Row> symmetricBlockPairSearch(Dataset<Row> rows) {
        int size = blockRows;
        JavaPairRDD<Long, VectorBlock> blocks = rows.javaRDD().mapPartitionsWithIndex((part, it) -> {
            List<Tuple2<Long, VectorBlock>> out = new ArrayList<>();
            Iterator<VectorBlock> bs = blocks(it, size);
            for (long seq = 0; bs.hasNext(); seq++) {
                out.add(new Tuple2<>(((long) part << 32) | seq, bs.next()));
            }
            return out.iterator();
        }, true).mapToPair(t -> t).persist(StorageLevel.MEMORY_AND_DISK());
        int kk = k;
        NeighbourOrder ord = order;
        boolean ex = excludeSelf;
        boolean keep = keepVectors;
        JavaPairRDD<Long, TopK> partial = blocks.cartesian(blocks)
                .filter(p -> p._1()._1() <= p._2()._1())
                .mapPartitionsToPair(pairs -> {
                    java.util.Map<Long, VectorBlock> seen = new java.util.HashMap<>();
                    java.util.Map<Long, TopK> tops = new java.util.HashMap<>();
                    BlockScan scan = new BlockScan(Math.min(size, SCAN_COLUMNS), ex);
                    while (pairs.hasNext()) {
                        Tuple2<Tuple2<Long, VectorBlock>, Tuple2<Long, VectorBlock>> p = pairs.next();
                        long i = p._1()._1();
                        long j = p._2()._1();
                        VectorBlock bi = seen.computeIfAbsent(i, x -> p._1()._2());
                        VectorBlock bj = seen.computeIfAbsent(j, x -> p._2()._2());
                        TopK ti = tops.computeIfAbsent(i, x -> new TopK(bi.n, kk, ord, bi.d, keep));
                        if (i == j) {
                            scan.scan(bi, bi, ti, ord);
                        } else {
                            scan.scanBoth(bi, bj, ti, tops.computeIfAbsent(j, x -> new TopK(bj.n, kk, ord, bj.d, keep)),
                                    ord);
                        }
                    }
                    List<Tuple2<Long, TopK>> emitted = new ArrayList<>();
                    tops.forEach((key, top) -> flush(seen.get(key), top, emitted));
                    return emitted.iterator();
                });
        return partial.reduceByKey((a, b) -> {
            a.merge(0, b, 0);
            return a;
        }).map(t -> NeighbourRows.of(t._1(), t._2(), 0, keep));
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
