package org.counterweight.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.data.LabeledFrame;
import org.counterweight.evaluate.Evaluation;
import org.counterweight.evaluate.MetricRow;
import org.counterweight.evaluate.MetricTable;
import org.counterweight.evaluate.MetricsEvaluator;
import org.counterweight.resample.ResampleMethod;
import org.counterweight.resample.Resampler;
import org.counterweight.results.CellKey;
import org.counterweight.results.CurveRow;
import org.counterweight.results.ResultsStore;
import org.counterweight.results.RunInfo;
import org.counterweight.results.RunStatus;
import org.counterweight.results.TimingRow;
import org.counterweight.split.StratifiedSplitter;
import org.counterweight.train.Predictor;
import org.counterweight.train.SparkTrainer;
import org.counterweight.train.TrainedModel;
import org.counterweight.train.Trainer;
import org.counterweight.train.TrainingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an experiment grid: for every dataset, seed and fold it splits the data (stratified),
 * standardises with training statistics, and for every method resamples the training part only,
 * trains, predicts the test part and writes the cell's metrics, timings and curves to the results
 * store. Validation and test rows are never resampled.
 *
 * <p>Resumable: cells already committed for the run id are skipped. A failing cell is logged with
 * its error and the others continue; the run is then marked failed, and running the same run id
 * again retries only the missing cells.
 */
