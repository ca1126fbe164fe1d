package org.counterweight.evaluate;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.data.Columns;
import scala.Tuple2;
import scala.Tuple3;

/**
 * Exact one-vs-rest AUC and average precision of the requested classes, computed in Spark without
 * bringing rows to the driver.
 *
 * <p>Both metrics need, for each distinct score t of {@code prob_k} (scanned from the highest),
 * the number of positives {@code tps(t)} and negatives {@code fps(t)} scoring at least t:
 * <pre>
 *   AUC = Σ_t pos(t) · (N − fps(t) + neg(t)/2) / (P·N)     (Mann–Whitney U, ties count 1/2)
 *   AP  = Σ_t pos(t)/P · tps(t) / (tps(t) + fps(t))        (scikit-learn's step-function AP)
 * </pre>
 * Those running counts need a global order. Instead of sorting everything into one partition,
 * the scores of each class are cut into buckets at approximate quantiles of a sample, so that
 * tied scores always share a bucket. With {@code P_b, N_b} the positives and negatives of bucket
 * b and {@code F_b} the negatives in higher buckets, the AUC splits into
 * <pre>
 *   U = Σ_b [ U_b + P_b · (N − F_b − N_b) ]    (U_b: pairs inside bucket b; the rest: every
 *                                              positive of b outranks every negative below b)
 * </pre>
 * and AP's {@code tps(t), fps(t)} are the bucket's running counts plus the positives and
 * negatives in higher buckets. Any cut points give the exact answer; quantiles only keep the work
 * even. The bucket totals also give the ROC and precision–recall curves at the cut points, which
 * the report draws.
 *
 * <p>Jobs: {@code approxQuantile} over a small sample; one shuffle that moves each input
 * partition's scores, already grouped by (class, bucket, positive or not) into primitive
 * {@code double[]} chunks, to the partition owning that (class, bucket), where they are
 * concatenated and sorted into a cached {@link ScoreBucket} per (class, bucket) (the job returns
 * the K × buckets totals); one pass over the cached buckets that walks each with its offsets
 * ({@link ScoreBucket#sums}) and returns K × buckets sums. The offsets travel in the closure
 * (K × buckets longs). The cache ({@code MEMORY_ONLY}, 8 bytes per (row, ranked class)) is dropped
 * afterwards; buckets that did not fit are rebuilt from the shuffle files, which is slower but
 * exact. The reduce side uses {@code spark.sql.shuffle.partitions} partitions (at most one per
 * (class, bucket)).
 */
final class RankingAggregator {
    /** Sampled rows per bucket for the cut points; cut points only balance work, any are exact. */
    private static final int SAMPLE_PER_BUCKET = 1000;
    private static final long SAMPLE_SEED = 42;
    /** Scores per shuffled chunk: large enough that records are few, small enough to bound map-side buffers. */
    private static final int CHUNK = 4096;
    private static final int FIRST_BUFFER = 16;

    private final int numClasses;
    private final int[] ranked;
    private final int buckets;
    private final String labelCol;

    /**
     * @param numClasses K
     * @param ranked     the classes whose rankings are computed (ascending); the others get NaN
     *                   AUC/AP and no curve points
     * @param buckets    number of score buckets
     * @param labelCol   the class-index label column
     */
    RankingAggregator(int numClasses, int[] ranked, int buckets, String labelCol) {
        this.numClasses = numClasses;
        this.ranked = ranked.clone();
        this.buckets = buckets;
        this.labelCol = labelCol;
    }

