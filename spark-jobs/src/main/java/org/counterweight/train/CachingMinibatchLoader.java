package org.counterweight.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Reads minibatch files for DL4J's training workers and keeps those under one run's static
 * directory in memory, per JVM, so that the executors read each static minibatch file once per
 * run instead of once per epoch (opening and parsing a file was about as much executor time as
 * fitting it for the small MLPs; BENCHMARKS.md, "Training").
 *
 * <p>Only paths under {@code cachedPrefix} are kept: the static directory has a name unique to
 * the training run and its files are never rewritten, so a path always names the same contents.
 * Per-epoch draws are read once and not kept. The cache is least-recently-used with a budget of
 * {@code budgetBytes} of feature and label data per JVM (shared by all runs in that JVM); a
 * cached {@link DataSet} is handed to one worker at a time (each file appears once per round),
 * and DL4J's worker does not modify it.
 */
final class CachingMinibatchLoader implements DataSetLoader {
    private static final long serialVersionUID = 1L;
    private static final Cache CACHE = new Cache();

    private final String cachedPrefix;
    private final long budgetBytes;

    CachingMinibatchLoader(String cachedPrefix, long budgetBytes) {
        this.cachedPrefix = cachedPrefix;
        this.budgetBytes = budgetBytes;
    }

    @Override
    public DataSet load(Source source) throws IOException {
        String path = source.getPath();
        if (budgetBytes <= 0 || !path.startsWith(cachedPrefix)) {
            return read(source);
        }
        DataSet cached = CACHE.get(path);
        if (cached == null) {
            cached = read(source);
            CACHE.put(path, cached, budgetBytes);
        }
        return cached;
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
        private final LinkedHashMap<String, DataSet> entries = new LinkedHashMap<>(64, 0.75f, true);
        private long bytes;

        synchronized DataSet get(String path) {
            return entries.get(path);
        }

        synchronized void put(String path, DataSet ds, long budget) {
            DataSet old = entries.put(path, ds);
            bytes += sizeOf(ds) - (old == null ? 0 : sizeOf(old));
            Iterator<Map.Entry<String, DataSet>> it = entries.entrySet().iterator();
            while (bytes > budget && it.hasNext()) {
                Map.Entry<String, DataSet> eldest = it.next();
                bytes -= sizeOf(eldest.getValue());
                it.remove();
            }
        }
    }
}
