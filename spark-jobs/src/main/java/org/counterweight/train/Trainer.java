package org.counterweight.train;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.data.DataException;
import org.counterweight.data.LabeledFrame;

/**
 * Trains one network on a labeled frame ({@code features}, {@code label}, {@code row_id}). The
 * experiment runner and the CLI depend on this interface only; the DL4J-on-Spark implementation
 * ({@link SparkTrainer}) stays behind it because DL4J's Spark module is deprecated upstream.
 */
public interface Trainer {
    /**
     * @param train      training rows (the scaler is fitted on these only)
     * @param validation validation rows for progress, early stopping and τ selection; may be null
     */
    TrainedModel train(Dataset<Row> train, Dataset<Row> validation, TrainingConfig cfg);

    /**
     * Trains on labeled frames (e.g. from {@link LabeledFrame#of}), storing the training frame's
     * label values and feature names in the model: they are set on {@code cfg}, which must not
     * already hold others. The validation frame must have the same classes and features (read it
     * with {@code ReadOptions.withLabels(train.labels())} and the same categorical columns).
     *
     * <p>Frames with categorical or missing values ({@link LabeledFrame#needsPreparation}) are
     * prepared first: a {@link Preparation} is fitted on the training frame only (with
     * {@link TrainingConfig#prepareOptions}), applied to both frames, one-hot encoded for the
     * network ({@link NetworkInput}) and stored in the model.
     *
     * @param validation may be null
     */
    default TrainedModel train(LabeledFrame train, LabeledFrame validation, TrainingConfig cfg) {
        if (cfg.labelIndex() != null && !cfg.labelIndex().equals(train.labels())) {
            throw new IllegalArgumentException("the configuration's label index " + cfg.labelIndex()
                    + " is not the training frame's " + train.labels());
        }
        if (cfg.featureNames() != null && !cfg.featureNames().equals(train.featureNames())) {
            throw new IllegalArgumentException("the configuration's feature names " + cfg.featureNames()
                    + " are not the training frame's " + train.featureNames());
        }
        if (validation != null && !validation.labels().equals(train.labels())) {
            throw new DataException(validation.source() + ": validation classes " + validation.labels()
                    + " are not the training classes " + train.labels() + " (read it with ReadOptions.withLabels)");
        }
        if (validation != null && !validation.featureNames().equals(train.featureNames())) {
            throw new DataException(validation.source() + ": validation features " + validation.featureNames()
                    + " are not the training features " + train.featureNames());
        }
        if (train.needsPreparation() || validation != null && validation.needsPreparation()) {
            Preparation p = Preparation.fit(train, cfg.prepareOptions());
            LabeledFrame tr = p.transform(train, false);
            LabeledFrame va = validation == null ? null : p.transform(validation, true);
            cfg.labelIndex(train.labels()).featureNames(null).preparation(p)
                    .standardizer(Standardizer.identity(NetworkInput.width(tr.categorical(), tr.numFeatures())));
            return train(NetworkInput.of(tr), va == null ? null : NetworkInput.of(va), cfg);
        }
        cfg.labelIndex(train.labels()).featureNames(train.featureNames()).preparation(null);
        return train(train.frame(), validation == null ? null : validation.frame(), cfg);
    }
}
