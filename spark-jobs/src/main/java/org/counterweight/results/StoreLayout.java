package org.counterweight.results;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaUnsupportedTableFeatureException;
import org.apache.spark.sql.delta.InvalidProtocolVersionException;
import org.apache.spark.sql.delta.actions.Protocol;
import org.counterweight.Version;
import org.counterweight.data.DataException;
import scala.Option;

/**
 * Which version of the store's layout a warehouse holds, and whether this build may read and
 * write it: the {@value #FILE} file (layout number, writer, Delta version), the Delta protocol of
 * each table, and the Parquet layout of stores written before Delta Lake (layout 1, which
 * {@code store migrate} converts). Every check runs before anything is written.
 */
final class StoreLayout {
    /** The layout this build writes: Delta tables {@code runs} and {@code cell_rows}. */
    static final int CURRENT = 2;
    /** The layout file in the warehouse root (Spark and Hadoop readers skip names starting with {@code _}). */
    static final String FILE = "_LAYOUT";
    private static final String LAYOUT = "layout";

    private StoreLayout() {
    }

    /** The Delta Lake version on the classpath. */
    static String deltaVersion() {
        return io.delta.package$.MODULE$.VERSION();
    }

    /**
     * Fails with a {@link DataException} naming the store when {@code root} holds a layout this
     * build cannot use: a newer layout number, the Parquet layout, or a table whose Delta protocol
     * is newer than this Delta Lake reads ({@code forWriting}: or writes).
     */
    static void check(SparkSession spark, FileSystem fs, Path root, String store, boolean forWriting) throws IOException {
        Path file = new Path(root, FILE);
        if (fs.exists(file)) {
            Properties p = read(fs, file);
            int layout;
            try {
                layout = Integer.parseInt(p.getProperty(LAYOUT, "?").trim());
            } catch (NumberFormatException e) {
                throw new DataException("results store '" + store + "' has a damaged " + FILE + " file (layout '"
                        + p.getProperty(LAYOUT) + "')");
            }
            if (layout > CURRENT) {
                throw new DataException("results store '" + store + "' has layout " + layout + " (written by "
                        + p.getProperty("writer", "?") + "); counterweight " + Version.version() + " reads layout "
                        + CURRENT + " at most: use a newer Counterweight for it");
            }
        } else if (isParquetLayout(fs, root)) {
            throw new DataException("results store '" + store + "' is in the Parquet layout of Counterweight before "
                    + "Delta Lake (layout 1); migrate it into a new store first: counterweight store migrate --from "
                    + store + " --warehouse NEW_DIR");
        }
        for (String table : new String[] {StoreTables.RUNS, StoreTables.CELL_ROWS}) {
            Path t = new Path(root, table);
            if (fs.exists(new Path(t, "_delta_log"))) {
                checkProtocol(spark, t, store, table, forWriting);
            }
        }
    }

    /** Whether {@code root} holds a store of layout 1 (Parquet files under runs/ and cells/). */
    static boolean isParquetLayout(FileSystem fs, Path root) throws IOException {
        Path runs = new Path(root, StoreTables.RUNS);
        return fs.exists(new Path(root, "cells")) || fs.exists(runs) && !fs.exists(new Path(runs, "_delta_log"));
    }

    private static void checkProtocol(SparkSession spark, Path table, String store, String name, boolean forWriting) {
        try {
            DeltaLog log = DeltaLog.forTable(spark, table.toString());
            Protocol protocol = log.update(false, Option.empty(), Option.empty()).protocol();
            log.protocolRead(protocol);
            if (forWriting) {
                log.protocolWrite(protocol);
            }
        } catch (InvalidProtocolVersionException e) {
            throw new DataException("results store '" + store + "': its table " + name + " needs Delta protocol reader "
                    + e.readerRequiredVersion() + " / writer " + e.writerRequiredVersion() + ", newer than Delta Lake "
                    + deltaVersion() + " in counterweight " + Version.version() + " supports (readers "
                    + e.supportedReaderVersions().mkString(", ") + "; writers " + e.supportedWriterVersions().mkString(", ")
                    + "): use a newer Counterweight for it", e);
        } catch (DeltaUnsupportedTableFeatureException e) {
            throw new DataException("results store '" + store + "': its table " + name + " uses Delta table features "
                    + "that Delta Lake " + deltaVersion() + " in counterweight " + Version.version()
                    + " does not support: use a newer Counterweight for it (" + e.getMessage() + ")", e);
        } catch (Exception e) { // a damaged log, or a protocol action this Delta Lake cannot even decode
            throw new DataException("results store '" + store + "': cannot read the Delta log of its table " + name
                    + " with Delta Lake " + deltaVersion() + " (counterweight " + Version.version()
                    + "; damaged, or written by a newer version?): " + e.getMessage(), e);
        }
    }

    /** Writes the layout file of a store this build created. */
    static void write(FileSystem fs, Path root) throws IOException {
        Properties p = new Properties();
        p.setProperty(LAYOUT, Integer.toString(CURRENT));
        p.setProperty("writer", "counterweight " + Version.describe());
        p.setProperty("delta", deltaVersion());
        FileSystem raw = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
        try (OutputStream out = raw.create(new Path(root, FILE), true)) {
            p.store(out, "Counterweight results store layout (docs/evaluation.md, \"Results store\")");
        }
    }

    private static Properties read(FileSystem fs, Path file) throws IOException {
        Properties p = new Properties();
        FileSystem raw = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
        try (InputStream in = raw.open(file)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.ISO_8859_1));
        }
        return p;
    }
}
