package org.counterweight.train;

import static org.counterweight.train.TrainingSettings.AVERAGING_FREQUENCY;
import static org.counterweight.train.TrainingSettings.BATCH_SIZE;
import static org.counterweight.train.TrainingSettings.CHECKPOINT_DIR;
import static org.counterweight.train.TrainingSettings.EARLY_STOPPING;
import static org.counterweight.train.TrainingSettings.ENGINE;
import static org.counterweight.train.TrainingSettings.EPOCHS;
import static org.counterweight.train.TrainingSettings.LOSS;
import static org.counterweight.train.TrainingSettings.MODEL;
import static org.counterweight.train.TrainingSettings.OPTIMIZER;
import static org.counterweight.train.TrainingSettings.PREFETCH;
import static org.counterweight.train.TrainingSettings.REPARTITION;
import static org.counterweight.train.TrainingSettings.RESUME;
import static org.counterweight.train.TrainingSettings.SAMPLER;
import static org.counterweight.train.TrainingSettings.SEED;
import static org.counterweight.train.TrainingSettings.SHUFFLE;
import static org.counterweight.train.TrainingSettings.STAGE2;
import static org.counterweight.train.TrainingSettings.WORKERS;
import static org.counterweight.train.TrainingSettings.WORK_DIR;

import java.io.Serializable;
import java.util.Map;
import java.util.List;
import org.counterweight.data.LabelIndex;
import org.counterweight.settings.Setting;
import org.counterweight.settings.SettingValues;

/**
 * Every setting of one training run. The settings, their defaults and validation are declared
 * once in {@link TrainingSettings}; the typed setters here validate through those declarations
 * (failing fast with the setting's name) and return {@code this}. Besides the settings it carries
 * facts about the data (label index, provenance paths).
 */
public final class TrainingConfig implements Serializable {
    private static final long serialVersionUID = 2L;

    private final SettingValues values = new SettingValues();
    private boolean trainMetrics = true;
    private LabelIndex labelIndex;
    private List<String> featureNames;
    private Standardizer standardizer;
    private PrepareOptions prepareOptions = PrepareOptions.defaults();
    private Preparation preparation;
    private String trainPath;
    private String validationPath;

    /** Sets any training setting (see {@link TrainingSettings}). */
    public <T> TrainingConfig set(Setting<T> s, T value) {
        values.set(s, value);
        return this;
    }

    /** The value of a training setting (its default when not set). */
    public <T> T get(Setting<T> s) {
        return values.get(s);
    }

    /** The settings that change what the run computes, as text (stored with the model; compared on resume). */
    public Map<String, String> resultAffecting() {
        return values.describe(TrainingSettings.RESULT_AFFECTING);
    }

    /** {@link TrainingSettings#MODEL}. */
    public TrainingConfig model(String spec) {
        return set(MODEL, spec);
    }

    /** {@link TrainingSettings#LOSS}. */
    public TrainingConfig loss(String spec) {
        return set(LOSS, spec);
    }

    /** {@link TrainingSettings#SAMPLER}; null means {@code none}. */
    public TrainingConfig sampler(String name) {
        return set(SAMPLER, name == null ? null : SAMPLER.parse(name));
    }

    /** {@link TrainingSettings#SHUFFLE}: {@code epoch} or {@code once}; null means {@code epoch}. */
    public TrainingConfig shuffle(String mode) {
        return set(SHUFFLE, mode == null ? null : SHUFFLE.parse(mode));
    }

    /** {@link TrainingSettings#OPTIMIZER}. */
    public TrainingConfig optimizer(String spec) {
        return set(OPTIMIZER, spec);
    }

    /** {@link TrainingSettings#STAGE2}; null or blank for none. */
    public TrainingConfig stage2(String spec) {
        return set(STAGE2, spec == null || spec.isBlank() ? null : spec);
    }

    /** {@link TrainingSettings#EPOCHS}. */
    public TrainingConfig epochs(int e) {
        return set(EPOCHS, e);
    }

    /** {@link TrainingSettings#SEED}. */
    public TrainingConfig seed(long s) {
        return set(SEED, s);
    }

    /** {@link TrainingSettings#BATCH_SIZE}. */
    public TrainingConfig batchSize(int b) {
        return set(BATCH_SIZE, b);
    }

    /** {@link TrainingSettings#AVERAGING_FREQUENCY}. */
    public TrainingConfig averagingFrequency(int f) {
        return set(AVERAGING_FREQUENCY, f);
    }

