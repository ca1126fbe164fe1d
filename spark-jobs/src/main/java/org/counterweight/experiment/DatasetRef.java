package org.counterweight.experiment;

import org.apache.spark.sql.SparkSession;
import org.counterweight.data.DataReader;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.ReadOptions;
import org.counterweight.data.SyntheticGenerator;

/**
 * A dataset an experiment runs on: a built-in name, a file, or generated data.
 *
 * @param name      name in results and reports
 * @param path      file path or built-in name; null when generated
 * @param labelCol  label column for files
 * @param generator synthetic generator settings, or null
 * @param testPath  a fixed test set (e.g. Fashion-MNIST's t10k), or null to split the test part off
 */
public record DatasetRef(String name, String path, String labelCol, SyntheticGenerator generator, String testPath) {
    /** Reads (or generates) the data. */
    public LabeledFrame load(SparkSession spark) {
        if (generator != null) {
            return generator.generate(spark);
        }
        return DataReader.read(spark, path, ReadOptions.defaults().withLabelCol(labelCol));
    }

    /** Reads the fixed test set with the training data's label index; null when there is none. */
    public LabeledFrame loadTest(SparkSession spark, LabeledFrame train) {
        if (testPath == null) {
            return null;
        }
        LabeledFrame test = DataReader.read(spark, testPath, ReadOptions.defaults().withLabelCol(labelCol).withLabels(train.labels()));
        if (test.numFeatures() != train.numFeatures()) {
            throw new org.counterweight.data.DataException(testPath + ": " + test.numFeatures() + " features, but " + name
                    + " has " + train.numFeatures());
        }
        return test;
    }
}
