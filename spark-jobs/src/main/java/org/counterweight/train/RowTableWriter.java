package org.counterweight.train;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.spark.HadoopConf;
import org.counterweight.data.Columns;

/**
 * Writes a run's training rows once as a {@link RowTable}: standardised, sorted by
 * {@code row_id} (so row numbers, and with them every deal, do not depend on partitioning), one
 * shard per sorted partition written by the executors — or, for {@link Engine#LOCAL}, one shard
 * written by the driver from the collected rows.
 */
final class RowTableWriter {
    private RowTableWriter() {
    }

    /**
     * Writes {@code rows} (features, label, row_id) into {@code dir} (ending in '/') with the
     * run's deal parameters and returns the layout. {@code fromDriver} as in
     * {@link MinibatchExporter#export}.
     */
    static RowTable.Layout write(Dataset<Row> rows, Standardizer scaler, int numClasses, long seed, int batchSize,
                                 String dir, boolean fromDriver) {
        Dataset<Row> sorted = rows.select(col(Columns.FEATURES), col(Columns.LABEL), col(Columns.ROW_ID)).orderBy(col(Columns.ROW_ID));
        long[] shardRows;
        if (fromDriver) {
            shardRows = new long[] {writeShard(sorted.collectAsList().iterator(), scaler, numClasses, dir, 0)};
        } else {
            List<Long> counts = sorted.javaRDD()
                    .mapPartitionsWithIndex((p, it) -> List.of(writeShard(it, scaler, numClasses, dir, p)).iterator(), false)
                    .collect();
            shardRows = counts.stream().mapToLong(Long::longValue).toArray();
        }
        RowTable.Layout layout = new RowTable.Layout(scaler.size(), numClasses, seed, batchSize, shardRows);
        if (layout.rows() == 0) {
            throw new IllegalArgumentException("no training rows to write");
        }
        layout.write(dir, HadoopConf.get());
        return layout;
    }

    /** Writes the rows of shard {@code shard} (none: no file); returns how many. */
    private static long writeShard(Iterator<Row> rows, Standardizer scaler, int numClasses, String dir, int shard) {
        if (!rows.hasNext()) {
            return 0;
        }
        Path path = RowTable.shardPath(dir, shard);
        int d = scaler.size();
        float[] x = new float[d];
        ByteBuffer record = ByteBuffer.allocate(4 * (d + 1));
        long n = 0;
        try (OutputStream out = MinibatchExporter.create(path, HadoopConf.get())) {
            for (; rows.hasNext(); n++) {
                Row r = rows.next();
                scaler.apply(((Vector) r.get(0)).toArray(), x, 0);
                RowTable.putRecord(record.clear(), x, MinibatchFormat.classIndex(r, 1, numClasses));
                out.write(record.array());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training rows " + path, e);
        }
        return n;
    }
}
