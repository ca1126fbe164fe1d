package org.counterweight.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.data.Columns;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Writes one epoch's rows as DL4J minibatch files ({@link DataSet#save}), from the executors, to
 * a directory every executor can read (a local directory on one machine; HDFS/S3/NFS on a
 * cluster). Training then reads them with {@code SparkDl4jMultiLayer.fitPaths}: unlike DL4J's
 * own export this works on any master with any file system, and a static epoch is exported once.
 *
 * <p>Order: rows are shuffled by a hash of (seed, epoch, row_id), ties (copies of one row from a
 * sampler) broken by row id, and cut into consecutive minibatches of {@code batchSize} (the last
 * one may be smaller). Features are standardised; labels are one-hot over K classes.
 */
final class MinibatchExporter {
    private MinibatchExporter() {
    }

    /**
     * Exports {@code rows} to {@code dir} and returns the file paths in minibatch order. With
     * {@code fromDriver} the ordered rows are collected and the files written by the driver (small
     * data, {@link Engine#LOCAL}): the same files without the shuffle that groups rows into
     * minibatches on the executors.
     */
    static List<String> export(Dataset<Row> rows, Standardizer scaler, int numClasses, int batchSize,
                               long seed, int epoch, String dir, boolean fromDriver) {
        Dataset<Row> ordered = rows.select(col(Columns.FEATURES), col(Columns.LABEL), col(Columns.ROW_ID))
                .withColumn("_key", xxhash64(lit(seed), lit(epoch), col(Columns.ROW_ID)))
                .orderBy(col("_key"), col(Columns.ROW_ID))
                .select(Columns.FEATURES, Columns.LABEL, Columns.ROW_ID);
        String base = dir.endsWith("/") ? dir : dir + "/";
        long n;
        if (fromDriver) {
            List<Row> all = ordered.collectAsList();
            n = all.size();
            Configuration conf = new Configuration();
            for (int from = 0; from < n; from += batchSize) {
                write(all.subList(from, (int) Math.min(n, from + batchSize)), scaler, numClasses,
                        new Path(base + fileName(from / batchSize)), conf);
            }
        } else {
            n = ordered.count();
            int numBatches = Math.toIntExact((n + batchSize - 1) / batchSize);
            int parts = Math.max(1, Math.min(numBatches, ordered.sparkSession().sparkContext().defaultParallelism() * 2));
            JavaPairRDD<Long, Iterable<Tuple2<Long, Row>>> batches = ordered.javaRDD().zipWithIndex()
                    .mapToPair(t -> new Tuple2<>(t._2() / batchSize, new Tuple2<>(t._2(), t._1())))
                    .groupByKey(parts);
            batches.foreachPartition(it -> {
                Configuration conf = new Configuration();
                while (it.hasNext()) {
                    Tuple2<Long, Iterable<Tuple2<Long, Row>>> b = it.next();
                    List<Tuple2<Long, Row>> members = new ArrayList<>();
                    b._2().forEach(members::add);
                    members.sort((x, y) -> Long.compare(x._1(), y._1()));
                    write(members.stream().map(Tuple2::_2).toList(), scaler, numClasses, new Path(base + fileName(b._1())), conf);
                }
            });
        }
        if (n == 0) {
            throw new IllegalArgumentException("no training rows to export for epoch " + epoch);
        }
        List<String> paths = new ArrayList<>();
        for (long i = 0; i * batchSize < n; i++) {
            paths.add(base + fileName(i));
        }
        return paths;
    }

    static String fileName(long batch) {
        return String.format("batch-%07d.bin", batch);
    }

    private static void write(List<Row> members, Standardizer scaler, int numClasses, Path path, Configuration conf) {
        int b = members.size();
        int d = scaler.size();
        float[] x = new float[b * d];
        float[] y = new float[b * numClasses];
        for (int i = 0; i < b; i++) {
            Row r = members.get(i);
            scaler.apply(((Vector) r.get(0)).toArray(), x, i * d);
            double label = r.getDouble(1);
            int k = (int) label;
            if (k != label || k < 0 || k >= numClasses) {
                throw new IllegalArgumentException("row_id " + r.getLong(2) + ": label " + label
                        + " is not a class index in 0.." + (numClasses - 1));
            }
            y[i * numClasses + k] = 1f;
        }
        DataSet ds = new DataSet(Nd4j.create(x, new long[] {b, d}), Nd4j.create(y, new long[] {b, numClasses}));
        try {
            FileSystem fs = path.getFileSystem(conf);
            try (OutputStream out = fs.create(path, true)) {
                ds.save(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write minibatch " + path, e);
        }
    }
}