    /**
     * Rankings of every class (index = class); {@code predictions} has been validated (labels are
     * class indexes, no null/NaN scores) and {@code support[k]} rows are of class k.
     */
    List<ClassRanking> rank(Dataset<Row> predictions, long[] support) {
        long rows = Arrays.stream(support).sum();
        int count = ranked.length;
        String[] probCols = new String[count];
        Column[] selected = new Column[count + 1];
        selected[0] = col(labelCol).cast(DataTypes.IntegerType);
        for (int j = 0; j < count; j++) {
            probCols[j] = Columns.prob(ranked[j]);
            selected[j + 1] = col(probCols[j]).cast(DataTypes.DoubleType);
        }
        double[][] splits = splits(predictions, probCols, rows);
        // Slot = one (ranked class j, bucket b): slotBase[j] + b.
        int[] slotBase = new int[count + 1];
        for (int j = 0; j < count; j++) {
            slotBase[j + 1] = slotBase[j] + splits[j].length - 1;
        }
        int slots = slotBase[count];
        int partitions = Math.max(1, Math.min(slots,
                Integer.parseInt(predictions.sparkSession().conf().get("spark.sql.shuffle.partitions"))));
        int[] classes = ranked.clone(); // a local, so the closures below do not capture this

        JavaRDD<ScoreBucket> sorted = predictions.select(selected).javaRDD()
                .mapPartitionsToPair(it -> new Chunker(it, classes, splits, slotBase, slots))
                .repartitionAndSortWithinPartitions(new SlotPartitioner(partitions))
                .mapPartitions(Merger::new)
                .persist(StorageLevel.MEMORY_ONLY());
        try {
            long[][] totals = new long[slots][2]; // slot -> {positives, negatives}
            for (long[] t : sorted.map(b -> new long[] {b.slot(), b.positives(), b.negatives()}).collect()) {
                totals[(int) t[0]][0] = t[1];
                totals[(int) t[0]][1] = t[2];
            }
            long[] tpAbove = new long[slots];
            long[] fpAbove = new long[slots];
            long[] negatives = new long[count];
            for (int j = 0; j < count; j++) {
                long tp = 0;
                long fp = 0;
                for (int s = slotBase[j + 1] - 1; s >= slotBase[j]; s--) {
                    tpAbove[s] = tp;
                    fpAbove[s] = fp;
                    tp += totals[s][0];
                    fp += totals[s][1];
                }
                negatives[j] = fp;
            }
            long[] twiceU = new long[count];
            double[] precisionSum = new double[count];
            // Tuples, not the Sums record: Kryo cannot serialize records.
            List<Tuple3<Integer, Long, Double>> sums = sorted.map(b -> {
                ScoreBucket.Sums s = b.sums(tpAbove[b.slot()], fpAbove[b.slot()]);
                return new Tuple3<>(b.slot(), s.twiceU(), s.precisionSum());
            }).collect();
            for (Tuple3<Integer, Long, Double> s : sums) {
                int slot = s._1();
                int j = classOf(slot, slotBase);
                long negativesBelow = negatives[j] - fpAbove[slot] - totals[slot][1];
                twiceU[j] += s._2() + 2 * totals[slot][0] * negativesBelow;
                precisionSum[j] += s._3();
            }
            return rankings(support, rows, splits, slotBase, totals, twiceU, precisionSum);
        } finally {
            sorted.unpersist(false);
        }
    }

    private List<ClassRanking> rankings(long[] support, long rows, double[][] splits, int[] slotBase,
                                        long[][] totals, long[] twiceU, double[] precisionSum) {
        List<ClassRanking> out = new ArrayList<>();
        for (int k = 0; k < numClasses; k++) {
            int j = Arrays.binarySearch(ranked, k);
            if (j < 0) {
                out.add(new ClassRanking(support[k], rows - support[k], Double.NaN, Double.NaN, List.of(), List.of()));
                continue;
            }
            long[][] classTotals = Arrays.copyOfRange(totals, slotBase[j], slotBase[j + 1]);
            long p = 0;
            long n = 0;
            for (long[] t : classTotals) {
                p += t[0];
                n += t[1];
            }
            double auc = p > 0 && n > 0 ? twiceU[j] / (2.0 * p * n) : Double.NaN;
            double ap = p > 0 ? precisionSum[j] / p : Double.NaN;
            List<CurvePoint> roc = new ArrayList<>();
            List<CurvePoint> pr = new ArrayList<>();
            addCurves(classTotals, splits[j], p, n, roc, pr);
            out.add(new ClassRanking(p, n, auc, ap, roc, pr));
        }
        return out;
    }

