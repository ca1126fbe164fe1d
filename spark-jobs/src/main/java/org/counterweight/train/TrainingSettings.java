package org.counterweight.train;

import java.util.Arrays;
import java.util.List;
import org.counterweight.settings.CommonSettings;
import org.counterweight.settings.Setting;
import org.counterweight.updaters.OptimizerSpec;

/**
 * The settings of a training run, each declared once with its default and validation. The
 * {@code train} command's options, an experiment config's top-level keys and
 * {@link TrainingConfig}'s setters all use these declarations; {@link #RESULT_AFFECTING} are the
 * settings stored with a model and compared when a checkpoint is resumed.
 */
public final class TrainingSettings {
    private TrainingSettings() {
    }

    /** Network: {@code mlp(hidden=16,8,activation=relu,dropout=0)} or {@code cnn-small(...)}. */
    public static final Setting<String> MODEL = Setting.text("model",
            "Network: mlp(hidden=16,8,activation=relu,dropout=0) or cnn-small(filters=16,32,dense=64,height=28,width=28,channels=1).",
            "mlp(hidden=16,8)", NetworkFactory::check);

    /** Loss or output-layer spec (see losses/README.md). */
    public static final Setting<String> LOSS = Setting.text("loss",
            "Loss spec, e.g. ce, focal(gamma=2), weighted-ce(weights=cb,drw=auto), fal(gamma=2,margin=1) (losses/README.md).",
            "ce", LossHeads::check);

    /** Per-epoch training sampler. */
    public static final Setting<String> SAMPLER = Setting.choice("sampler",
            "Training sampler, a fresh draw each epoch: none, class-balanced or sqrt.", "none", EpochDraws.NAMES);

    /** {@link #SHUFFLE}'s default: a fresh deal of the rows into minibatches every epoch. */
    public static final String SHUFFLE_EPOCH = "epoch";

    /** How natural sampling orders the rows into minibatches from epoch to epoch. */
    public static final Setting<String> SHUFFLE = Setting.choice("shuffle",
            "Minibatches under natural sampling (sampler none): epoch = the rows dealt into new minibatches every epoch (a fresh "
                    + "permutation); once = minibatches cut once, only their order changes per epoch (training before 2026-12-03).",
            SHUFFLE_EPOCH, List.of(SHUFFLE_EPOCH, "once"));

    /** Optimizer spec. */
    public static final Setting<String> OPTIMIZER = Setting.text("optimizer",
            "Optimizer: adam(lr=..), adagrad(lr=..) or sgd(lr=..,momentum=..), each with warmup, decay_epochs, decay, weight_decay.",
            "adam(lr=0.001)", OptimizerSpec::parse);

    /** Second training stage (METHODS §4). */
    public static final Setting<String> STAGE2 = Setting.optionalText("stage2",
            "Second stage on the last layer: crt(epochs=10), tau-norm or tau-norm(tau=1.0) (default: none).", TwoStage::parse);

    /** Epochs of the first stage. */
    public static final Setting<Integer> EPOCHS = Setting.integer("epochs", "Number of training epochs.", 10, 1);

    /** Seed of everything random in a run (the one seed setting of every command). */
    public static final Setting<Long> SEED = CommonSettings.SEED;

    /** Minibatch size per worker. */
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("batch-size", "Minibatch size per worker.", 64, 1);

    /** Minibatches per worker between parameter averages. */
    public static final Setting<Integer> AVERAGING_FREQUENCY = Setting.integer("averaging-frequency",
            "Minibatches each worker fits between two parameter averages (engine spark; BENCHMARKS.md).", 20, 1);

    /** Where minibatches are fitted. */
    public static final Setting<String> ENGINE = Setting.choice("engine",
            "spark: DL4J parameter averaging on the executors; local: fit in the driver JVM (small data).", "spark",
            Arrays.stream(Engine.values()).map(Engine::toString).toList());

    /** Parallel workers. */
    public static final Setting<Integer> WORKERS = Setting.integer("workers",
            "Parallel workers (0 = Spark's default parallelism).", 0, 0);

    /** Asynchronous prefetch per worker. */
    public static final Setting<Integer> PREFETCH = Setting.integer("prefetch", "Minibatches each worker prefetches (0 = none).", 0, 0);

    /** DL4J's own repartitioning of each round's files. */
    public static final Setting<Boolean> REPARTITION = Setting.flag("repartition",
            "Let DL4J rebalance each round's minibatch files across workers (off: equal consecutive slices, deterministic order).");

    /** Early stopping on validation balanced accuracy. */
    public static final Setting<Integer> EARLY_STOPPING = Setting.integer("early-stopping",
            "Stop after this many epochs without a better validation balanced accuracy and keep the best (0 = off).", 0, 0);

    /** Checkpoint directory. */
    public static final Setting<String> CHECKPOINT_DIR = Setting.optionalText("checkpoint-dir",
            "Write a checkpoint every epoch into this directory (default: none).", dir -> { });

    /** Resume from the last checkpoint. */
    public static final Setting<Boolean> RESUME = Setting.flag("resume", "Continue from the last checkpoint in --checkpoint-dir.");

    /** Where minibatch files go. */
    public static final Setting<String> WORK_DIR = Setting.optionalText("work-dir",
            "Directory (any Hadoop URI) for exported minibatches; every executor must read it (default: a local temp dir, one machine only).",
            dir -> { });

    /** The settings that change what a run computes: stored with the model, compared on resume. */
    public static final List<Setting<?>> RESULT_AFFECTING = List.of(MODEL, LOSS, OPTIMIZER, SAMPLER, SHUFFLE, STAGE2, EPOCHS,
            BATCH_SIZE, AVERAGING_FREQUENCY, ENGINE);

    /** Every training setting. */
    public static final List<Setting<?>> ALL = List.of(MODEL, LOSS, SAMPLER, SHUFFLE, OPTIMIZER, STAGE2, EPOCHS, SEED, BATCH_SIZE,
            AVERAGING_FREQUENCY, ENGINE, WORKERS, PREFETCH, REPARTITION, EARLY_STOPPING, CHECKPOINT_DIR, RESUME, WORK_DIR);
}
