package org.counterweight.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.SparkTestSupport;
import org.counterweight.cli.Main;
import org.counterweight.results.ResultsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An experiment dataset with {@code categorical = [...]}: read, prepared per training part, every cell run. */
class CategoricalExperimentTest {
    private final SparkSession spark = SparkTestSupport.spark();

    @TempDir
    Path dir;

    private Path conf(String extra) throws IOException {
        return Files.writeString(dir.resolve("adult.conf"), """
                name = adult
                datasets = [{name = adult, path = "%s", categorical = [workclass, education, marital-status, occupation,
                    relationship, race, sex, native-country]%s}]
                protocol = "holdout(test=0.25, validation=0.15)"
                seeds = [1]
                model = "mlp(hidden=8)"
                optimizer = "adam(lr=0.01)"
                epochs = 2
                batch-size = 64
                engine = local
                methods = [ce, "random-over+ce", "smote-nc+ce"]
                """.formatted(new File("../data/examples/adult_census_sample.csv.gz").getAbsolutePath(), extra));
    }

    @Test
    void datasetKeysAreReadAndChecked() throws IOException {
        ExperimentConfig cfg = ExperimentConfig.load(conf(", impute = mean, missing-indicator = true, max-levels = 50,"
                + " missing-values = \"empty,?\"").toFile(), null);
        DatasetRef d = cfg.datasets().get(0);
        assertEquals(8, d.read().categorical().size());
        assertEquals(List.of("", "?"), d.read().missingValues());
        assertEquals(50, d.read().maxLevels());
        assertEquals("mean", d.prepare().impute());
        assertTrue(d.prepare().missingIndicator());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ExperimentConfig.load(conf(", impute = mode").toFile(), null));
        assertTrue(bad.getMessage().contains("impute: 'mode' is not one of median|mean|most-frequent"), bad.getMessage());
    }

    @Test
    void everyCellRunsOnPreparedParts() throws IOException {
        String warehouse = dir.resolve("wh").toString();
        assertEquals(0, Main.execute("experiment", "--master", "local[2]", "--config", conf("").toString(), "--warehouse",
                warehouse, "--run-id", "a"));
        List<Row> metrics = ResultsStore.openExisting(spark, warehouse).metrics()
                .where("metric = 'balanced_accuracy' AND class IS NULL").collectAsList();
        assertEquals(3, metrics.size(), metrics.toString());
        for (Row r : metrics) {
            double v = r.getDouble(r.fieldIndex("value"));
            assertTrue(v > 0.6, "balanced accuracy " + v + " of " + r);
        }
    }
}