    private static int classOf(int slot, int[] slotBase) {
        int j = 0;
        while (slot >= slotBase[j + 1]) {
            j++;
        }
        return j;
    }

    /**
     * Bucket cut points per class: distinct approximate quantiles of a sample (about
     * {@value #SAMPLE_PER_BUCKET} rows per bucket), open at both ends. {@code -0.0} becomes
     * {@code 0.0} so that equal scores never straddle a cut.
     */
    private double[][] splits(Dataset<Row> predictions, String[] probCols, long rows) {
        double[] probabilities = new double[buckets - 1];
        for (int i = 1; i < buckets; i++) {
            probabilities[i - 1] = (double) i / buckets;
        }
        double fraction = Math.min(1.0, (double) SAMPLE_PER_BUCKET * buckets / rows);
        Dataset<Row> sample = fraction < 1 ? predictions.sample(false, fraction, SAMPLE_SEED) : predictions;
        double[][] quantiles = sample.stat().approxQuantile(probCols, probabilities, 0.5 / buckets);
        double[][] splits = new double[probCols.length][];
        for (int k = 0; k < probCols.length; k++) {
            double[] inner = Arrays.stream(quantiles[k]).map(q -> q + 0.0).distinct().sorted().toArray();
            double[] s = new double[inner.length + 2];
            s[0] = Double.NEGATIVE_INFINITY;
            System.arraycopy(inner, 0, s, 1, inner.length);
            s[s.length - 1] = Double.POSITIVE_INFINITY;
            splits[k] = s;
        }
        return splits;
    }

    /**
     * ROC and precision–recall points at each bucket's lower cut point, from the top bucket down:
     * ROC from (0, 0) to (1, 1); PR from scikit-learn's (recall 0, precision 1), skipping
     * thresholds above every score (precision undefined).
     */
    private static void addCurves(long[][] totals, double[] splits, long p, long n, List<CurvePoint> roc,
                                  List<CurvePoint> pr) {
        roc.add(new CurvePoint(Double.POSITIVE_INFINITY, 0, 0));
        pr.add(new CurvePoint(Double.POSITIVE_INFINITY, 0, 1));
        long tps = 0;
        long fps = 0;
        for (int b = splits.length - 2; b >= 0; b--) {
            tps += totals[b][0];
            fps += totals[b][1];
            roc.add(new CurvePoint(splits[b], MetricTable.ratio(fps, n), MetricTable.ratio(tps, p)));
            if (tps + fps > 0) {
                pr.add(new CurvePoint(splits[b], MetricTable.ratio(tps, p), MetricTable.ratio(tps, tps + fps)));
            }
        }
    }

    /**
     * Map side: turns rows ({@code label, prob_{ranked[0]}, …}) into chunks keyed
     * {@code 2·slot + (row is of the class ? 1 : 0)}, each a full {@link #CHUNK} of scores except
     * the last ones of the partition, so the shuffle moves a few large primitive arrays instead
     * of one record per (row, class).
     */
    private static final class Chunker implements Iterator<Tuple2<Integer, double[]>> {
        private final Iterator<Row> rows;
        private final int[] classes;
        private final double[][] splits;
        private final int[] slotBase;
        private final double[][] buffers;
        private final int[] filled;
        private final ArrayDeque<Tuple2<Integer, double[]>> ready = new ArrayDeque<>();
        private int flushed = 0;

