package org.counterweight.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

/**
 * --verbose turns the per-epoch lines back on: train/EpochLoop logs them at DEBUG
 * ({@code TrainPredictCommandTest}), which the default configuration hides and --verbose enables.
 */
class CommonOptionsTest {
    private static final String EPOCH_LOGGER = "org.counterweight.train.EpochLoop";

    @Test
    void verboseEnablesThePerEpochLines() {
        Level root = LogManager.getRootLogger().getLevel();
        Level own = LogManager.getLogger("org.counterweight").getLevel();
        try {
            CommonOptions.applyVerbosity(false);
            assertFalse(LogManager.getLogger(EPOCH_LOGGER).isDebugEnabled(), "quiet by default");
            CommonOptions.applyVerbosity(true);
            assertTrue(LogManager.getLogger(EPOCH_LOGGER).isDebugEnabled(), "--verbose shows every epoch");
            assertTrue(LogManager.getLogger("org.apache.spark.SparkContext").isInfoEnabled(), "and Spark's INFO lines");
        } finally {
            Configurator.setRootLevel(root);
            Configurator.setLevel("org.counterweight", own);
        }
    }
}
