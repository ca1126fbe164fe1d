package org.counterweight.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * IDX image sets (the MNIST / Fashion-MNIST format; optionally gzip-compressed): an image file
 * {@code ...images-idx3-ubyte} and, next to it, its label file {@code ...labels-idx1-ubyte}.
 * Both are big-endian: images = int32 magic {@code 0x00000803}, int32 count, int32 rows,
 * int32 cols, then count·rows·cols uint8 pixels (row-major); labels = int32 magic
 * {@code 0x00000801}, int32 count, then count uint8 labels.
 *
 * <p>Features are the pixels scaled to [0, 1] ({@code pixel / 255}), named {@code px_<row>_<col>};
 * labels are the label bytes as decimal strings, so {@link LabelIndex} orders them numerically;
 * the row id is the image's position in the file.
 *
 * <p>The files are small (47 MB for the 60,000 Fashion-MNIST training images), so the driver
 * decodes them in one streaming pass into slices of raw bytes (each under Spark's 1000 KiB
 * task-size warning) and parallelizes the slices; executors expand each slice into records
 * lazily. No per-image object exists on the driver, and no file system shared with the
 * executors is needed.
 */
final class IdxFormat {
    static final String IMAGES_MARKER = "images-idx3-ubyte";
    static final String LABELS_MARKER = "labels-idx1-ubyte";
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;
    /** Pixel bytes per slice: below Spark's task-size warning threshold (1000 KiB). */
    private static final int SLICE_BYTES = 960 * 1024;

    private IdxFormat() {
    }

    /** True when {@code path} names an IDX image file ({@code -idx3-ubyte}, optionally {@code .gz}). */
    static boolean isIdxImages(String path) {
        return stripGz(new Path(path).getName().toLowerCase(Locale.ROOT)).endsWith("-idx3-ubyte");
    }

    /** The label file that belongs to an image file: {@code images-idx3-ubyte} → {@code labels-idx1-ubyte}. */
    static String labelsPathOf(String imagesPath) {
        Path p = new Path(imagesPath);
        String name = p.getName();
        int at = name.lastIndexOf(IMAGES_MARKER);
        if (at < 0) {
            throw new DataException(imagesPath + ": cannot locate the IDX label file: the image file name must contain '"
                    + IMAGES_MARKER + "' (its labels are read from the same name with '" + LABELS_MARKER + "')");
        }
        String labels = name.substring(0, at) + LABELS_MARKER + name.substring(at + IMAGES_MARKER.length());
        return p.getParent() == null ? labels : new Path(p.getParent(), labels).toString();
    }

    /** Reads {@code imagesPath} and its label file into records, in slices sized for Spark tasks. */
    static ParsedInput parse(JavaSparkContext jsc, String imagesPath, ReadOptions options) {
        return parse(jsc, imagesPath, options, 0);
    }

