package org.counterweight.experiment;

import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.counterweight.data.Columns;
import org.counterweight.data.LabeledFrame;

/**
 * Standardises features with statistics of the training part only, before resampling: distance
 * based resamplers (SMOTE, NearMiss) would otherwise be dominated by the features with the
 * largest ranges. Fitting on the training part only keeps validation and test rows out of every
 * fitted quantity (no leakage).
 */
final class FeatureScaling {
    private static final String SCALED = "_cw_scaled";

    private final StandardScalerModel model;

    private FeatureScaling(StandardScalerModel model) {
        this.model = model;
    }

    /** Fits mean and standard deviation on {@code train}. */
    static FeatureScaling fit(LabeledFrame train) {
        StandardScaler scaler = new StandardScaler().setInputCol(Columns.FEATURES).setOutputCol(SCALED)
                .setWithMean(true).setWithStd(true);
        return new FeatureScaling(scaler.fit(train.frame()));
    }

    /** The same rows with standardised features. */
    LabeledFrame apply(LabeledFrame part) {
        if (part == null) {
            return null;
        }
        Dataset<Row> scaled = model.transform(part.frame()).drop(Columns.FEATURES).withColumnRenamed(SCALED, Columns.FEATURES);
        return part.withFrame(scaled);
    }
}
