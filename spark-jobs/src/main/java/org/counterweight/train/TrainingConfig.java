package org.counterweight.train;

import java.io.Serializable;
import java.util.Locale;
import org.counterweight.data.LabelIndex;
import org.counterweight.updaters.OptimizerSpec;

/**
 * Every setting of one training run, with defaults and validation in the setters (each setter
 * fails fast with the parameter's name and returns {@code this}). Specs are validated when the
 * trainer starts, before any Spark job runs.
 */
public final class TrainingConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default minibatch size per worker. */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** Default averaging frequency (minibatches per worker between parameter averages); see BENCHMARKS.md. */
    public static final int DEFAULT_AVERAGING_FREQUENCY = 20;

    private String model = NetworkFactory.DEFAULT_MODEL;
    private String loss = "ce";
    private String sampler = "none";
    private String optimizer = OptimizerSpec.DEFAULT;
    private String stage2;
    private int epochs = 10;
    private long seed = 1L;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int averagingFrequency = DEFAULT_AVERAGING_FREQUENCY;
    private Engine engine = Engine.SPARK;
    private int workers;
    private int prefetch;
    private boolean repartition;
    private int earlyStoppingPatience;
    private String checkpointDir;
    private boolean resume;
    private String workDir;
    private boolean trainMetrics = true;
    private LabelIndex labelIndex;
    private String trainPath;
    private String validationPath;

    /** Model spec, e.g. {@code mlp(hidden=16,8,activation=relu,dropout=0)} or {@code cnn-small}. */
    public TrainingConfig model(String spec) {
        this.model = require("model", spec);
        return this;
    }

    /** Loss spec, e.g. {@code ce} or {@code weighted-ce(weights=cb,drw=8)} (see the losses module). */
    public TrainingConfig loss(String spec) {
        this.loss = require("loss", spec);
        return this;
    }

    /** Training sampler: {@code none}, {@code class-balanced} or {@code sqrt} (a fresh draw each epoch). */
    public TrainingConfig sampler(String name) {
        String n = name == null ? "none" : name.strip().toLowerCase(Locale.ROOT);
        if (!EpochDraws.NAMES.contains(n)) {
            throw new IllegalArgumentException("sampler: '" + name + "' is not one of " + String.join("|", EpochDraws.NAMES));
        }
        this.sampler = n;
        return this;
    }

    /** Optimizer spec, e.g. {@code adam(lr=0.001)}. */
    public TrainingConfig optimizer(String spec) {
        this.optimizer = require("optimizer", spec);
        return this;
    }

    /** Second stage (METHODS §4): {@code crt(epochs=E)}, {@code tau-norm} or {@code tau-norm(tau=t)}; null for none. */
    public TrainingConfig stage2(String spec) {
        this.stage2 = spec == null || spec.isBlank() ? null : spec;
        return this;
    }

    /** Number of epochs (≥ 1). */
    public TrainingConfig epochs(int e) {
        this.epochs = positive("epochs", e);
        return this;
    }

    public TrainingConfig seed(long s) {
        this.seed = s;
        return this;
    }

    /** Minibatch size per worker (≥ 1). */
    public TrainingConfig batchSize(int b) {
        this.batchSize = positive("batchSize", b);
        return this;
    }

    /** Minibatches each worker fits between two parameter averages (≥ 1). */
    public TrainingConfig averagingFrequency(int f) {
        this.averagingFrequency = positive("averagingFrequency", f);
        return this;
    }

    /** Where minibatches are fitted: Spark parameter averaging (default) or the driver JVM. */
    public TrainingConfig engine(Engine e) {
        if (e == null) {
            throw new IllegalArgumentException("engine must be one of " + Engine.names());
        }
        this.engine = e;
        return this;
    }

    /** Number of parallel workers; 0 = Spark's default parallelism. */
    public TrainingConfig workers(int w) {
        if (w < 0) {
            throw new IllegalArgumentException("workers must be >= 0 (0 = default parallelism), got " + w);
        }
        this.workers = w;
        return this;
    }

    /** Minibatches each worker prefetches asynchronously (0 = none). */
    public TrainingConfig prefetch(int p) {
        if (p < 0) {
            throw new IllegalArgumentException("prefetch must be >= 0, got " + p);
        }
        this.prefetch = p;
        return this;
    }

    /**
     * Whether DL4J may repartition each round's minibatch files (its balanced strategy). Off by
     * default: the trainer already lays out each round as equal consecutive slices per worker,
     * which keeps the minibatch order deterministic.
     */
    public TrainingConfig repartition(boolean r) {
        this.repartition = r;
        return this;
    }

    /** Stop after this many epochs without a better validation balanced accuracy; 0 = off. */
    public TrainingConfig earlyStoppingPatience(int p) {
        if (p < 0) {
            throw new IllegalArgumentException("earlyStoppingPatience must be >= 0, got " + p);
        }
        this.earlyStoppingPatience = p;
        return this;
    }

    /** Directory for one checkpoint per epoch (null = no checkpoints). */
    public TrainingConfig checkpointDir(String dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** Resume from the last checkpoint in {@link #checkpointDir} when there is one. */
    public TrainingConfig resume(boolean r) {
        this.resume = r;
        return this;
    }

    /**
     * Directory (any Hadoop file system URI) for the exported minibatches; every executor must be
     * able to read it. Null = a fresh directory under {@code java.io.tmpdir} (one machine only).
     */
    public TrainingConfig workDir(String dir) {
        this.workDir = dir;
        return this;
    }

    /** Compute the training balanced accuracy every epoch (one extra Spark job per epoch). */
    public TrainingConfig trainMetrics(boolean on) {
        this.trainMetrics = on;
        return this;
    }

    /** The label mapping stored with the model (null = classes named 0..K-1). */
    public TrainingConfig labelIndex(LabelIndex index) {
        this.labelIndex = index;
        return this;
    }

    /** Provenance: where the training data came from. */
    public TrainingConfig trainPath(String p) {
        this.trainPath = p;
        return this;
    }

    /** Provenance: where the validation data came from. */
    public TrainingConfig validationPath(String p) {
        this.validationPath = p;
        return this;
    }

    private static String require(String name, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " spec must not be empty");
        }
        return v.strip();
    }

    private static int positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
        return v;
    }

    public String model() {
        return model;
    }

    public String loss() {
        return loss;
    }

    public String sampler() {
        return sampler;
    }

    public String optimizer() {
        return optimizer;
    }

    public String stage2() {
        return stage2;
    }

    public int epochs() {
        return epochs;
    }

    public long seed() {
        return seed;
    }

    public int batchSize() {
        return batchSize;
    }

    public int averagingFrequency() {
        return averagingFrequency;
    }

    public Engine engine() {
        return engine;
    }

    public int workers() {
        return workers;
    }

    public int prefetch() {
        return prefetch;
    }

    public boolean repartition() {
        return repartition;
    }

    public int earlyStoppingPatience() {
        return earlyStoppingPatience;
    }

    public String checkpointDir() {
        return checkpointDir;
    }

    public boolean resume() {
        return resume;
    }

    public String workDir() {
        return workDir;
    }

    public boolean trainMetrics() {
        return trainMetrics;
    }

    public LabelIndex labelIndex() {
        return labelIndex;
    }

    public String trainPath() {
        return trainPath;
    }

    public String validationPath() {
        return validationPath;
    }
}
