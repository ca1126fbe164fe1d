package org.counterweight.cli;

import java.io.File;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.counterweight.experiment.ExperimentConfig;
import org.counterweight.experiment.ExperimentRunner;
import org.counterweight.experiment.Leaderboard;
import org.counterweight.experiment.Method;
import org.counterweight.results.ResultsStore;
import org.counterweight.results.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code experiment}: runs an experiment config end to end into the results store. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Run every cell (dataset x method x seed x fold) of an experiment config into a results store.",
            "Prints the leaderboard at the end. Re-running the same --run-id with the same config resumes: finished cells are skipped;",
            "with a changed config it is refused unless --replace is given."})
public final class ExperimentCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Experiment definition (HOCON), e.g. conf/quickstart.conf.")
    File config;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run id (default: <experiment>-<yyyyMMdd-HHmmss>); reuse one to resume.")
    String runId;

    @Option(names = "--replace", description = {"If the run id exists, delete its results (every cell's metrics, timings and curves)",
        "and run all its cells afresh, whatever its config. Without it an existing run id resumes (same config) or is refused."})
    boolean replace;

    @Option(names = "--warehouse", defaultValue = ResultsStore.DEFAULT_WAREHOUSE, paramLabel = "DIR",
            description = "Results store directory (default: ${DEFAULT-VALUE}).")
    String warehouse;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Value of $${data-dir} in the config (e.g. ../shared/datasets).")
    String dataDir;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Directory for exported minibatches, readable by every executor (default: local temp; use HDFS/NFS on a cluster).")
    String workDir;

    @Option(names = "--seeds", paramLabel = "LIST",
            description = "Seeds to run instead of the config's, e.g. 6-10 or 1,2,7-9 (part of the config hash).")
    String seeds;

    @Option(names = "--dry-run", description = "Validate the config and list the cells without running them.")
    boolean dryRun;

    @Override
    public Integer call() {
        ExperimentConfig cfg = ExperimentConfig.load(config, dataDir, seeds == null ? null : ExperimentConfig.parseSeeds(seeds));
        System.out.println("experiment " + cfg.name() + " (" + config + ", config hash " + cfg.hash() + "): "
                + cfg.datasets().size() + " dataset(s) x " + cfg.methods().size() + " method(s) x " + cfg.seeds().size()
                + " seed(s) x " + cfg.protocol().folds() + " fold(s) = " + cfg.cellCount() + " cells, protocol " + cfg.protocol());
        for (Method m : cfg.methods()) {
            System.out.println("  " + m.describe() + (cfg.budget() > 1 ? " (" + cfg.candidates(m.name()).size()
                    + " candidate trainings per cell)" : ""));
        }
        if (dryRun) {
            return 0;
        }
        String id = runId != null ? runId : cfg.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        SparkSession spark = common.spark("experiment " + cfg.name());
        ResultsStore store = ResultsStore.open(spark, warehouse);
        ExperimentRunner.Summary s = new ExperimentRunner(spark, store).workDir(workDir).replace(replace).run(cfg, id);
        System.out.println();
        System.out.print(Leaderboard.format(Leaderboard.of(spark, store, id, cfg.metric()), cfg.metric()));
        System.out.println();
        System.out.println("run " + id + ": " + s.status().stored() + " (" + (s.finished() + s.resumed()) + "/" + s.cells()
                + " cells done" + (s.resumed() > 0 ? ", " + s.resumed() + " resumed" : "")
                + (s.failed() > 0 ? ", " + s.failed() + " failed" : "") + ") in " + store.path());
        s.failures().forEach(f -> System.out.println("  failed: " + f));
        return s.status() == RunStatus.FINISHED ? 0 : 1;
    }
}
