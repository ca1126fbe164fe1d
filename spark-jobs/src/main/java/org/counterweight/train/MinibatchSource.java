package org.counterweight.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.spark.HadoopConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The minibatches of one training run, from export to deletion, as paths in training order. They
 * live in the work directory ({@code --work-dir}, or a temporary directory this source creates and
 * deletes on {@link #close}), under a directory named uniquely per run:
 * <ul>
 *   <li>by default ({@code shuffle=epoch}) and for every sampler: the standardised rows are written
 *       once as a {@link RowTable} ({@link RowTableWriter}) and every epoch deals them into new
 *       minibatches ({@link EpochDraw#deal}: a permutation of (seed, epoch), a sampler's fresh
 *       draw, or BBN's rows with their partners); the epoch's paths are {@link DealtMinibatch}
 *       names that the readers ({@link CachingMinibatchLoader}) build from the table — nothing is
 *       written after the first epoch, and no Spark job runs for an epoch's rows;</li>
 *   <li>natural sampling, {@code shuffle=once}: minibatch files exported once
 *       ({@link MinibatchExporter}), each epoch training on them in an order of its own.</li>
 * </ul>
 */
final class MinibatchSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MinibatchSource.class);

    private final Dataset<Row> train;
    private final Standardizer scaler;
    private final int numClasses;
    private final int batchSize;
    private final long seed;
    private final boolean dealEachEpoch;
    private final boolean onDriver;
    private final String workDir;
    private final boolean ownsWorkDir;
    private final String staticPrefix;
    private List<String> staticFiles;
    private RowTable.Layout table;

    private MinibatchSource(Dataset<Row> train, Standardizer scaler, int numClasses, TrainingConfig cfg, boolean onDriver,
                            String workDir, boolean ownsWorkDir) {
        this.train = train;
        this.scaler = scaler;
        this.numClasses = numClasses;
        this.batchSize = cfg.batchSize();
        this.seed = cfg.seed();
        this.dealEachEpoch = cfg.shuffle().equals(TrainingSettings.SHUFFLE_EPOCH);
        this.onDriver = onDriver;
        this.workDir = workDir;
        this.ownsWorkDir = ownsWorkDir;
        this.staticPrefix = workDir + "/static-" + UUID.randomUUID() + "/";
    }

    /**
     * The source for {@code train}'s minibatches in {@code cfg}'s work directory (a new temporary
     * one when none is set); {@code onDriver} as in {@link MinibatchExporter#export}.
     */
    static MinibatchSource open(Dataset<Row> train, Standardizer scaler, int numClasses, TrainingConfig cfg, boolean onDriver) {
        if (cfg.workDir() != null) {
            return new MinibatchSource(train, scaler, numClasses, cfg, onDriver, cfg.workDir(), false);
        }
        try {
            String own = Files.createTempDirectory("counterweight-train-").toUri().toString();
            return new MinibatchSource(train, scaler, numClasses, cfg, onDriver, own, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory for minibatch files", e);
        }
    }

    /**
     * The run's directory of what does not change during the run (the row table, the static
     * minibatches). Its name is unique to this run and its files are never rewritten, so a path
     * under it always names the same contents and readers may keep them
     * ({@link CachingMinibatchLoader}).
     */
    String staticPrefix() {
        return staticPrefix;
    }

    /** The minibatches of {@code epoch} (0-based) in training order. */
    List<String> files(EpochDraw draw, int epoch) {
        if (draw.isStatic() && !dealEachEpoch) {
            return reorder(staticFiles(), seed, epoch);
        }
        return dealt(draw, epoch);
    }

    /**
     * The names of the epoch's deal of the row table (written by the first call). Every draw deals
     * as many rows as the table has (a sampler's draw has the training-set size, BBN one pair per
     * row), so the count of minibatches is known here without computing the deal.
     */
    private List<String> dealt(EpochDraw draw, int epoch) {
        String dir = staticPrefix + "rows/";
        if (table == null) {
            table = RowTableWriter.write(train, scaler, numClasses, seed, batchSize, dir, onDriver);
        }
        int n = EpochDeal.minibatches(table.rows(), batchSize);
        List<String> paths = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            paths.add(new DealtMinibatch(dir, draw.name(), epoch, b).path());
        }
        return paths;
    }

    private List<String> staticFiles() {
        if (staticFiles == null) {
            staticFiles = MinibatchExporter.export(train, scaler, numClasses, batchSize, seed, 0, staticPrefix, onDriver);
        }
        return staticFiles;
    }

    /**
     * Drops what this JVM keeps of the run's minibatches and deletes the work directory when this
     * source created it; a given one keeps its files.
     */
    @Override
    public void close() {
        CachingMinibatchLoader.forget(staticPrefix);
        if (ownsWorkDir) {
            delete(workDir);
        }
    }

    /**
     * The epoch's file order for {@code shuffle=once}: full minibatches permuted by (seed, epoch),
     * the one partial minibatch (if any) kept last so every worker's minibatches stay whole.
     */
    static List<String> reorder(List<String> files, long seed, int epoch) {
        List<String> out = new ArrayList<>(files);
        int full = out.size() - 1; // the last exported minibatch may be partial: keep it last
        SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1)));
        for (int i = full - 1; i > 0; i--) {
            Collections.swap(out, i, rng.nextInt(i + 1));
        }
        return out;
    }

    private static void delete(String uri) {
        try {
            Path p = new Path(uri);
            p.getFileSystem(HadoopConf.get()).delete(p, true);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", uri, e.getMessage());
        }
    }
}
