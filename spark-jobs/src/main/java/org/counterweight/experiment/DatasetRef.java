package org.counterweight.experiment;

import org.apache.spark.sql.SparkSession;
import org.counterweight.data.DataException;
import org.counterweight.data.DataReader;
import org.counterweight.data.LabeledFrame;
import org.counterweight.data.LongTail;
import org.counterweight.data.ReadOptions;
import org.counterweight.data.SyntheticGenerator;
import org.counterweight.train.PrepareOptions;

/**
 * A dataset an experiment runs on: a built-in name, a file, or generated data.
 *
 * @param name      name in results and reports
 * @param path      file path or built-in name; null when generated
 * @param read      how files are read: label column, categorical columns, missing-value texts, level limit
 * @param generator synthetic generator settings, or null
 * @param testPath  a fixed test set (e.g. Fashion-MNIST's t10k), or null to split the test part off
 * @param longTail  imbalance ratio ρ of a long-tailed subset to take (METHODS §6), or null
 * @param prepare   how categorical and missing values are prepared on each training part
 */
public record DatasetRef(String name, String path, ReadOptions read, SyntheticGenerator generator, String testPath,
                         Double longTail, PrepareOptions prepare) {
    /** Reads (or generates) the data, long-tailed when asked. */
    public LabeledFrame load(SparkSession spark) {
        LabeledFrame data = generator != null ? generator.generate(spark) : DataReader.read(spark, path, read);
        return longTail == null ? data : LongTail.of(data, longTail);
    }

    /** Reads the fixed test set with the training data's label index; null when there is none. */
    public LabeledFrame loadTest(SparkSession spark, LabeledFrame train) {
        if (testPath == null) {
            return null;
        }
        LabeledFrame test = DataReader.read(spark, testPath, read.withLabels(train.labels()));
        if (test.numFeatures() != train.numFeatures()) {
            throw new DataException(testPath + ": " + test.numFeatures() + " features, but " + name + " has " + train.numFeatures());
        }
        return test;
    }
}