        Chunker(Iterator<Row> rows, int[] classes, double[][] splits, int[] slotBase, int slots) {
            this.rows = rows;
            this.classes = classes;
            this.splits = splits;
            this.slotBase = slotBase;
            this.buffers = new double[2 * slots][];
            this.filled = new int[2 * slots];
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && rows.hasNext()) {
                Row r = rows.next();
                int label = r.getInt(0);
                for (int j = 0; j < classes.length; j++) {
                    double score = r.getDouble(j + 1) + 0.0; // -0.0 and 0.0 are one threshold
                    int key = 2 * (slotBase[j] + bucket(splits[j], score)) + (label == classes[j] ? 1 : 0);
                    add(key, score);
                }
            }
            // Partition exhausted: flush the partial buffers one key at a time.
            while (ready.isEmpty() && flushed < buffers.length) {
                if (filled[flushed] > 0) {
                    ready.add(new Tuple2<>(flushed, Arrays.copyOf(buffers[flushed], filled[flushed])));
                }
                buffers[flushed] = null;
                flushed++;
            }
            return !ready.isEmpty();
        }

        @Override
        public Tuple2<Integer, double[]> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        /**
         * Buffers start small and double up to {@link #CHUNK}, so that with many buckets the
         * buffers hold at most about twice the partition's own scores.
         */
        private void add(int key, double score) {
            double[] buffer = buffers[key];
            if (buffer == null) {
                buffer = new double[FIRST_BUFFER];
                buffers[key] = buffer;
            } else if (filled[key] == buffer.length) {
                buffer = Arrays.copyOf(buffer, 2 * buffer.length);
                buffers[key] = buffer;
            }
            buffer[filled[key]++] = score;
            if (filled[key] == CHUNK) {
                ready.add(new Tuple2<>(key, buffer));
                buffers[key] = new double[CHUNK]; // a busy key: skip the doubling from now on
                filled[key] = 0;
            }
        }

        /** Bucket b with {@code splits[b] <= score < splits[b+1]}; +∞ falls into the last bucket. */
        private static int bucket(double[] splits, double score) {
            int i = Arrays.binarySearch(splits, score);
            int b = i >= 0 ? i : -i - 2;
            return Math.min(b, splits.length - 2);
        }
    }

    /** Sends both keys of a slot (positives and negatives) to partition {@code slot mod n}. */
    private static final class SlotPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        SlotPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return ((Integer) key >>> 1) % partitions;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SlotPartitioner && ((SlotPartitioner) o).partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }

    /**
     * Reduce side: chunks arrive sorted by key, so a slot's negatives (key 2·slot) come just
     * before its positives (2·slot + 1); concatenates them and yields one sorted
     * {@link ScoreBucket} per slot, holding one slot's arrays at a time.
     */
    private static final class Merger implements Iterator<ScoreBucket> {
        private final Iterator<Tuple2<Integer, double[]>> chunks;
        private Tuple2<Integer, double[]> head;

        Merger(Iterator<Tuple2<Integer, double[]>> chunks) {
            this.chunks = chunks;
            this.head = chunks.hasNext() ? chunks.next() : null;
        }

        @Override
        public boolean hasNext() {
            return head != null;
        }

        @Override
        public ScoreBucket next() {
            if (head == null) {
                throw new NoSuchElementException();
            }
            int slot = head._1() >>> 1;
            Concatenation negatives = take(2 * slot);
            Concatenation positives = take(2 * slot + 1);
            return new ScoreBucket(slot, positives.scores, positives.size, negatives.scores, negatives.size);
        }

        private Concatenation take(int key) {
            Concatenation c = new Concatenation();
            while (head != null && head._1() == key) {
                c.add(head._2());
                head = chunks.hasNext() ? chunks.next() : null;
            }
            return c;
        }
    }

    /** A growable primitive array. */
    private static final class Concatenation {
        private double[] scores = new double[0];
        private int size = 0;

        void add(double[] chunk) {
            if (size + chunk.length > scores.length) {
                scores = Arrays.copyOf(scores, Math.max(size + chunk.length, 2 * scores.length));
            }
            System.arraycopy(chunk, 0, scores, size, chunk.length);
            size += chunk.length;
        }
    }
}
