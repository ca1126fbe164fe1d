package org.counterweight.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.counterweight.data.Columns;
import org.counterweight.data.DataException;
import org.counterweight.data.LabelIndex;
import org.counterweight.data.LabeledFrame;

/**
 * The training and validation frames checked against what a run needs, before any training:
 * schemas, class indexes, every class present, validation labels within the training classes,
 * validation data where the run uses it, one feature name per feature. Knows the class counts and
 * the feature count that size the network.
 */
final class TrainingData {
    private final long[] classCounts;
    private final int numFeatures;
    private final LabelIndex labels;

    private TrainingData(long[] classCounts, int numFeatures, LabelIndex labels) {
        this.classCounts = classCounts;
        this.numFeatures = numFeatures;
        this.labels = labels;
    }

    /** Fails without a Spark job when a frame lacks a column the trainer reads. */
    static void checkSchemas(Dataset<Row> train, Dataset<Row> validation) {
        checkSchema(train, "training", true);
        if (validation != null) {
            checkSchema(validation, "validation", false);
        }
    }

    /** Fails when early stopping or the second stage needs validation rows and there are none. */
    static void checkValidationGiven(Dataset<Row> validation, TrainingConfig cfg, TwoStage stage2) {
        if (stage2 != null && stage2.needsValidation() && validation == null) {
            throw new IllegalArgumentException("stage2 " + cfg.stage2() + " chooses tau on validation data: give validation rows or tau=...");
        }
        if (cfg.earlyStoppingPatience() > 0 && validation == null) {
            throw new IllegalArgumentException("early stopping watches the validation balanced accuracy: give validation rows");
        }
    }

    /**
     * Class counts and feature count of {@code train} (one aggregation job), checked with
     * {@code validation} (may be null) against the configuration's label index and feature names.
     */
    static TrainingData check(Dataset<Row> train, Dataset<Row> validation, TrainingConfig cfg) {
        LabelIndex index = cfg.labelIndex();
        long[] counts = classCounts(train, index);
        int numFeatures = ((Vector) train.select(Columns.FEATURES).first().get(0)).size();
        if (validation != null) {
            checkLabels(validation, counts.length);
        }
        List<String> features = cfg.featureNames();
        if (features != null && (features.size() != numFeatures || Set.copyOf(features).size() != features.size())) {
            // Data to score is matched to these names, so they must name each feature once.
            throw new IllegalArgumentException("feature names " + features + " do not name the " + numFeatures
                    + " features once each");
        }
        return new TrainingData(counts, numFeatures, index != null ? index : LabelIndex.ofClassCount(counts.length));
    }

    /** Rows per class index. */
    long[] classCounts() {
        return classCounts;
    }

    int numClasses() {
        return classCounts.length;
    }

    int numFeatures() {
        return numFeatures;
    }

    /** The configuration's label index, or class indexes as labels when it has none. */
    LabelIndex labels() {
        return labels;
    }

    private static void checkSchema(Dataset<Row> df, String what, boolean needRowId) {
        StructType s = df.schema();
        List<String> names = Arrays.asList(s.fieldNames());
        String cols = String.join(", ", names);
        String missing = null;
        if (!names.contains(Columns.FEATURES) || !(s.apply(Columns.FEATURES).dataType() instanceof VectorUDT)) {
            missing = "vector column '" + Columns.FEATURES + "'";
        } else if (!names.contains(Columns.LABEL) || !s.apply(Columns.LABEL).dataType().equals(DataTypes.DoubleType)) {
            missing = "double column '" + Columns.LABEL + "' (class indexes)";
        } else if (needRowId && (!names.contains(Columns.ROW_ID) || !s.apply(Columns.ROW_ID).dataType().equals(DataTypes.LongType))) {
            missing = "long column '" + Columns.ROW_ID + "'";
        }
        if (missing != null) {
            throw new DataException(what + " data: no " + missing + " (columns: " + cols + "); " + LabeledFrame.HOW_TO_CONVERT);
        }
    }

    private static long[] classCounts(Dataset<Row> train, LabelIndex index) {
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
        return counts;
    }

    private static void checkLabels(Dataset<Row> validation, int numClasses) {
        Row r = validation.agg(min(col(Columns.LABEL)), max(col(Columns.LABEL))).first();
        if (!r.isNullAt(0) && (r.getDouble(0) < 0 || r.getDouble(1) >= numClasses)) {
            throw new DataException("validation data: labels range " + r.getDouble(0) + ".." + r.getDouble(1)
                    + " but training has classes 0.." + (numClasses - 1));
        }
    }
}
