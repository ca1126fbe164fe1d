package org.counterweight.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.Version;
import org.counterweight.data.Columns;
import org.counterweight.data.DataException;
import org.counterweight.data.LabelIndex;
import org.counterweight.dl4j.RoundTrainingMaster;
import org.counterweight.updaters.OptimizerSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains on Spark with DL4J's {@link ParameterAveragingTrainingMaster}: every worker fits
 * {@code averagingFrequency} minibatches of {@code batchSize} from the current parameters and
 * updater state, then parameters and updater state are averaged on the driver.
 *
 * <p>The epoch loop runs on the driver. Before each epoch it sets the network's epoch count
 * (learning-rate schedules) and applies the method's {@link EpochSchedule} (DRW, λ) to the
 * network configuration; it then drives the averaging rounds itself, one Spark job per round
 * ({@link RoundTrainingMaster#fitRound}) on exactly {@code workers × averagingFrequency}
 * minibatch files, in consecutive slices per worker. DL4J broadcasts the configuration with the
 * parameters at every round, and the trainer hands it a deep copy of the driver's configuration
 * (Java serialisation), so each epoch's change reaches every executor exactly as it would on a cluster; driving the
 * rounds also makes the minibatch order deterministic (DL4J's own split is random) and keeps the
 * iteration count exact (Adam's bias correction depends on it).
 *
 * <p>Data: minibatch files are exported once per distinct epoch sample ({@link MinibatchExporter}):
 * once for natural sampling (epochs then differ by the order of the files), every epoch for the
 * class-balanced and square-root samplers. State that lives in layer parameters (FAL/FAML anchors
 * and their running means) is averaged with the parameters; {@code fnr-weighted-ce}'s importance,
 * kept in the loss, is averaged the same way by {@link LossStateSync} (see docs/training.md).
 */
public final class SparkTrainer implements Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    /**
     * Spark setting: bytes of static minibatches each executor JVM keeps in memory across epochs
     * ({@link CachingMinibatchLoader}); 0 reads every file every epoch.
     */
    public static final String MINIBATCH_CACHE_CONF = "spark.counterweight.minibatchCacheSize";

    private RoundListener roundListener = (e, r, p, s) -> { };

    /** Observe every averaging round (tests, diagnostics). */
    public SparkTrainer onRound(RoundListener listener) {
        this.roundListener = listener;
        return this;
    }

    @Override
    public TrainedModel train(Dataset<Row> train, Dataset<Row> validation, TrainingConfig cfg) {
        checkSchema(train, "training", true);
        if (validation != null) {
            checkSchema(validation, "validation", false);
        }
        OptimizerSpec optimizer = OptimizerSpec.parse(cfg.optimizer());
        TwoStage stage2 = TwoStage.parse(cfg.stage2());
        if (stage2 != null && stage2.needsValidation() && validation == null) {
            throw new IllegalArgumentException("stage2 " + cfg.stage2() + " chooses tau on validation data: give validation rows or tau=...");
        }
        if (cfg.earlyStoppingPatience() > 0 && validation == null) {
            throw new IllegalArgumentException("early stopping watches the validation balanced accuracy: give validation rows");
        }
        Dataset<Row> trainRows = train.select(Columns.FEATURES, Columns.LABEL, Columns.ROW_ID).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> validRows = validation == null ? null
                : validation.select(Columns.FEATURES, Columns.LABEL).persist(StorageLevel.MEMORY_AND_DISK());
        Path ownWorkDir = null;
        try {
            DataFacts facts = DataFacts.of(trainRows, cfg.labelIndex());
            if (validRows != null) {
                facts.checkLabels(validRows, "validation");
            }
            LabelIndex labels = cfg.labelIndex() != null ? cfg.labelIndex() : LabelIndex.ofClassCount(facts.counts.length);
            List<String> features = cfg.featureNames();
            if (features != null && (features.size() != facts.numFeatures || Set.copyOf(features).size() != features.size())) {
                // Data to score is matched to these names, so they must name each feature once.
                throw new IllegalArgumentException("feature names " + features + " do not name the " + facts.numFeatures
                        + " features once each");
            }
            LossHead head = LossHeads.create(cfg.loss(), facts.counts, cfg.epochs());
            if (stage2 != null) {
                stage2.checkHead(head.outputLayer(1, facts.counts.length));
            }
            MultiLayerNetwork net = new MultiLayerNetwork(NetworkFactory.build(cfg.model(), facts.numFeatures,
                    facts.counts.length, head, optimizer, cfg.epochs(), cfg.seed()));
            Standardizer scaler = cfg.standardizer() != null ? cfg.standardizer() : Standardizer.fit(trainRows);
            String workDir = cfg.workDir();
            if (workDir == null) {
                ownWorkDir = Files.createTempDirectory("counterweight-train-");
                workDir = ownWorkDir.toUri().toString();
            }
            Run run = new Run(trainRows, validRows, cfg, scaler, facts.counts.length, workDir);
            List<EpochStats> history = new ArrayList<>();
            net.init();
            int start = 0;
            Map<String, String> specs = cfg.resultAffecting();
            if (cfg.resume() && cfg.checkpointDir() != null) {
                Checkpoints.Restored r = Checkpoints.latest(Paths.get(cfg.checkpointDir()));
                if (r != null) {
                    Map<String, String> was = new LinkedHashMap<>(r.model.specs());
                    Map<String, String> now = new LinkedHashMap<>(specs);
                    was.remove(TrainingSettings.EPOCHS.key());
                    now.remove(TrainingSettings.EPOCHS.key());
                    if (!was.equals(now)) {
                        throw new IllegalArgumentException("checkpoint " + r.file + " was written with " + was
                                + ", not " + now + ": resume with the same settings or use another --checkpoint-dir");
                    }
                    List<String> before = r.model.featureNames().orElse(features);
                    if (features != null && !features.equals(before)) {
                        throw new IllegalArgumentException("checkpoint " + r.file + " was trained on features " + before
                                + ", not " + features + ": resume on the same data or use another --checkpoint-dir");
                    }
                    net = r.model.network();
                    history.addAll(r.model.history());
                    start = r.model.history().size();
                    run.best = r.best;
                    LOG.info("resuming from {} at epoch {}", r.file, start + 1);
                }
            }
            Map<String, String> prov = provenance(cfg, trainRows);
            EpochDraw draw = EpochDraws.forName(cfg.sampler());
            net = run.epochs(net, head.schedule(), draw, start, cfg.epochs(), "", history, labels, specs, prov);
            if (stage2 != null) {
                net = stage2.apply(net, head, run, optimizer, history, prov);
            }
            prov.put("epochsTrained", Integer.toString(history.size()));
            return new TrainedModel(net, labels, features, scaler, specs, prov, history);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            trainRows.unpersist();
            if (validRows != null) {
                validRows.unpersist();
            }
            if (ownWorkDir != null) {
                deleteRecursively(ownWorkDir);
            }
        }
    }

    private static Map<String, String> provenance(TrainingConfig cfg, Dataset<Row> train) {
        Map<String, String> m = new LinkedHashMap<>();
        if (cfg.trainPath() != null) {
            m.put("train", cfg.trainPath());
        }
        if (cfg.validationPath() != null) {
            m.put("validation", cfg.validationPath());
        }
        m.put("seed", Long.toString(cfg.seed()));
        m.put("codeVersion", Version.version());
        m.put("sparkMaster", train.sparkSession().sparkContext().master());
        m.put("created", java.time.Instant.now().toString());
        return m;
    }

    private static void checkSchema(Dataset<Row> df, String what, boolean needRowId) {
        StructType s = df.schema();
        List<String> names = Arrays.asList(s.fieldNames());
        String cols = String.join(", ", names);
        if (!names.contains(Columns.FEATURES) || !(s.apply(Columns.FEATURES).dataType() instanceof VectorUDT)) {
            throw new DataException(what + " data: no vector column '" + Columns.FEATURES + "' (columns: " + cols + ")");
        }
        if (!names.contains(Columns.LABEL) || !s.apply(Columns.LABEL).dataType().equals(DataTypes.DoubleType)) {
            throw new DataException(what + " data: no double column '" + Columns.LABEL + "' (columns: " + cols + ")");
        }
        if (needRowId && (!names.contains(Columns.ROW_ID) || !s.apply(Columns.ROW_ID).dataType().equals(DataTypes.LongType))) {
            throw new DataException(what + " data: no long column '" + Columns.ROW_ID + "' (columns: " + cols + ")");
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }

    /** Class counts, feature count and label checks, from one aggregation job. */
    static final class DataFacts {
        final long[] counts;
        final int numFeatures;

        private DataFacts(long[] counts, int numFeatures) {
            this.counts = counts;
            this.numFeatures = numFeatures;
        }

        static DataFacts of(Dataset<Row> train, LabelIndex index) {
            List<Row> rows = train.groupBy(Columns.LABEL).count().collectAsList();
            if (rows.isEmpty()) {
                throw new DataException("training data is empty");
            }
            int k = index != null ? index.size() : 0;
            for (Row r : rows) {
                double label = r.getDouble(0);
                if (label != Math.rint(label) || label < 0) {
                    throw new DataException("training data: label " + label + " is not a class index (0..K-1)");
                }
                if (index == null) {
                    k = Math.max(k, (int) label + 1);
                } else if (label >= k) {
                    throw new DataException("training data: label " + label + " is outside the label index " + index);
                }
            }
            if (k < 2) {
                throw new DataException("training data has a single class; need at least 2");
            }
            long[] counts = new long[k];
            for (Row r : rows) {
                counts[(int) r.getDouble(0)] = r.getLong(1);
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    throw new DataException("training data has no rows of class " + (index == null ? c : index.value(c) + " (index " + c + ")"));
                }
            }
            int d = ((Vector) train.select(Columns.FEATURES).first().get(0)).size();
            return new DataFacts(counts, d);
        }

        void checkLabels(Dataset<Row> other, String what) {
            Row r = other.agg(min(col(Columns.LABEL)), max(col(Columns.LABEL))).first();
            if (!r.isNullAt(0) && (r.getDouble(0) < 0 || r.getDouble(1) >= counts.length)) {
                throw new DataException(what + " data: labels range " + r.getDouble(0) + ".." + r.getDouble(1)
                        + " but training has classes 0.." + (counts.length - 1));
            }
        }
    }

    /** The epoch loop of one training run; shared by both stages of the two-stage methods. */
    final class Run {
        final Dataset<Row> train;
        final Dataset<Row> validation;
        final TrainingConfig cfg;
        final Standardizer scaler;
        final int numClasses;
        final String workDir;
        final int workers;
        final JavaSparkContext jsc;
        Checkpoints.Best best;
        private final LossStateSync lossState;
        private List<String> staticFiles;
        /** {@link Engine#LOCAL}: the static epoch's minibatches, read once. */
        private final Map<String, DataSet> inMemory = new HashMap<>();
        /** {@link Engine#LOCAL}: training/validation rows scored in the driver, by frame. */
        private final Map<Dataset<Row>, DriverRows> onDriver = new IdentityHashMap<>();
        private int exportCounter;
        private final String runToken = java.util.UUID.randomUUID().toString();

        Run(Dataset<Row> train, Dataset<Row> validation, TrainingConfig cfg, Standardizer scaler, int numClasses,
            String workDir) {
            this.train = train;
            this.validation = validation;
            this.cfg = cfg;
            this.scaler = scaler;
            this.numClasses = numClasses;
            this.workDir = workDir;
            this.jsc = JavaSparkContext.fromSparkContext(train.sparkSession().sparkContext());
            this.workers = cfg.workers() > 0 ? cfg.workers() : jsc.defaultParallelism();
            this.lossState = new LossStateSync(jsc);
        }

        /**
         * Trains epochs {@code from..to-1}; returns the network to keep (the best one under early
         * stopping). {@code stage} prefixes log lines ("" for the main stage).
         */
        MultiLayerNetwork epochs(MultiLayerNetwork net, EpochSchedule schedule, EpochDraw draw, int from, int to,
                                 String stage, List<EpochStats> history, LabelIndex labels,
                                 Map<String, String> specs, Map<String, String> prov) {
            boolean main = stage.isEmpty();
            MinibatchFitter fitter = cfg.engine() == Engine.LOCAL ? this::fitInProcess : averaging(net);
            int patience = main ? cfg.earlyStoppingPatience() : 0;
            if (best == null || !main) {
                best = new Checkpoints.Best();
            }
            for (int epoch = from; epoch < to; epoch++) {
                long t0 = System.nanoTime();
                net.setEpochCount(epoch);
                schedule.beforeEpoch(epoch, net);
                List<String> files = filesFor(draw, epoch);
                double loss = fitter.fit(net, files, epoch);
                double trainBa = cfg.trainMetrics() ? Predictor.balancedAccuracy(confusion(net, train)) : Double.NaN;
                double validBa = validation != null ? Predictor.balancedAccuracy(confusion(net, validation)) : Double.NaN;
                double seconds = (System.nanoTime() - t0) / 1e9;
                EpochStats stats = new EpochStats(history.size(), loss, trainBa, validBa, seconds);
                history.add(stats);
                LOG.info(String.format(java.util.Locale.ROOT, "%sepoch %d/%d  loss %.5f  train-bacc %s  val-bacc %s  %.2f s",
                        stage, epoch + 1, to, loss, score(trainBa), score(validBa), seconds));
                boolean improved = best.offer(epoch, validBa, net);
                if (main && cfg.checkpointDir() != null) {
                    Checkpoints.save(Paths.get(cfg.checkpointDir()), epoch,
                            new TrainedModel(net, labels, cfg.featureNames(), scaler, specs, prov, history), improved ? best : null);
                }
                if (patience > 0 && epoch - best.epoch >= patience) {
                    LOG.info("early stopping after epoch {}: best validation balanced accuracy {} at epoch {}",
                            epoch + 1, best.score, best.epoch + 1);
                    break;
                }
            }
            if (patience > 0 && best.params != null) {
                net.setParams(best.params);
            }
            return net;
        }

        /**
         * Confusion counts of the current network on {@code data}: a Spark job, or with the
         * {@link Engine#LOCAL} engine in this JVM on rows collected once.
         */
        long[][] confusion(MultiLayerNetwork net, Dataset<Row> data) {
            if (cfg.engine() == Engine.LOCAL) {
                return onDriver.computeIfAbsent(data, d -> DriverRows.collect(d, scaler)).confusion(net, numClasses);
            }
            return Predictor.confusion(new NetworkPayload(net, scaler, numClasses), data);
        }

        /** The epoch's minibatch files: static data exported once and reordered, else a fresh export. */
        private List<String> filesFor(EpochDraw draw, int epoch) {
            if (draw.isStatic()) {
                if (staticFiles == null) {
                    staticFiles = MinibatchExporter.export(train, scaler, numClasses, cfg.batchSize(), cfg.seed(), 0,
                            staticPrefix(), cfg.engine() == Engine.LOCAL);
                }
                return reorder(staticFiles, cfg.seed(), epoch);
            }
            String dir = workDir + "/draw-" + exportCounter++;
            if (exportCounter > 1) {
                deleteDir(workDir + "/draw-" + (exportCounter - 2));
            }
            return MinibatchExporter.export(draw.draw(train, cfg.seed(), epoch), scaler, numClasses, cfg.batchSize(),
                    cfg.seed(), epoch, dir, cfg.engine() == Engine.LOCAL);
        }

        /** The {@link Engine#SPARK} fitter: DL4J parameter averaging over this run's workers. */
        private MinibatchFitter averaging(MultiLayerNetwork net) {
            RoundTrainingMaster master = new RoundTrainingMaster(new ParameterAveragingTrainingMaster.Builder(workers, cfg.batchSize())
                    .batchSizePerWorker(cfg.batchSize())
                    .averagingFrequency(cfg.averagingFrequency())
                    .workerPrefetchNumBatches(cfg.prefetch())
                    .saveUpdater(true)
                    .repartionData(cfg.repartition() ? Repartition.Always : Repartition.Never)
                    .storageLevelStreams(null)
                    .rngSeed(cfg.seed())
                    .trainingHooks(lossState.hook()));
            MultiLayerNetwork carrier = new MultiLayerNetwork(copyOf(net.getLayerWiseConfigurations()));
            carrier.init(net.params().dup(), false);
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(jsc, carrier, master);
            CachingMinibatchLoader loader = new CachingMinibatchLoader(staticPrefix(),
                    jsc.getConf().getSizeAsBytes(MINIBATCH_CACHE_CONF, "256m"));
            return (driverNet, files, epoch) -> fitRounds(spark, master, loader, driverNet, files, epoch);
        }

        /**
         * The {@link Engine#LOCAL} fitter: {@code net.fit} on each minibatch file in order, in this
         * JVM. Loss state (FNR importance, FAML anchors) lives in the one network, so nothing needs
         * syncing. Static epochs reuse the minibatches read in the first epoch.
         */
        private double fitInProcess(MultiLayerNetwork net, List<String> files, int epoch) {
            double scoreSum = 0;
            for (int i = 0; i < files.size(); i++) {
                String path = files.get(i);
                DataSet minibatch = path.startsWith(staticPrefix())
                        ? inMemory.computeIfAbsent(path, Run::readMinibatch) : readMinibatch(path);
                net.fit(minibatch);
                double score = net.score();
                roundListener.afterRound(epoch, i, List.of(path), score);
                scoreSum += score;
            }
            return scoreSum / files.size();
        }

        /** One Spark job per averaging round ({@link RoundTrainingMaster#fitRound}); returns the mean of the rounds' scores. */
        private double fitRounds(SparkDl4jMultiLayer spark, RoundTrainingMaster master, CachingMinibatchLoader loader,
                                 MultiLayerNetwork net, List<String> files, int epoch) {
            int perRound = workers * cfg.averagingFrequency();
            double scoreSum = 0;
            int rounds = 0;
            for (int startIdx = 0; startIdx < files.size(); startIdx += perRound) {
                List<String> slice = files.subList(startIdx, Math.min(files.size(), startIdx + perRound));
                int parts = Math.min(workers, slice.size());
                int iterations = net.getIterationCount();
                JavaRDD<String> paths = jsc.parallelize(slice, parts);
                double score = master.fitRound(ship(net, spark), paths, loader, net);
                // Each worker fitted ceil(slice/parts) minibatches from the broadcast count.
                net.setIterationCount(iterations + (slice.size() + parts - 1) / parts);
                lossState.afterRound(net);
                roundListener.afterRound(epoch, rounds, List.copyOf(slice), score);
                scoreSum += score;
                rounds++;
            }
            return scoreSum / rounds;
        }

        /**
         * Loads the driver's state into the network DL4J broadcasts for a round: a deep copy of the
         * driver's configuration (Java serialisation, as a broadcast to a cluster would make) and
         * the driver's parameters and updater state. Executors on a cluster always get a
         * deserialised copy; in local mode Spark hands the workers the broadcast value itself, so
         * without the copy loss state would be shared across workers and with the driver. The
         * carrier network is never fitted; it only holds what DL4J broadcasts.
         */
        private SparkDl4jMultiLayer ship(MultiLayerNetwork net, SparkDl4jMultiLayer spark) {
            MultiLayerNetwork carrier = spark.getNetwork();
            carrier.setLayerWiseConfigurations(copyOf(net.getLayerWiseConfigurations()));
            carrier.params().assign(net.params());
            if (net.getUpdater().getStateViewArray() != null) {
                carrier.getUpdater().getStateViewArray().assign(net.getUpdater().getStateViewArray());
            }
            return spark;
        }

        /**
         * The one directory of static minibatches: exported once per run, never rewritten, and
         * named uniquely per run so that {@link CachingMinibatchLoader} may key its cache by path.
         */
        private String staticPrefix() {
            return workDir + "/static-" + runToken + "/";
        }

        private static DataSet readMinibatch(String uri) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
            try (InputStream in = p.getFileSystem(new Configuration()).open(p)) {
                return CachingMinibatchLoader.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read minibatch " + uri, e);
            }
        }

        private void deleteDir(String uri) {
            try {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
                FileSystem fs = p.getFileSystem(new Configuration());
                fs.delete(p, true);
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", uri, e.getMessage());
            }
        }
    }

    /** A deep copy of a network configuration by Java serialisation. */
    static MultiLayerConfiguration copyOf(MultiLayerConfiguration conf) {
        return org.apache.commons.lang3.SerializationUtils.clone(conf);
    }

    /** Fits one epoch's minibatch files (in order) into the driver's network; returns the epoch's mean score. */
    @FunctionalInterface
    private interface MinibatchFitter {
        double fit(MultiLayerNetwork net, List<String> files, int epoch);
    }

    /**
     * The epoch's file order for static data: full minibatches permuted by (seed, epoch), the one
     * partial minibatch (if any) kept last so every worker's minibatches stay whole.
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

    /** A balanced accuracy for the progress line; "-" when it was not computed. */
    private static String score(double v) {
        return Double.isNaN(v) ? "-" : String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
