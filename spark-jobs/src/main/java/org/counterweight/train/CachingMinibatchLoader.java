package org.counterweight.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.counterweight.spark.HadoopConf;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Loads the minibatches of a training run by path, for DL4J's training workers on the executors
 * and for the driver ({@link Engine#LOCAL}), keeping in memory, per JVM, what does not change
 * during the run:
 * <ul>
 *   <li>a {@link DealtMinibatch} is built from its run's {@link RowTable}, which is read once and
 *       kept, and the epoch's {@link EpochDeal} by its draw, computed once per epoch (a sampler's
 *       draw from the table's labels); a table larger than the budget is read row by row instead;</li>
 *   <li>minibatch files under {@code cachedPrefix} (the static minibatches of {@code shuffle=once})
 *       are read once and kept: the directory has a name unique to the training run and its
 *       files are never rewritten, so a path always names the same contents;</li>
 *   <li>other files are read every time.</li>
 * </ul>
 * Opening and parsing a file was about as much executor time as fitting it for the small MLPs
 * (BENCHMARKS.md, "Training"). Tables and minibatch files share a least-recently-used store with a
 * budget of {@code budgetBytes} per JVM (shared by all runs in that JVM); a cached {@link DataSet}
 * is handed to one worker at a time (each file appears once per round), and DL4J's worker does not
 * modify it.
 */
final class CachingMinibatchLoader implements DataSetLoader {
    private static final long serialVersionUID = 1L;
    private static final Cache CACHE = new Cache();
    /** The layout and current deal of the tables last used in this JVM (a few runs at a time). */
    private static final Map<String, Dealing> DEALING = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Dealing> eldest) {
            return size() > 8;
        }
    };

    private final String cachedPrefix;
    private final long budgetBytes;

    CachingMinibatchLoader(String cachedPrefix, long budgetBytes) {
        this.cachedPrefix = cachedPrefix;
        this.budgetBytes = budgetBytes;
    }

    @Override
    public DataSet load(Source source) throws IOException {
        String path = source.getPath();
        DealtMinibatch dealt = DealtMinibatch.parse(path);
        if (dealt != null) {
            return dealt(dealt);
        }
        if (budgetBytes <= 0 || !path.startsWith(cachedPrefix)) {
            return read(source);
        }
        DataSet cached = (DataSet) CACHE.get(path);
        if (cached == null) {
            cached = read(source);
            CACHE.put(path, cached, sizeOf(cached), budgetBytes);
        }
        return cached;
    }

    /** Loads the minibatch {@code path} names (any Hadoop URI, or a dealt minibatch). */
    DataSet load(String path) {
        try {
            return load(new Source() {
                @Override
                public InputStream getInputStream() throws IOException {
                    Path p = new Path(path);
                    return p.getFileSystem(HadoopConf.get()).open(p);
                }

                @Override
                public String getPath() {
                    return path;
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read minibatch " + path, e);
        }
    }

    /**
     * Drops what this JVM keeps of paths under {@code prefix} (a finished run's directory). Other
     * JVMs' copies age out of their budget.
     */
    static void forget(String prefix) {
        CACHE.removeUnder(prefix);
        synchronized (DEALING) {
            DEALING.keySet().removeIf(dir -> dir.startsWith(prefix));
        }
    }

    private DataSet dealt(DealtMinibatch m) {
        String dir = m.tableDir();
        Dealing dealing;
        synchronized (DEALING) {
            dealing = DEALING.computeIfAbsent(dir + m.draw(), key -> new Dealing(dir, RowTable.Layout.read(dir),
                    EpochDraws.named(m.draw())));
        }
        RowTable.Layout layout = dealing.layout;
        EpochDeal deal = dealing.deal(m.epoch());
        int[] rows = deal.minibatch(m.index());
        int[] partners = deal.partners(m.index());
        long bytes = layout.rows() * layout.recordBytes();
        if (budgetBytes < bytes || layout.rows() * layout.features() > Integer.MAX_VALUE - 8) {
            return RowTable.read(dir, layout, rows, partners);
        }
        RowTable table = (RowTable) CACHE.get(dir);
        if (table == null) {
            table = RowTable.load(dir, layout);
            CACHE.put(dir, table, table.bytes(), budgetBytes);
        }
        return table.minibatch(rows, partners);
    }

    /**
     * A table's layout, one draw over it, and that draw's deal of the epoch last asked for (epochs
     * run one after another). A sampler's draw needs the rows' labels, read once.
     */
    private static final class Dealing {
        private final String dir;
        private final RowTable.Layout layout;
        private final EpochDraw draw;
        private int[] labels;
        private EpochDeal deal;
        private int epoch = -1;

        Dealing(String dir, RowTable.Layout layout, EpochDraw draw) {
            this.dir = dir;
            this.layout = layout;
            this.draw = draw;
        }

        synchronized EpochDeal deal(int e) {
            if (e != epoch) {
                if (labels == null && !draw.isStatic()) {
                    labels = RowTable.labels(dir, layout);
                }
                deal = draw.deal(labels, Math.toIntExact(layout.rows()), layout.batchSize(), layout.seed(), e);
                epoch = e;
            }
            return deal;
        }
    }

    private static DataSet read(Source source) throws IOException {
        try (InputStream in = source.getInputStream()) {
            return read(in);
        }
    }

    /** One minibatch file's contents ({@link DataSet#save} format). */
    static DataSet read(InputStream in) {
        DataSet ds = new DataSet();
        ds.load(in);
        return ds;
    }

    /** Bytes of feature and label data held for the minibatch. */
    static long sizeOf(DataSet ds) {
        long n = 0;
        if (ds.getFeatures() != null) {
            n += ds.getFeatures().length() * ds.getFeatures().dataType().width();
        }
        if (ds.getLabels() != null) {
            n += ds.getLabels().length() * ds.getLabels().dataType().width();
        }
        return n;
    }

    /** The per-JVM store: access-ordered, evicting the least recently used beyond the budget. */
    private static final class Cache {
        private record Entry(Object value, long bytes) {
        }

        private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
        private long bytes;

        synchronized Object get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        synchronized void put(String key, Object value, long size, long budget) {
            Entry old = entries.put(key, new Entry(value, size));
            bytes += size - (old == null ? 0 : old.bytes());
            Iterator<Entry> it = entries.values().iterator();
            while (bytes > budget && it.hasNext()) {
                bytes -= it.next().bytes();
                it.remove();
            }
        }

        synchronized void removeUnder(String prefix) {
            Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Entry> e = it.next();
                if (e.getKey().startsWith(prefix)) {
                    bytes -= e.getValue().bytes();
                    it.remove();
                }
            }
        }
    }
}