public final class ExperimentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    private final SparkSession spark;
    private final ResultsStore store;
    private final Trainer trainer;
    private String workDir;

    public ExperimentRunner(SparkSession spark, ResultsStore store) {
        this(spark, store, new SparkTrainer());
    }

    public ExperimentRunner(SparkSession spark, ResultsStore store, Trainer trainer) {
        this.spark = spark;
        this.store = store;
        this.trainer = trainer;
    }

    /** Directory for exported minibatches (must be readable by every executor); null = local temp. */
    public ExperimentRunner workDir(String dir) {
        this.workDir = dir;
        return this;
    }

    /** What a run did. */
    public record Summary(String runId, int cells, int skipped, List<String> failures, RunStatus status) {
    }

    /** Runs (or resumes) {@code runId}; cells already in the store for it are skipped. */
    public Summary run(ExperimentConfig cfg, String runId) {
        Set<CellKey> done = Set.of();
        RunInfo existing = existingRun(runId);
        if (existing != null && cfg.hash().equals(existing.configHash())) {
            store.resumeRun(runId);
            done = store.finishedCells(runId);
            LOG.info("resuming run {}: {} of {} cells already done", runId, done.size(), cfg.cellCount());
        } else {
            if (existing != null) {
                LOG.warn("run {} exists with another configuration (hash {} vs {}); replacing its results", runId,
                        existing.configHash(), cfg.hash());
            }
            store.beginRun(runId, cfg.name(), cfg.hash());
        }
        int skipped = 0;
        for (CellKey k : done) {
            if (cfg.methodNames().contains(k.method())) {
                skipped++;
            }
        }
        CellProgress progress = new CellProgress(cfg.cellCount(), skipped);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(cfg.parallelCells(), r -> {
            Thread t = new Thread(r, "counterweight-cell");
            t.setDaemon(true);
            return t;
        });
        try {
            for (DatasetRef ds : cfg.datasets()) {
                LabeledFrame data;
                try {
                    data = ds.load(spark);
                    data = data.withFrame(data.frame().persist(StorageLevel.MEMORY_AND_DISK()));
                } catch (RuntimeException e) {
                    int n = cfg.methods().size() * cfg.seeds().size() * cfg.protocol().folds();
                    failures.add(ds.name() + " (all " + n + " cells): " + e.getMessage());
                    LOG.error("dataset {} failed to load: {}", ds.name(), e.getMessage());
                    continue;
                }
                LabeledFrame fixedTest;
                try {
                    fixedTest = ds.loadTest(spark, data);
                } catch (RuntimeException e) {
                    failures.add(ds.name() + " (test set): " + e.getMessage());
                    LOG.error("dataset {}: test set failed to load: {}", ds.name(), e.getMessage());
                    continue;
                }
                List<Future<?>> cells = new ArrayList<>();
                for (long seed : cfg.seeds()) {
                    for (Part part : parts(cfg.protocol(), data, fixedTest, seed)) {
                        for (Method m : cfg.methods()) {
                            CellKey key = new CellKey(ds.name(), m.name(), seed, part.fold());
                            if (!done.contains(key)) {
                                cells.add(pool.submit(() -> runCellReportingFailure(cfg, runId, key, m, part, progress, failures)));
                            }
                        }
                    }
                }
                for (Future<?> f : cells) {
                    await(f);
                }
                data.frame().unpersist();
            }
        } finally {
            pool.shutdownNow();
        }
        LOG.info("{}", progress.line());
        RunStatus status = failures.isEmpty() ? RunStatus.FINISHED : RunStatus.FAILED;
        store.finishRun(runId, status);
        if (!failures.isEmpty()) {
            LOG.error("{} cell(s) failed; run the same --run-id again to retry them:", failures.size());
            failures.forEach(f -> LOG.error("  {}", f));
        }
        return new Summary(runId, cfg.cellCount(), skipped, failures, status);
    }

    private RunInfo existingRun(String runId) {
        try {
            return store.run(runId);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** One fold's training, validation (may be null) and test parts, standardised on training statistics. */
    private record Part(int fold, LabeledFrame train, LabeledFrame validation, LabeledFrame test) {
    }

    private static List<Part> parts(Protocol p, LabeledFrame data, LabeledFrame fixedTest, long seed) {
        StratifiedSplitter splitter = new StratifiedSplitter(seed);
        List<Part> raw = new ArrayList<>();
        if (fixedTest != null) {
            if (p.validationFraction() > 0) {
                StratifiedSplitter.Holdout inner = splitter.holdout(data, p.validationFraction(), 0);
                raw.add(new Part(0, inner.train(), inner.test(), fixedTest));
            } else {
                raw.add(new Part(0, data, null, fixedTest));
            }
        } else if (p.kind().equals("holdout")) {
            StratifiedSplitter.Holdout h = splitter.holdout(data, p.testFraction(), p.validationFraction());
            raw.add(new Part(0, h.train(), h.validation(), h.test()));
        } else {
            for (StratifiedSplitter.Fold f : splitter.kfold(data, p.folds())) {
                if (p.validationFraction() > 0) {
                    StratifiedSplitter.Holdout inner = splitter.holdout(f.train(), p.validationFraction(), 0);
                    raw.add(new Part(f.index(), inner.train(), inner.test(), f.test()));
                } else {
                    raw.add(new Part(f.index(), f.train(), null, f.test()));
                }
            }
        }
        List<Part> out = new ArrayList<>();
        for (Part r : raw) {
            FeatureScaling scaling = FeatureScaling.fit(r.train());
            out.add(new Part(r.fold(), scaling.apply(r.train()), scaling.apply(r.validation()), scaling.apply(r.test())));
        }
        return out;
    }

    /** Runs one cell; a failure is logged and collected, never thrown, so the other cells go on. */
    private void runCellReportingFailure(ExperimentConfig cfg, String runId, CellKey key, Method m, Part part,
                                         CellProgress progress, List<String> failures) {
        String label = key.dataset() + " / " + m.name() + " / seed " + key.seed()
                + (cfg.protocol().folds() > 1 ? " / fold " + key.fold() : "");
        LOG.info("{} {}", progress.line(), label);
        try {
            runCell(cfg, runId, key, m, part, label);
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            failures.add(label + ": " + msg);
            LOG.error("{} failed: {}", label, msg);
            LOG.debug("stack trace", e);
        } finally {
            deleteCellWorkDir(key);
        }
        progress.cellFinished();
    }

    private static void await(Future<?> cell) {
        try {
            cell.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a cell", e);
        } catch (ExecutionException e) {
            // runCellReportingFailure catches RuntimeExceptions; what arrives here is an Error.
            throw new IllegalStateException("cell crashed: " + e.getCause(), e.getCause());
        }
    }

    private void runCell(ExperimentConfig cfg, String runId, CellKey key, Method m, Part part, String label) {
        List<TimingRow> timings = new ArrayList<>();
        long t0 = System.nanoTime();
        LabeledFrame train = part.train();
        // The minority class (f1_minority, average precision) is the smallest class of the data
        // as given: after over- or under-sampling every class may have the same count.
        long[] naturalCounts = train.classCounts();
        if (m.resampler() != null) {
            Resampler resampler = ResampleMethod.fromSpec(m.resampler());
            if (!resampler.isSet(resampler.seed())) {
                resampler.setSeed(key.seed());
            }
            Dataset<Row> resampled = resampler.setLabelIndex(train.labels()).resample(train.frame())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            train = train.withFrame(resampled);
            timings.add(new TimingRow("resample", seconds(t0)));
        }
        try {
            long t1 = System.nanoTime();
            Map<String, String> tuned = new LinkedHashMap<>();
            TrainedModel model = cfg.tune().containsKey(m.name())
                    ? tuneAndTrain(cfg, m, key, train, part.validation(), tuned)
                    : trainer.train(train.frame(), part.validation() == null ? null : part.validation().frame(),
                            trainingConfig(cfg, m, m.loss(), key, train));
            timings.add(new TimingRow("train", seconds(t1)));
            long t2 = System.nanoTime();
            Dataset<Row> predictions = Predictor.predict(model, part.test().frame());
            Evaluation e = evaluator(train.numClasses(), naturalCounts).evaluate(predictions);
            timings.add(new TimingRow("predict+evaluate", seconds(t2)));
            List<MetricRow> rows = new ArrayList<>(MetricTable.rows(e, train.labels()));
            tuned.forEach((k, v) -> rows.add(new MetricRow("tuned_" + k, null, Double.parseDouble(v))));
            timings.add(new TimingRow("total", seconds(t0)));
            store.writeCell(runId, key, rows, timings, CurveRow.of(e, train.labels()));
            LOG.info("  {}: balanced accuracy {}, {} s", label, String.format(java.util.Locale.ROOT, "%.4f",
                    MetricTable.overall(e, "balanced_accuracy")), String.format(java.util.Locale.ROOT, "%.1f", seconds(t0)));
        } finally {
            if (m.resampler() != null) {
                train.frame().unpersist();
            }
        }
    }

    /** Grid search over the method's tuned loss parameters on the validation part (METHODS §3: γ, m of FAL). */
    private TrainedModel tuneAndTrain(ExperimentConfig cfg, Method m, CellKey key, LabeledFrame train, LabeledFrame validation,
                                      Map<String, String> chosen) {
        if (validation == null) {
            throw new IllegalArgumentException("tuning " + m.name() + " needs a validation part");
        }
        TrainedModel best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Map<String, String> combo : LossGrid.combinations(cfg.tune().get(m.name()))) {
            String loss = LossGrid.withParams(m.loss(), combo);
            TrainedModel candidate = trainer.train(train.frame(), validation.frame(), trainingConfig(cfg, m, loss, key, train));
            double score = Predictor.balancedAccuracy(candidate, validation.frame());
            LOG.info("  tuning {}: {} -> validation balanced accuracy {}", m.name(), loss, String.format(java.util.Locale.ROOT, "%.4f", score));
            if (score > bestScore) {
                bestScore = score;
                best = candidate;
                chosen.clear();
                chosen.putAll(combo);
            }
        }
        return best;
    }

    private static MetricsEvaluator evaluator(int k, long[] trainCounts) {
        int minority = 0;
        for (int c = 1; c < trainCounts.length; c++) {
            if (trainCounts[c] < trainCounts[minority]) {
                minority = c;
            }
        }
        return new MetricsEvaluator().setNumClasses(k).setMinorityClass(minority);
    }

    private TrainingConfig trainingConfig(ExperimentConfig cfg, Method m, String loss, CellKey key, LabeledFrame train) {
        TrainingConfig tc = new TrainingConfig()
                .model(m.model() != null ? m.model() : cfg.model())
                .optimizer(m.optimizer() != null ? m.optimizer() : cfg.optimizer())
                .loss(loss).sampler(m.sampler()).stage2(m.stage2())
                .epochs(cfg.epochs()).seed(key.seed()).batchSize(cfg.batchSize()).averagingFrequency(cfg.averagingFrequency())
                .engine(cfg.engine())
                .labelIndex(train.labels()).trainPath(train.source())
                // the per-epoch training score costs a Spark job per epoch; cells report test metrics
                .trainMetrics(false);
        if (workDir != null) {
            tc.workDir(cellWorkDir(key)); // one directory per cell: cells may run at the same time
        }
        return tc;
    }

    private String cellWorkDir(CellKey key) {
        return (workDir.endsWith("/") ? workDir : workDir + "/") + "cell-" + key.id();
    }

    /** Removes a cell's minibatch files from the shared work directory. */
    private void deleteCellWorkDir(CellKey key) {
        if (workDir == null) {
            return;
        }
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(cellWorkDir(key));
        try {
            dir.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(dir, true);
        } catch (java.io.IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
