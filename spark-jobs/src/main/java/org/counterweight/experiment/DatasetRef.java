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
 */
public record DatasetRef(String name, String path, String labelCol, SyntheticGenerator generator) {
    /** Reads (or generates) the data. */
    public LabeledFrame load(SparkSession spark) {
        if (generator != null) {
            return generator.generate(spark);
        }
        return DataReader.read(spark, path, ReadOptions.defaults().withLabelCol(labelCol));
    }
}
