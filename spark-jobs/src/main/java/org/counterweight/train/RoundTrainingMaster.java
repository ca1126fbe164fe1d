package org.counterweight.train;

import org.apache.spark.api.java.JavaRDDLike;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * DL4J's {@link ParameterAveragingTrainingMaster} for rounds whose size the driver already knows.
 * {@link SparkTrainer} hands DL4J exactly one averaging round per {@code fitPaths} call and knows
 * how many minibatch files it holds; DL4J would otherwise run a Spark {@code count} job per round
 * only to learn that number (one of the two jobs per round; BENCHMARKS.md, "Training").
 * Everything else — broadcast, worker fitting, averaging of parameters and updater state — is
 * DL4J's own.
 */
final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {
    private static final long serialVersionUID = 1L;

    /** Minibatch files of the next {@code fitPaths} call, or -1 to let DL4J count them. */
    private long nextRoundFiles = -1;

    RoundTrainingMaster(Builder builder) {
        super(builder);
    }

    /** Declares the number of minibatch files the next {@code fitPaths} call trains on. */
    void nextRound(int files) {
        nextRoundFiles = files;
    }

    @Override
    protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> data) {
        long known = nextRoundFiles;
        nextRoundFiles = -1;
        return known >= 0 ? known : super.getTotalDataSetObjectCount(data);
    }
}