    /**
     * As {@link #parse(JavaSparkContext, String, ReadOptions)}, with {@code imagesPerSlice}
     * images per slice (0 = derived from {@link #SLICE_BYTES}); tests use small slices to cover
     * slice boundaries.
     */
    static ParsedInput parse(JavaSparkContext jsc, String imagesPath, ReadOptions options, int imagesPerSlice) {
        if (options.idCol() != null) {
            throw new DataException(imagesPath + ": IDX images have no named columns, so no id column '" + options.idCol()
                    + "' (images are identified by their position)");
        }
        Configuration conf = jsc.hadoopConfiguration();
        String labelsPath = labelsPathOf(imagesPath);
        if (!exists(conf, labelsPath)) {
            throw new DataException(imagesPath + ": label file not found: " + labelsPath
                    + " (IDX images are read together with the labels file of the same name)");
        }
        byte[] labels = readLabels(conf, labelsPath);
        int count;
        int rows;
        int cols;
        List<Slice> slices = new ArrayList<>();
        try (DataInputStream iin = open(conf, imagesPath)) {
            checkMagic(iin, imagesPath, IMAGES_MAGIC, "image");
            count = header(iin, imagesPath, "image count");
            rows = header(iin, imagesPath, "row count");
            cols = header(iin, imagesPath, "column count");
            if (rows == 0 || cols == 0 || (long) rows * cols > Integer.MAX_VALUE / 2) {
                throw new DataException(imagesPath + ": unusable image size " + rows + "x" + cols);
            }
            if (count != labels.length) {
                throw new DataException(imagesPath + ": " + count + " images, but the label file " + labelsPath + " has "
                        + labels.length + " labels");
            }
            int pixels = rows * cols;
            int perSlice = imagesPerSlice > 0 ? imagesPerSlice : Math.max(1, SLICE_BYTES / pixels);
            for (int first = 0; first < count; first += perSlice) {
                int n = Math.min(perSlice, count - first);
                byte[] block = new byte[n * pixels];
                int got = iin.readNBytes(block, 0, block.length);
                if (got < block.length) {
                    throw new DataException(imagesPath + ": truncated IDX file: the header announces " + count + " images of "
                            + rows + "x" + cols + " pixels, but the file ends inside image " + (first + got / pixels));
                }
                byte[] sliceLabels = new byte[n];
                System.arraycopy(labels, first, sliceLabels, 0, n);
                slices.add(new Slice(first, rows, cols, sliceLabels, block));
            }
            checkEnd(iin, imagesPath, count + " images of " + rows + "x" + cols + " pixels");
        } catch (IOException e) {
            throw new DataException(imagesPath + ": cannot read IDX data: " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>(rows * cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                names.add("px_" + r + "_" + c);
            }
        }
        if (options.features() != null && !options.features().equals(names)) {
            throw new DataException(imagesPath + ": IDX images are read whole (features px_0_0 .. px_" + (rows - 1) + "_" + (cols - 1)
                    + " in order); --features cannot choose among them");
        }
        JavaRDD<ParsedRecord> records = jsc.parallelize(slices, Math.max(1, slices.size())).flatMap(Slice::records);
        return new ParsedInput(records, names, imagesPath, "has no images");
    }

    private static byte[] readLabels(Configuration conf, String labelsPath) {
        try (DataInputStream in = open(conf, labelsPath)) {
            checkMagic(in, labelsPath, LABELS_MAGIC, "label");
            int count = header(in, labelsPath, "label count");
            // readNBytes grows its buffer as data arrives, so a corrupt count cannot force a huge allocation.
            byte[] labels = in.readNBytes(count);
            if (labels.length < count) {
                throw new DataException(labelsPath + ": truncated IDX file: the header announces " + count
                        + " labels, but the file has " + labels.length);
            }
            checkEnd(in, labelsPath, count + " labels");
            return labels;
        } catch (IOException e) {
            throw new DataException(labelsPath + ": cannot read IDX data: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Configuration conf, String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).exists(p);
        } catch (IOException e) {
            return false;
        }
    }

    private static DataInputStream open(Configuration conf, String path) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        InputStream raw = fs.open(p);
        return new DataInputStream(path.toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw);
    }

    private static String stripGz(String name) {
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    private static void checkMagic(DataInputStream in, String path, int expected, String kind) throws IOException {
        int magic = header(in, path, "magic number");
        if (magic != expected) {
            throw new DataException(String.format(Locale.ROOT, "%s: not an IDX %s file (magic number 0x%08x, expected 0x%08x)",
                    path, kind, magic, expected));
        }
    }

    /** One big-endian int32 header field, which must not be negative. */
    private static int header(DataInputStream in, String path, String field) throws IOException {
        int v;
        try {
            v = in.readInt();
        } catch (EOFException e) {
            throw new DataException(path + ": truncated IDX header (file ends before the " + field + ")");
        }
        if (v < 0) {
            throw new DataException(path + ": negative " + field + " " + v + " in IDX header");
        }
        return v;
    }

    /** Trailing bytes mean the header's counts are not those of the file: refuse rather than guess. */
    private static void checkEnd(DataInputStream in, String path, String expected) throws IOException {
        if (in.read() >= 0) {
            throw new DataException(path + ": IDX file is longer than its header announces (" + expected + ")");
        }
    }

    /** Consecutive images as raw bytes; expanded to records on the executors. */
    static final class Slice implements Serializable {
        private static final long serialVersionUID = 1L;

        private final long firstRow;
        private final int rows;
        private final int cols;
        private final byte[] labels;
        private final byte[] pixels;

        Slice(long firstRow, int rows, int cols, byte[] labels, byte[] pixels) {
            this.firstRow = firstRow;
            this.rows = rows;
            this.cols = cols;
            this.labels = labels;
            this.pixels = pixels;
        }

        /** One record per image, created as the iterator advances. */
        Iterator<ParsedRecord> records() {
            int size = rows * cols;
            return new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    return i < labels.length;
                }

                @Override
                public ParsedRecord next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    double[] values = new double[size];
                    int offset = i * size;
                    for (int j = 0; j < size; j++) {
                        values[j] = (pixels[offset + j] & 0xff) / 255.0;
                    }
                    ParsedRecord r = ParsedRecord.dense(firstRow + i, Integer.toString(labels[i] & 0xff), values);
                    i++;
                    return r;
                }
            };
        }
    }
}
