package org.counterweight.train;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
}
