package org.counterweight.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.spark.HadoopConf;
import org.counterweight.data.Columns;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Writes one epoch's rows as DL4J minibatch files ({@link DataSet#save}), from the executors, to
 * a directory every executor can read (a local directory on one machine; HDFS/S3/NFS on a
 * cluster). Training then reads them (DL4J's {@code ExecuteWorkerPathFlatMap}): unlike DL4J's
 * own export this works on any master with any file system, and a static epoch is exported once.
 *
 * <p>Order: rows are shuffled by a hash of (seed, epoch, row_id), ties (copies of one row from a
 * sampler) broken by row id, and cut into consecutive minibatches of {@code batchSize} (the last
 * one may be smaller). Each minibatch holds standardised features and one-hot labels over K
 * classes. Used for {@code shuffle=once}; every other run deals its minibatches from a
 * {@link RowTable}.
 */
final class MinibatchExporter {
    private MinibatchExporter() {
    }

    /**
     * Exports {@code rows} to {@code dir} and returns the file paths in minibatch order. With
     * {@code fromDriver} the ordered rows are collected and the files written by the driver (small
     * data, {@link Engine#LOCAL}): the same files without the executors' two jobs.
     */
    static List<String> export(Dataset<Row> rows, Standardizer scaler, int numClasses, int batchSize,
                               long seed, int epoch, String dir, boolean fromDriver) {
        Column[] columns = {col(Columns.FEATURES), col(Columns.LABEL), col(Columns.ROW_ID)};
        Dataset<Row> ordered = rows.select(columns)
                .withColumn("_key", xxhash64(lit(seed), lit(epoch), col(Columns.ROW_ID)))
                .orderBy(col("_key"), col(Columns.ROW_ID))
                .select(columns);
        String base = dir.endsWith("/") ? dir : dir + "/";
        long n = fromDriver
                ? writeOnDriver(ordered.collectAsList(), scaler, numClasses, batchSize, base)
                : writeOnExecutors(ordered.javaRDD(), scaler, numClasses, batchSize, base);
        if (n == 0) {
            throw new IllegalArgumentException("no training rows to export for epoch " + epoch);
        }
        List<String> paths = new ArrayList<>();
        for (long i = 0; i * batchSize < n; i++) {
            paths.add(base + fileName(i));
        }
        return paths;
    }

    /** Writes the minibatches of the ordered {@code rows} from the driver; returns the number of rows. */
    static long writeOnDriver(List<Row> rows, Standardizer scaler, int numClasses, int batchSize, String base) {
        List<Tuple2<Long, Row>> keyed = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            keyed.add(new Tuple2<>((long) (i / batchSize), rows.get(i)));
        }
        writeGroups(keyed, scaler, numClasses, base);
        return rows.size();
    }

    /**
     * Writes the minibatches of the globally ordered {@code rows} from the executors; returns the
     * number of rows. Each partition holds a consecutive run of ranks (one job counts them), writes
     * the minibatches that lie wholly inside it, and sends the rows of the at most two minibatches
     * that straddle its boundaries to the driver, which writes those. Only those edge rows move;
     * the second job reads the sort's shuffle output again, so both jobs see the same partitions.
     */
    static long writeOnExecutors(JavaRDD<Row> rows, Standardizer scaler, int numClasses, int batchSize, String base) {
        List<Long> counts = rows.mapPartitions(it -> {
            long c = 0;
            for (; it.hasNext(); it.next()) {
                c++;
            }
            return List.of(c).iterator();
        }).collect();
        long[] starts = new long[counts.size() + 1];
        for (int p = 0; p < counts.size(); p++) {
            starts[p + 1] = starts[p] + counts.get(p);
        }
        long n = starts[counts.size()];
        List<Tuple2<Long, Row>> edges = rows.mapPartitionsWithIndex((p, it) -> {
            Configuration conf = HadoopConf.get();
            List<Tuple2<Long, Row>> edge = new ArrayList<>();
            List<Row> batch = new ArrayList<>(batchSize);
            for (long i = starts[p]; it.hasNext(); i++) {
                Row r = it.next();
                long b = i / batchSize;
                long end = Math.min(n, (b + 1) * batchSize);
                if (b * batchSize < starts[p] || end > starts[p + 1]) {
                    edge.add(new Tuple2<>(b, r));
                } else {
                    batch.add(r);
                    if (i == end - 1) {
                        write(dataSet(batch, scaler, numClasses), new Path(base + fileName(b)), conf);
                        batch.clear();
                    }
                }
            }
            return edge.iterator();
        }, false).collect();
        writeGroups(edges, scaler, numClasses, base);
        return n;
    }

    /** Writes each run of consecutive rows with the same minibatch index as that minibatch's file. */
    private static void writeGroups(List<Tuple2<Long, Row>> keyed, Standardizer scaler, int numClasses, String base) {
        Configuration conf = HadoopConf.get();
        for (int from = 0; from < keyed.size(); ) {
            long b = keyed.get(from)._1();
            List<Row> batch = new ArrayList<>();
            int to = from;
            for (; to < keyed.size() && keyed.get(to)._1() == b; to++) {
                batch.add(keyed.get(to)._2());
            }
            write(dataSet(batch, scaler, numClasses), new Path(base + fileName(b)), conf);
            from = to;
        }
    }

    /** The minibatch of {@code members} (features, label, row id): standardised features [b, d], one-hot labels [b, K]. */
    static DataSet dataSet(List<Row> members, Standardizer scaler, int numClasses) {
        int b = members.size();
        int d = scaler.size();
        float[] x = new float[b * d];
        float[] y = new float[b * numClasses];
        for (int i = 0; i < b; i++) {
            Row r = members.get(i);
            scaler.apply(((Vector) r.get(0)).toArray(), x, i * d);
            y[i * numClasses + MinibatchFormat.classIndex(r, 1, numClasses)] = 1f;
        }
        return new DataSet(Nd4j.create(x, new long[] {b, d}), Nd4j.create(y, new long[] {b, numClasses}));
    }

    static String fileName(long batch) {
        return String.format("batch-%07d.bin", batch);
    }

    private static void write(DataSet ds, Path path, Configuration conf) {
        try {
            try (OutputStream out = create(path, conf)) {
                ds.save(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write minibatch " + path, e);
        }
    }

    /**
     * Opens a new file (a minibatch, {@link RowTable} files). Local files are written with java.nio:
     * Hadoop's local file system forks a {@code chmod} process for every file it creates (and its
     * {@code .crc}), which dominated the export of small minibatches.
     */
    static OutputStream create(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        if (fs instanceof LocalFileSystem local) {
            java.nio.file.Path file = local.pathToFile(path).toPath();
            Files.createDirectories(file.getParent());
            return new BufferedOutputStream(Files.newOutputStream(file));
        }
        return fs.create(path, true);
    }
}
