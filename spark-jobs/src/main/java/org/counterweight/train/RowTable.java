package org.counterweight.train;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.counterweight.spark.HadoopConf;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training run's standardised rows, numbered 0..n-1 in {@code row_id} order, from which every
 * epoch's minibatches are dealt ({@link EpochDeal}): written once per run ({@link RowTableWriter})
 * and read by whoever fits the minibatches — whole into memory ({@link #load}) or row by row
 * ({@link #read}) when it is too large to keep.
 *
 * <p>On disk, a directory: {@code table.properties} (row count, feature and class counts, rows per
 * shard, and the run's seed and batch size, which with the epoch fix every deal) and one file per
 * non-empty shard, {@code part-NNNNN.bin}, with the shard's rows as fixed-width records (the
 * features as big-endian float32, then the class index as int32), so any row can be read by
 * position.
 */
final class RowTable {
    static final String META = "table.properties";

    private final float[] features;
    private final int[] labels;
    private final int numFeatures;
    private final int numClasses;

    RowTable(float[] features, int[] labels, int numFeatures, int numClasses) {
        this.features = features;
        this.labels = labels;
        this.numFeatures = numFeatures;
        this.numClasses = numClasses;
    }

    /**
     * What {@code table.properties} says: the table's shape and shards, and the deal parameters
     * (seed, batch size) of the run that wrote it.
     */
    record Layout(int features, int classes, long seed, int batchSize, long[] shardRows) {
        /** Total rows. */
        long rows() {
            return Arrays.stream(shardRows).sum();
        }

        /** Bytes of one row on disk and in memory. */
        long recordBytes() {
            return 4L * (features + 1);
        }

        void write(String dir, Configuration conf) {
            Properties p = new Properties();
            p.setProperty("rows", Long.toString(rows()));
            p.setProperty("features", Integer.toString(features));
            p.setProperty("classes", Integer.toString(classes));
            p.setProperty("seed", Long.toString(seed));
            p.setProperty("batchSize", Integer.toString(batchSize));
            p.setProperty("shardRows", Arrays.stream(shardRows).mapToObj(Long::toString).collect(Collectors.joining(",")));
            try (OutputStream out = MinibatchExporter.create(new Path(dir + META), conf)) {
                p.store(out, "training rows, numbered in row_id order; dealt anew each epoch (docs/training.md)");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + dir + META, e);
            }
        }

        static Layout read(String dir) {
            Path path = new Path(dir + META);
            Properties p = new Properties();
            try (InputStream in = path.getFileSystem(HadoopConf.get()).open(path)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the training rows' layout " + path, e);
            }
            long[] shards = Arrays.stream(p.getProperty("shardRows").split(",")).mapToLong(Long::parseLong).toArray();
            return new Layout(Integer.parseInt(p.getProperty("features")), Integer.parseInt(p.getProperty("classes")),
                    Long.parseLong(p.getProperty("seed")), Integer.parseInt(p.getProperty("batchSize")), shards);
        }
    }

    /** The file of shard {@code shard} in {@code dir}. */
    static Path shardPath(String dir, int shard) {
        return new Path(dir + String.format("part-%05d.bin", shard));
    }

    /** Encodes one row (its standardised features and class index) as its record into {@code buf}. */
    static void putRecord(ByteBuffer buf, float[] x, int label) {
        for (float v : x) {
            buf.putFloat(v);
        }
        buf.putInt(label);
    }

    /** Reads the whole table into memory; {@code layout} must allow int-indexed arrays. */
    static RowTable load(String dir, Layout layout) {
        int d = layout.features();
        int n = Math.toIntExact(layout.rows());
        float[] x = new float[Math.multiplyExact(n, d)];
        int[] y = new int[n];
        byte[] record = new byte[(int) layout.recordBytes()];
        ByteBuffer buf = ByteBuffer.wrap(record);
        scan(dir, layout, (in, row) -> {
            in.readFully(record);
            decode(buf.rewind(), x, row * d, d, y, row);
        });
        return new RowTable(x, y, d, layout.classes());
    }

    /** The class index of every row, in table order, read from the files (the features are skipped). */
    static int[] labels(String dir, Layout layout) {
        int[] y = new int[Math.toIntExact(layout.rows())];
        long skip = layout.recordBytes() - 4;
        scan(dir, layout, (in, row) -> {
            in.skipNBytes(skip);
            y[row] = in.readInt();
        });
        return y;
    }

    /** Reads one record of a shard stream; {@code row} is its number in the table. */
    @FunctionalInterface
    private interface RecordReader {
        void read(DataInputStream in, int row) throws IOException;
    }

    /** Hands every record of the table, in order, to {@code reader}. */
    private static void scan(String dir, Layout layout, RecordReader reader) {
        Configuration conf = HadoopConf.get();
        int row = 0;
        for (int s = 0; s < layout.shardRows().length; s++) {
            if (layout.shardRows()[s] == 0) {
                continue;
            }
            Path path = shardPath(dir, s);
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                    path.getFileSystem(conf).open(path), 1 << 16))) {
                for (long i = 0; i < layout.shardRows()[s]; i++, row++) {
                    reader.read(in, row);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read training rows " + path, e);
            }
        }
    }

    /**
     * The minibatch of {@code rows} (with their {@code partners}, or null) read by position from
     * the files, without loading the table (for tables larger than a reader may keep).
     */
    static DataSet read(String dir, Layout layout, int[] rows, int[] partners) {
        rows = withPartners(rows, partners);
        int d = layout.features();
        long[] starts = new long[layout.shardRows().length + 1];
        for (int s = 0; s < layout.shardRows().length; s++) {
            starts[s + 1] = starts[s] + layout.shardRows()[s];
        }
        float[] x = new float[rows.length * d];
        int[] y = new int[rows.length];
        byte[] record = new byte[(int) layout.recordBytes()];
        ByteBuffer buf = ByteBuffer.wrap(record);
        Map<Integer, FSDataInputStream> open = new HashMap<>();
        Configuration conf = HadoopConf.get();
        try {
            for (int i = 0; i < rows.length; i++) {
                int s = Arrays.binarySearch(starts, rows[i]);
                s = s >= 0 ? nonEmptyFrom(starts, s) : -s - 2;
                FSDataInputStream in = open.get(s);
                if (in == null) {
                    Path path = shardPath(dir, s);
                    in = path.getFileSystem(conf).open(path);
                    open.put(s, in);
                }
                in.readFully((rows[i] - starts[s]) * layout.recordBytes(), record);
                decode(buf.rewind(), x, i * d, d, y, i);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read training rows in " + dir, e);
        } finally {
            for (FSDataInputStream in : open.values()) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read-only stream: nothing was lost
                }
            }
        }
        return minibatch(x, y, d, layout.classes(), partners != null);
    }

    /** {@code rows} followed by {@code partners} (when not null): the feature rows of a minibatch. */
    private static int[] withPartners(int[] rows, int[] partners) {
        if (partners == null) {
            return rows;
        }
        if (partners.length != rows.length) {
            throw new IllegalArgumentException(rows.length + " rows but " + partners.length + " partners");
        }
        int[] all = Arrays.copyOf(rows, 2 * rows.length);
        System.arraycopy(partners, 0, all, rows.length, partners.length);
        return all;
    }

    /** The shard holding the row that starts at {@code starts[s]} (skipping empty shards). */
    private static int nonEmptyFrom(long[] starts, int s) {
        while (starts[s + 1] == starts[s]) {
            s++;
        }
        return s;
    }

    private static void decode(ByteBuffer record, float[] x, int at, int d, int[] y, int row) {
        for (int j = 0; j < d; j++) {
            x[at + j] = record.getFloat();
        }
        y[row] = record.getInt();
    }

    /** Number of rows. */
    int rows() {
        return labels.length;
    }

    /** The class index of {@code row}. */
    int label(int row) {
        return labels[row];
    }

    /** Bytes held in memory. */
    long bytes() {
        return 4L * features.length + 4L * labels.length;
    }

    /**
     * The minibatch of {@code rows} (indexes, in this order), with their {@code partners} (or null)
     * in {@link MinibatchFormat#BILATERAL}'s shape, else {@link MinibatchFormat#PLAIN}'s.
     */
    DataSet minibatch(int[] rows, int[] partners) {
        boolean paired = partners != null;
        rows = withPartners(rows, partners);
        int d = numFeatures;
        float[] x = new float[rows.length * d];
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * d, x, i * d, d);
            y[i] = labels[rows[i]];
        }
        return minibatch(x, y, d, numClasses, paired);
    }

    /**
     * The arrays of a minibatch of feature rows {@code x} with classes {@code y}: features [n, d]
     * and one-hot labels [n, K]; {@code paired}, the second half partners of the first (BBN):
     * features [2b, d], the b rows over their b partners, and labels [b, 2K], one-hot y | one-hot
     * partner y — what {@code BilateralBranchLayer} and {@code BilateralLoss} (losses module) take.
     */
    private static DataSet minibatch(float[] x, int[] y, int d, int numClasses, boolean paired) {
        int n = y.length;
        int b = paired ? n / 2 : n;
        int width = paired ? 2 * numClasses : numClasses;
        float[] oneHot = new float[b * width];
        for (int i = 0; i < b; i++) {
            oneHot[i * width + y[i]] = 1f;
            if (paired) {
                oneHot[i * width + numClasses + y[b + i]] = 1f;
            }
        }
        return new DataSet(Nd4j.create(x, new long[] {n, d}), Nd4j.create(oneHot, new long[] {b, width}));
    }
}
