package org.counterweight.train;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.counterweight.Version;
import org.counterweight.data.Columns;
import org.counterweight.updaters.OptimizerSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Trains one network with DL4J on Spark: checks the specs and data before any Spark job, builds
 * the network, then hands the epochs to an {@link EpochLoop} over the {@link FitBackend} of the
 * configured {@link Engine} (DL4J parameter averaging on the executors, or the driver JVM) and the
 * run's {@link MinibatchSource}; resumes from {@link Checkpoints} and runs the {@link TwoStage}
 * second stage. State that lives in layer parameters (FAL/FAML anchors and their running means)
 * is averaged with the parameters; {@code fnr-weighted-ce}'s importance, kept in the loss, is
 * averaged the same way by {@link LossStateSync} (see docs/training.md).
 */
public final class SparkTrainer implements Trainer {
    /**
     * Spark setting: bytes of the training rows (and {@code shuffle=once}'s static minibatches) each
     * executor JVM keeps in memory across epochs ({@link CachingMinibatchLoader}); 0 reads them
     * from the files every time.
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
        TrainingData.checkSchemas(train, validation);
        OptimizerSpec optimizer = OptimizerSpec.parse(cfg.optimizer());
        TwoStage stage2 = TwoStage.parse(cfg.stage2());
        TrainingData.checkValidationGiven(validation, cfg, stage2);
        Bbn.check(cfg.model(), cfg.loss(), cfg.sampler(), cfg.stage2());
        Dataset<Row> trainRows = train.select(Columns.FEATURES, Columns.LABEL, Columns.ROW_ID).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> validRows = validation == null ? null
                : validation.select(Columns.FEATURES, Columns.LABEL).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            TrainingData data = TrainingData.check(trainRows, validRows, cfg);
            LossHead head = LossHeads.create(cfg.loss(), data.classCounts(), cfg.epochs());
            if (stage2 != null) {
                stage2.checkHead(head.outputLayer(1, data.numClasses()));
            }
            MultiLayerNetwork net = new MultiLayerNetwork(NetworkFactory.build(cfg.model(), data.numFeatures(),
                    data.numClasses(), head, optimizer, cfg.epochs(), cfg.seed()));
            // An experiment cell standardises its parts once, before resampling, and passes that scaler.
            Standardizer scaler = cfg.standardizer() != null ? cfg.standardizer() : Standardizer.fit(trainRows);
            FitBackend backend = FitBackend.forEngine(cfg, JavaSparkContext.fromSparkContext(trainRows.sparkSession().sparkContext()),
                    scaler, data.numClasses(), roundListener);
            try (MinibatchSource minibatches = MinibatchSource.open(trainRows, scaler, data.numClasses(), cfg,
                    backend.writesMinibatchesOnDriver())) {
                net.init();
                Checkpoints.Start start = Checkpoints.resume(cfg, net);
                Map<String, String> specs = cfg.resultAffecting();
                Map<String, String> prov = provenance(cfg, trainRows);
                Preparation prep = cfg.preparation();
                Function<MultiLayerNetwork, TrainedModel> model = n -> new TrainedModel(n, data.labels(),
                        prep != null ? prep.inputNames() : cfg.featureNames(), scaler, specs, prov, start.history(), prep);
                EpochLoop loop = new EpochLoop(backend, minibatches, trainRows, validRows, cfg, data.numClasses(), start.history());
                net = loop.run(start.network(), new EpochLoop.Stage("", head.schedule(), EpochDraws.forRun(cfg.sampler(), cfg.loss()),
                        start.epoch(), cfg.epochs(), cfg.earlyStoppingPatience(), start.best(), Checkpoints.writer(cfg, model)));
                if (stage2 != null) {
                    net = stage2.apply(net, head, optimizer, loop, prov);
                }
                prov.put("epochsTrained", Integer.toString(start.history().size()));
                return model.apply(net);
            }
        } finally {
            trainRows.unpersist();
            if (validRows != null) {
                validRows.unpersist();
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
        m.put("created", Instant.now().toString());
        return m;
    }
}