    /** {@link TrainingSettings#ENGINE}. */
    public TrainingConfig engine(Engine e) {
        if (e == null) {
            throw new IllegalArgumentException(ENGINE.key() + " must be one of " + Engine.names());
        }
        return set(ENGINE, e.toString());
    }

    /** {@link TrainingSettings#WORKERS}. */
    public TrainingConfig workers(int w) {
        return set(WORKERS, w);
    }

    /** {@link TrainingSettings#PREFETCH}. */
    public TrainingConfig prefetch(int p) {
        return set(PREFETCH, p);
    }

    /** {@link TrainingSettings#REPARTITION}. */
    public TrainingConfig repartition(boolean r) {
        return set(REPARTITION, r);
    }

    /** {@link TrainingSettings#EARLY_STOPPING}. */
    public TrainingConfig earlyStoppingPatience(int p) {
        return set(EARLY_STOPPING, p);
    }

    /** {@link TrainingSettings#CHECKPOINT_DIR}. */
    public TrainingConfig checkpointDir(String dir) {
        return set(CHECKPOINT_DIR, dir);
    }

    /** {@link TrainingSettings#RESUME}. */
    public TrainingConfig resume(boolean r) {
        return set(RESUME, r);
    }

    /** {@link TrainingSettings#WORK_DIR}. */
    public TrainingConfig workDir(String dir) {
        return set(WORK_DIR, dir);
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

    /**
     * The feature names stored with the model, in feature-vector order (e.g.
     * {@code LabeledFrame.featureNames()}); null stores none, and data to score can then only be
     * matched by position.
     */
    public TrainingConfig featureNames(List<String> names) {
        this.featureNames = names == null ? null : List.copyOf(names);
        return this;
    }

    /**
     * The standardisation to train with and store in the model, fitted by the caller; null (the
     * default) fits one on the training rows. An experiment standardises each part before
     * resampling and gives {@link Standardizer#identity}, so the resampled rows are not
     * standardised a second time.
     */
    public TrainingConfig standardizer(Standardizer s) {
        this.standardizer = s;
        return this;
    }

    /**
     * How a training frame with categorical or missing values is prepared (imputation, missing
     * indicators); see {@link Preparation}. Null keeps the defaults.
     */
    public TrainingConfig prepareOptions(PrepareOptions o) {
        this.prepareOptions = o == null ? PrepareOptions.defaults() : o;
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

    public String model() {
        return get(MODEL);
    }

    public String loss() {
        return get(LOSS);
    }

    public String sampler() {
        return get(SAMPLER);
    }

    public String shuffle() {
        return get(SHUFFLE);
    }

    public String optimizer() {
        return get(OPTIMIZER);
    }

    public String stage2() {
        return get(STAGE2);
    }

    public int epochs() {
        return get(EPOCHS);
    }

    public long seed() {
        return get(SEED);
    }

    public int batchSize() {
        return get(BATCH_SIZE);
    }

    public int averagingFrequency() {
        return get(AVERAGING_FREQUENCY);
    }

    public Engine engine() {
        return Engine.parse(get(ENGINE), ENGINE.key());
    }

    public int workers() {
        return get(WORKERS);
    }

    public int prefetch() {
        return get(PREFETCH);
    }

    public boolean repartition() {
        return get(REPARTITION);
    }

    public int earlyStoppingPatience() {
        return get(EARLY_STOPPING);
    }

    public String checkpointDir() {
        return get(CHECKPOINT_DIR);
    }

    public boolean resume() {
        return get(RESUME);
    }

    public String workDir() {
        return get(WORK_DIR);
    }

    public boolean trainMetrics() {
        return trainMetrics;
    }

    public LabelIndex labelIndex() {
        return labelIndex;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public PrepareOptions prepareOptions() {
        return prepareOptions;
    }

    /**
     * The preparation the training rows went through, stored in the model (and its checkpoints)
     * with its input feature names; set by {@link Trainer#train(org.counterweight.data.LabeledFrame,
     * org.counterweight.data.LabeledFrame, TrainingConfig)}.
     */
    TrainingConfig preparation(Preparation p) {
        this.preparation = p;
        return this;
    }

    Preparation preparation() {
        return preparation;
    }

    public Standardizer standardizer() {
        return standardizer;
    }

    public String trainPath() {
        return trainPath;
    }

    public String validationPath() {
        return validationPath;
    }
}
