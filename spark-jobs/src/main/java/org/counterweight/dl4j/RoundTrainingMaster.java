package org.counterweight.dl4j;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.datavec.spark.util.BroadcastHadoopConfigHolder;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.ExecuteWorkerPathFlatMap;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingAggregationTuple;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementAddFunction;
import org.deeplearning4j.spark.impl.paramavg.aggregator.ParameterAveragingElementCombineFunction;
import org.deeplearning4j.spark.util.SparkUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * DL4J's {@link ParameterAveragingTrainingMaster} driven one averaging round at a time, each round
 * one Spark job. The Spark backend ({@code org.counterweight.train.SparkFitBackend}) already cuts an
 * epoch into rounds of exactly {@code workers × averagingFrequency} minibatch files, so DL4J's
 * own path for a round —
 * {@code fitPaths}: persist the paths, count them, split, {@code mapPartitions}, then a
 * {@code treeAggregate} — does work the driver does not need. Its Spark plumbing also costs: every
 * {@code mapPartitions}/{@code treeAggregate}/{@code fold} closure goes through Spark's closure
 * cleaner, which re-reads and parses Spark's class files each time (BENCHMARKS.md, "Training").
 * {@link #fitRound} keeps DL4J's parts — its repartitioning step, the worker and its broadcast
 * ({@link #getWorkerInstance}), the worker-side fitting ({@link ExecuteWorkerPathFlatMap}), the
 * summing of parameters, updater state and scores ({@link ParameterAveragingElementAddFunction},
 * {@link ParameterAveragingElementCombineFunction}) and the division by the number of workers —
 * and submits them as one {@code runJob} whose task function is a named class, which Spark does
 * not clean. The driver sums the per-partition results in partition order, so a run with several
 * workers is reproducible.
 *
 * <p>DL4J-version-specific: it subclasses dl4j-spark 1.0.0-M2's master and uses its protected
 * fields ({@code repartition}, {@code numWorkers}, ...) and aggregation functions, whose summing
 * (not averaging) the division here relies on; {@code Dl4jWorkaroundsTest} checks that.
 */
public final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {
    private static final long serialVersionUID = 2L;
    private static final ClassTag<ParameterAveragingAggregationTuple> TUPLE =
            ClassTag$.MODULE$.apply(ParameterAveragingAggregationTuple.class);

    /** A master with the settings of DL4J's builder (workers, averaging frequency, repartitioning, hooks). */
    public RoundTrainingMaster(Builder builder) {
        super(builder);
    }

    /**
     * Trains one averaging round: every partition of {@code paths} is one worker fitting its
     * minibatch files, starting from the parameters and updater state of {@code spark}'s network;
     * the averages of the workers' final parameters and updater state are written into
     * {@code into}.
     *
     * @return the mean of the workers' last minibatch scores
     */
    public double fitRound(SparkDl4jMultiLayer spark, JavaRDD<String> paths, DataSetLoader loader, MultiLayerNetwork into) {
        // DL4J's own repartitioning step of a round (Repartition.Never leaves the trainer's slices).
        JavaRDD<String> workerPaths = SparkUtils.repartition(paths, repartition, repartitionStrategy,
                numObjectsEachWorker(rddDataSetNumExamples), numWorkers);
        ExecuteWorkerPathFlatMap<ParameterAveragingTrainingResult> fit = new ExecuteWorkerPathFlatMap<>(
                getWorkerInstance(spark), loader, BroadcastHadoopConfigHolder.get(spark.getSparkContext()));
        Object perPartition = spark.getSparkContext().sc().runJob(workerPaths.rdd(), new RoundTask(fit), TUPLE);
        ParameterAveragingAggregationTuple sum = null;
        try {
            ParameterAveragingElementCombineFunction combine = new ParameterAveragingElementCombineFunction();
            for (ParameterAveragingAggregationTuple partition : (ParameterAveragingAggregationTuple[]) perPartition) {
                sum = combine.call(sum, partition);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot sum the workers' results: " + e.getMessage(), e);
        }
        if (sum == null || sum.getParametersSum() == null) {
            throw new IllegalStateException("an averaging round over " + workerPaths.getNumPartitions()
                    + " partitions returned no parameters");
        }
        int workers = sum.getAggregationsCount();
        into.setParams(sum.getParametersSum().divi(workers));
        INDArray updaterState = sum.getUpdaterStateSum();
        if (updaterState != null) {
            into.getUpdater().getStateViewArray().assign(updaterState.divi(workers));
        }
        Nd4j.getExecutioner().commit();
        return sum.getScoreSum() / workers;
    }

    /**
     * The task of a round: DL4J's worker fits the partition's minibatch files, and the partition's
     * result is summed with DL4J's own element function. A named class rather than a lambda so
     * that Spark's closure cleaner skips it.
     */
    private static final class RoundTask
            extends AbstractFunction2<TaskContext, scala.collection.Iterator<String>, ParameterAveragingAggregationTuple>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final ExecuteWorkerPathFlatMap<ParameterAveragingTrainingResult> fit;

        RoundTask(ExecuteWorkerPathFlatMap<ParameterAveragingTrainingResult> fit) {
            this.fit = fit;
        }

        @Override
        public ParameterAveragingAggregationTuple apply(TaskContext context, scala.collection.Iterator<String> paths) {
            try {
                Iterator<ParameterAveragingTrainingResult> results = fit.call(JavaConverters.asJavaIterator(paths));
                ParameterAveragingElementAddFunction add = new ParameterAveragingElementAddFunction();
                ParameterAveragingAggregationTuple sum = null;
                while (results.hasNext()) {
                    sum = add.call(sum, results.next());
                }
                return sum;
            } catch (Exception e) {
                throw new IllegalStateException("worker failed to fit its minibatches: " + e.getMessage(), e);
            }
        }
    }
}
