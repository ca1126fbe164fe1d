package org.counterweight.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.data.DataException;
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
import org.counterweight.train.NetworkInput;
import org.counterweight.train.PrepareOptions;
import org.counterweight.train.Preparation;
import org.counterweight.train.Standardizer;
import org.counterweight.train.TrainedModel;
import org.counterweight.train.Trainer;
import org.counterweight.settings.Setting;
import org.counterweight.train.TrainingConfig;
import org.counterweight.train.TrainingSettings;
import org.counterweight.updaters.OptimizerSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an experiment grid: for every dataset, seed and fold it splits the data (stratified),
 * standardises with training statistics, and for every method resamples the training part only,
 * trains — each of the method's tuning candidates, keeping the best on the validation part, or by
 * inner cross-validation on the training part when the validation part is too small
 * (docs/experiments.md, "Tuning") — predicts the test part and writes the cell's metrics, timings,
 * curves and hyper-parameters to the results store. Validation and test rows are never resampled.
 *
 * <p>Resumable: cells already committed for the run id are skipped. A run id that exists with
 * another configuration is refused unless {@link #replace(boolean) replacing} is asked for, so
 * earlier results are never deleted by accident. A failing cell is logged with its error and the
 * others continue; the run is then marked failed, and running the same run id again retries only
 * the missing cells.
 */
public final class ExperimentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);
    /** Folds of the inner cross-validation that selects a candidate when the validation part is too small. */
    static final int INNER_FOLDS = 3;
    /** Rows of every class the validation part needs for selecting candidates on it. */
    static final int MIN_VALIDATION_ROWS = 20;

    private final SparkSession spark;
    private final ResultsStore store;
    private final Trainer trainer;
    private String workDir;
    private boolean replace;

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

    /**
     * Whether an existing run id starts afresh, deleting its earlier cells (metrics, timings,
     * curves), instead of resuming (same configuration) or being refused (another one).
     */
    public ExperimentRunner replace(boolean replace) {
        this.replace = replace;
        return this;
    }

    /**
     * What a run did; {@code finished + failed + resumed = cells}.
     *
     * @param runId    the run id
     * @param cells    cells of the configuration
     * @param finished cells run and committed by this call
     * @param failed   cells that failed, including every pending cell of a dataset that could not be read
     * @param resumed  cells committed by an earlier call for the run id, not run again
     * @param failures one message per failure (a dataset that could not be read is one message)
     * @param status   the run's final status
     */
    public record Summary(String runId, int cells, int finished, int failed, int resumed, List<String> failures,
                          RunStatus status) {
    }

    /**
     * Runs, resumes or (see {@link #replace(boolean)}) replaces {@code runId}; cells already in the
     * store for it are skipped. An existing run id with another configuration hash is refused with
     * an {@link IllegalArgumentException} before anything is computed or deleted.
     */
    public Summary run(ExperimentConfig cfg, String runId) {
        Set<CellKey> done = start(cfg, runId);
        List<CellKey> grid = grid(cfg);
        int resumed = (int) grid.stream().filter(done::contains).count();
        CellProgress progress = new CellProgress(cfg.cellCount(), resumed);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(cfg.parallelCells(), r -> {
            Thread t = new Thread(r, "counterweight-cell");
            t.setDaemon(true);
            return t;
        });
        try {
            for (DatasetRef ds : cfg.datasets()) {
                Set<CellKey> pending = new HashSet<>();
                for (CellKey k : grid) {
                    if (k.dataset().equals(ds.name()) && !done.contains(k)) {
                        pending.add(k);
                    }
                }
                // a dataset whose cells are all committed is not even read
                if (!pending.isEmpty()) {
                    runDataset(cfg, runId, ds, pending, pool, progress, failures);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        LOG.info("{}", progress.line());
        RunStatus status = progress.failed() == 0 ? RunStatus.FINISHED : RunStatus.FAILED;
        store.finishRun(runId, status);
        if (status == RunStatus.FAILED) {
            LOG.error("{} of {} cell(s) failed; run the same --run-id again to retry them:", progress.failed(), cfg.cellCount());
            failures.forEach(f -> LOG.error("  {}", f));
        }
        return new Summary(runId, cfg.cellCount(), progress.finished(), progress.failed(), resumed, List.copyOf(failures),
                status);
    }

    /**
     * Begins, resumes or replaces the run and returns the cells it has committed. It reads the run
     * before any cell's Spark job; a runs table that cannot be read fails the run here, before
     * anything is deleted.
     */
    private Set<CellKey> start(ExperimentConfig cfg, String runId) {
        Optional<RunInfo> existing = store.findRun(runId);
        if (replace) {
            existing.ifPresent(old -> LOG.warn("replacing run {} (config hash {}): deleting its earlier results", runId,
                    old.configHash()));
            store.replaceRun(runId, cfg.name(), cfg.hash());
            return Set.of();
        }
        if (existing.isEmpty()) {
            store.beginRun(runId, cfg.name(), cfg.hash());
            return Set.of();
        }
        if (!existing.get().configHash().equals(cfg.hash())) {
            throw new IllegalArgumentException("run " + runId + " exists with config hash " + existing.get().configHash()
                    + ", but this config's hash is " + cfg.hash() + "; use another --run-id, or --replace to delete run "
                    + runId + "'s results and run it afresh");
        }
        store.resumeRun(runId);
        Set<CellKey> done = store.finishedCells(runId);
        LOG.info("resuming run {}: {} of {} cells already done", runId, done.size(), cfg.cellCount());
        return done;
    }

    /** Every cell of the configuration, in the order they run. */
    private static List<CellKey> grid(ExperimentConfig cfg) {
        List<CellKey> out = new ArrayList<>(cfg.cellCount());
        for (DatasetRef ds : cfg.datasets()) {
            for (long seed : cfg.seeds()) {
                for (int fold = 0; fold < cfg.protocol().folds(); fold++) {
                    for (Method m : cfg.methods()) {
                        out.add(new CellKey(ds.name(), m.name(), seed, fold));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Reads a dataset and runs its pending cells, waiting for them. A dataset (or fixed test set)
     * that cannot be read fails all its pending cells, as one failure message.
     */
    private void runDataset(ExperimentConfig cfg, String runId, DatasetRef ds, Set<CellKey> pending, ExecutorService pool,
                            CellProgress progress, List<String> failures) {
        LabeledFrame data;
        try {
            data = ds.load(spark);
        } catch (RuntimeException e) {
            datasetFailed(ds.name(), pending.size(), e, progress, failures);
            return;
        }
        data = data.withFrame(data.frame().persist(StorageLevel.MEMORY_AND_DISK()));
        try {
            LabeledFrame fixedTest;
            try {
                fixedTest = ds.loadTest(spark, data);
            } catch (RuntimeException e) {
                datasetFailed(ds.name() + " test set", pending.size(), e, progress, failures);
                return;
            }
            List<Future<?>> cells = new ArrayList<>();
            for (long seed : cfg.seeds()) {
                List<Part> parts;
                try {
                    parts = parts(cfg.protocol(), data, fixedTest, seed, ds.prepare());
                } catch (DataException e) {
                    // e.g. a training part whose feature has only missing values: nothing to impute with
                    long seedCells = pending.stream().filter(k -> k.seed() == seed).count();
                    datasetFailed(ds.name() + " (seed " + seed + ")", (int) seedCells, e, progress, failures);
                    continue;
                }
                for (Part part : parts) {
                    for (Method m : cfg.methods()) {
                        CellKey key = new CellKey(ds.name(), m.name(), seed, part.fold());
                        if (pending.contains(key)) {
                            cells.add(pool.submit(() -> runCellReportingFailure(cfg, runId, key, m, part, progress, failures)));
                        }
                    }
                }
            }
            for (Future<?> f : cells) {
                await(f);
            }
        } finally {
            data.frame().unpersist();
        }
    }

    private static void datasetFailed(String what, int cells, RuntimeException e, CellProgress progress, List<String> failures) {
        String msg = message(e);
        failures.add(what + " (" + cells + " cell(s)): " + msg);
        progress.cellsFailedUnrun(cells);
        LOG.error("dataset {} could not be read, {} cell(s) failed: {}", what, cells, msg);
        LOG.debug("stack trace", e);
    }

    /**
     * One fold's training, validation (may be null) and test parts, standardised on training
     * statistics (or prepared by a {@link Preparation} fitted on the training part).
     */
    private record Part(int fold, LabeledFrame train, LabeledFrame validation, LabeledFrame test) {
    }

    private static List<Part> parts(Protocol p, LabeledFrame data, LabeledFrame fixedTest, long seed, PrepareOptions prepare) {
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
        if (data.needsPreparation() || fixedTest != null && fixedTest.needsPreparation()) {
            for (Part r : raw) {
                // Categorical and missing values: imputation, category indices and scaling are all
                // fitted on the training part; resamplers see the indices (SMOTE-NC), the network
                // their one-hot encoding (NetworkInput).
                Preparation prep = Preparation.fit(r.train(), prepare);
                out.add(new Part(r.fold(), prep.transform(r.train(), false), prepared(prep, r.validation()),
                        prepared(prep, r.test())));
            }
            return out;
        }
        for (Part r : raw) {
            // Fitted on the training part before resampling: distance-based resamplers (SMOTE,
            // NearMiss) would otherwise be dominated by the features with the largest ranges, and
            // validation and test rows stay out of every fitted quantity.
            Standardizer s = Standardizer.fit(r.train().frame());
            out.add(new Part(r.fold(), standardised(s, r.train()), standardised(s, r.validation()), standardised(s, r.test())));
        }
        return out;
    }

    private static LabeledFrame standardised(Standardizer s, LabeledFrame part) {
        return part == null ? null : part.withFrame(s.transform(part.frame()));
    }

    private static LabeledFrame prepared(Preparation prep, LabeledFrame part) {
        return part == null ? null : prep.transform(part, true);
    }

    /** {@code part} (may be null) as the network takes it: category indices one-hot encoded. */
    private static Dataset<Row> network(LabeledFrame part) {
        return part == null ? null : NetworkInput.of(part);
    }

    /** Runs one cell; a failure is logged and collected, never thrown, so the other cells go on. */
    private void runCellReportingFailure(ExperimentConfig cfg, String runId, CellKey key, Method m, Part part,
                                         CellProgress progress, List<String> failures) {
        String label = key.dataset() + " / " + m.name() + " / seed " + key.seed()
                + (cfg.protocol().folds() > 1 ? " / fold " + key.fold() : "");
        LOG.debug("starting {}", label);
        try {
            String result = runCell(cfg, runId, key, m, part, label);
            progress.cellFinished();
            // Quiet by default: this one line per cell (the epochs are DEBUG, shown with --verbose).
            LOG.info("{} {}: {}", progress.line(), label, result);
        } catch (RuntimeException e) {
            String msg = message(e);
            failures.add(label + ": " + msg);
            progress.cellFailed();
            LOG.error("{} {} failed: {}", progress.line(), label, msg);
            LOG.debug("stack trace", e);
        } finally {
            deleteCellWorkDir(key);
        }
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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

    /** Trains, tests and commits one cell; returns its result for the progress line. */
    private String runCell(ExperimentConfig cfg, String runId, CellKey key, Method m, Part part, String label) {
        List<TimingRow> timings = new ArrayList<>();
        long t0 = System.nanoTime();
        // The minority class (f1_minority, average precision) is the smallest class of the data
        // as given: after over- or under-sampling every class may have the same count.
        long[] naturalCounts = part.train().classCounts();
        List<Map<String, TuneValue>> candidates = cfg.candidates(m.name());
        try (Resampling resampling = new Resampling(key.seed())) {
            Chosen chosen;
            if (candidates.size() == 1) {
                chosen = trainChosen(cfg, key, m, candidates.get(0), part, resampling, "none");
            } else if (tooFewValidationRows(part.validation(), candidates.size(), label)) {
                Map<String, TuneValue> best = selectByInnerFolds(cfg, key, m, part.train(), candidates, resampling, label);
                chosen = trainChosen(cfg, key, m, best, part, resampling, "inner-" + INNER_FOLDS + "-fold");
            } else {
                chosen = selectOnValidation(cfg, key, m, candidates, part, resampling, label);
            }
            if (m.resampler() != null) {
                timings.add(new TimingRow("resample", resampling.seconds()));
            }
            timings.add(new TimingRow("train", seconds(t0) - resampling.seconds()));
            long t2 = System.nanoTime();
            Dataset<Row> predictions = Predictor.predict(chosen.model(), network(part.test()));
            Evaluation e = evaluator(part.train().numClasses(), naturalCounts).evaluate(predictions);
            timings.add(new TimingRow("predict+evaluate", seconds(t2)));
            List<MetricRow> rows = MetricTable.rows(e, part.train().labels());
            timings.add(new TimingRow("total", seconds(t0)));
            Map<String, String> params = params(chosen.config(), chosen.method(), chosen.values(), candidates.size(),
                    chosen.selection());
            params.put(ResultsStore.PARAM_METRIC, cfg.metric()); // the report ranks by it unless told otherwise
            store.writeCell(runId, key, rows, timings, CurveRow.of(e, part.train().labels()), params);
            return String.format(java.util.Locale.ROOT, "balanced accuracy %.4f, %.1f s",
                    MetricTable.overall(e, "balanced_accuracy"), seconds(t0));
        }
    }

    /**
     * The candidate a cell keeps: its grid values, the method as they set it, the training
     * configuration and model of its training on the whole training part, and how it was selected
     * ({@code none}, {@code validation} or {@code inner-k-fold}).
     */
    private record Chosen(Map<String, TuneValue> values, Method method, TrainingConfig config, TrainedModel model,
                          String selection) {
    }

    /** Trains candidate {@code values} on the whole (resampled) training part, with the validation part for progress. */
    private Chosen trainChosen(ExperimentConfig cfg, CellKey key, Method m, Map<String, TuneValue> values, Part part,
                               Resampling resampling, String selection) {
        Method tuned = cfg.tuned(m, values);
        LabeledFrame train = resampling.of(part.train(), tuned.resampler());
        TrainingConfig tc = trainingConfig(cfg, tuned, key, train);
        TrainedModel model = trainer.train(network(train), network(part.validation()), tc);
        return new Chosen(values, tuned, tc, model, selection);
    }

    /**
     * Grid search on the validation part (METHODS §3: γ, m of FAL): every candidate is trained on
     * the training part, and the one with the best validation balanced accuracy is kept (the first
     * of equal ones).
     */
    private Chosen selectOnValidation(ExperimentConfig cfg, CellKey key, Method m, List<Map<String, TuneValue>> candidates,
                                      Part part, Resampling resampling, String label) {
        Chosen best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Map<String, TuneValue> values : candidates) {
            Chosen candidate = trainChosen(cfg, key, m, values, part, resampling, "validation");
            double score = Predictor.balancedAccuracy(candidate.model(), network(part.validation()));
            LOG.info("  {}: candidate {} -> validation balanced accuracy {}", label, describe(values),
                    String.format(java.util.Locale.ROOT, "%.4f", score));
            if (score > bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    /**
     * Whether the validation part has fewer than {@link #MIN_VALIDATION_ROWS} rows of some class,
     * too few to tell candidates apart; logged once per cell.
     */
    private static boolean tooFewValidationRows(LabeledFrame validation, int candidates, String label) {
        long[] counts = validation.classCounts();
        int fewest = 0;
        for (int k = 1; k < counts.length; k++) {
            fewest = counts[k] < counts[fewest] ? k : fewest;
        }
        if (counts[fewest] >= MIN_VALIDATION_ROWS) {
            return false;
        }
        LOG.info("  {}: the validation part has {} row(s) of class {} (fewer than {}): selecting among {} candidates by "
                + "stratified inner {}-fold cross-validation on the training part", label, counts[fewest],
                validation.labels().value(fewest), MIN_VALIDATION_ROWS, candidates, INNER_FOLDS);
        return true;
    }

    /**
     * Selects by stratified inner k-fold cross-validation on the (natural) training part: each
     * candidate is trained on k − 1 folds — standardised on their own statistics and resampled as
     * the method resamples — and scored on the held-out fold, never resampled; the best mean
     * balanced accuracy wins (the first of equal ones).
     */
    private Map<String, TuneValue> selectByInnerFolds(ExperimentConfig cfg, CellKey key, Method m, LabeledFrame train,
                                                      List<Map<String, TuneValue>> candidates, Resampling resampling,
                                                      String label) {
        double[] sum = new double[candidates.size()];
        for (StratifiedSplitter.Fold fold : new StratifiedSplitter(key.seed()).kfold(train, INNER_FOLDS)) {
            // category indices stay as they are (the part's preparation made them)
            Standardizer s = Standardizer.fit(fold.train().frame(), fold.train().categorical());
            LabeledFrame innerTrain = standardised(s, fold.train());
            LabeledFrame heldOut = standardised(s, fold.test());
            for (int i = 0; i < candidates.size(); i++) {
                Method tuned = cfg.tuned(m, candidates.get(i));
                LabeledFrame resampled = resampling.of(innerTrain, tuned.resampler());
                TrainedModel model = trainer.train(network(resampled), network(heldOut), trainingConfig(cfg, tuned, key, resampled));
                sum[i] += Predictor.balancedAccuracy(model, network(heldOut));
            }
            resampling.release(innerTrain);
        }
        int best = 0;
        for (int i = 0; i < candidates.size(); i++) {
            LOG.info("  {}: candidate {} -> mean inner-fold balanced accuracy {}", label, describe(candidates.get(i)),
                    String.format(java.util.Locale.ROOT, "%.4f", sum[i] / INNER_FOLDS));
            best = sum[i] > sum[best] ? i : best;
        }
        return candidates.get(best);
    }

    private static String describe(Map<String, TuneValue> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v.text()));
        return sb.length() == 0 ? "(as configured)" : sb.toString();
    }

    /**
     * Every hyper-parameter the cell was trained with (docs/evaluation.md, "params"): the training
     * settings, resampler, learning rate and weight decay in force, the chosen grid values, and the
     * tuning budget and how the candidate was selected.
     */
    private static Map<String, String> params(TrainingConfig tc, Method tuned, Map<String, TuneValue> chosen, int candidates,
                                              String selection) {
        Map<String, String> p = new LinkedHashMap<>(tc.resultAffecting());
        p.putIfAbsent(TrainingSettings.STAGE2.key(), "none");
        p.put("resampler", tuned.resampler() == null ? "none" : tuned.resampler());
        OptimizerSpec optimizer = OptimizerSpec.parse(tc.optimizer());
        p.put("lr", TuneGrid.plain(optimizer.learningRate()));
        p.put("weight_decay", TuneGrid.plain(optimizer.weightDecay()));
        chosen.forEach((k, v) -> p.put(k, v.text()));
        p.put(ResultsStore.PARAM_CANDIDATES, Integer.toString(candidates));
        p.put(ResultsStore.PARAM_SELECTION, selection);
        p.put(ResultsStore.PARAM_TUNED, String.join(",", chosen.keySet()));
        return p;
    }

    // f1_minority is scored on the class rarest in training, the one the method is meant to help.
    private static MetricsEvaluator evaluator(int k, long[] trainCounts) {
        return new MetricsEvaluator().setNumClasses(k).setMinorityClass(Evaluation.minorityOf(trainCounts));
    }

    /** The training of method {@code m} (tuned values already set in its specs) on {@code train}. */
    private TrainingConfig trainingConfig(ExperimentConfig cfg, Method m, CellKey key, LabeledFrame train) {
        TrainingConfig tc = new TrainingConfig();
        for (Setting<?> s : ExperimentSettings.TRAINING) {
            copy(s, cfg, tc);
        }
        if (m.model() != null) {
            tc.model(m.model());
        }
        if (m.optimizer() != null) {
            tc.optimizer(m.optimizer());
        }
        tc.loss(m.loss()).sampler(m.sampler()).stage2(m.stage2()).seed(key.seed())
                .labelIndex(train.labels()).trainPath(train.source())
                // parts() standardised the part: the resampled rows must not be standardised again
                .standardizer(Standardizer.identity(NetworkInput.width(train.categorical(), train.numFeatures())))
                // the per-epoch training score costs a Spark job per epoch; cells report test metrics
                .trainMetrics(false);
        if (workDir != null) {
            tc.workDir(cellWorkDir(key)); // one directory per cell: cells may run at the same time
        }
        return tc;
    }

    private static <T> void copy(Setting<T> s, ExperimentConfig from, TrainingConfig to) {
        to.set(s, from.setting(s));
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

    /**
     * The resampled training parts of a cell, each (part, resampler spec) resampled once, with the
     * cell's seed unless the spec sets one, and unpersisted when released or when the cell ends.
     */
    private static final class Resampling implements AutoCloseable {
        private final long seed;
        private final Map<LabeledFrame, Map<String, LabeledFrame>> done = new IdentityHashMap<>();
        private long nanos;

        Resampling(long seed) {
            this.seed = seed;
        }

        /** {@code train} resampled by {@code spec}; {@code train} itself when the spec is null. */
        LabeledFrame of(LabeledFrame train, String spec) {
            if (spec == null) {
                return train;
            }
            Map<String, LabeledFrame> bySpec = done.computeIfAbsent(train, t -> new HashMap<>());
            LabeledFrame out = bySpec.get(spec);
            if (out == null) {
                long t0 = System.nanoTime();
                Resampler resampler = ResampleMethod.fromSpec(spec);
                if (!resampler.isSet(resampler.seed())) {
                    resampler.setSeed(seed);
                }
                out = train.withFrame(resampler.setLabelIndex(train.labels()).resample(train.frame())
                        .persist(StorageLevel.MEMORY_AND_DISK()));
                nanos += System.nanoTime() - t0;
                bySpec.put(spec, out);
            }
            return out;
        }

        /** Unpersists the resampled versions of {@code train}. */
        void release(LabeledFrame train) {
            Map<String, LabeledFrame> bySpec = done.remove(train);
            if (bySpec != null) {
                bySpec.values().forEach(f -> f.frame().unpersist());
            }
        }

        /** Seconds spent resampling. */
        double seconds() {
            return nanos / 1e9;
        }

        @Override
        public void close() {
            List.copyOf(done.keySet()).forEach(this::release);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
