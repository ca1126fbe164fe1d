package org.counterweight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.counterweight.SparkTestSupport;
import org.counterweight.results.ResultsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two consecutive nights of {@code submit/schedule/nightly.sh} (the script cron and systemd run)
 * into one warehouse give one trend with two points per method and no duplicated rows. (A night
 * run again resumes its run id and adds nothing: {@code ExperimentRunnerTest}'s resume test, in
 * process, since each night here costs two JVM starts.)
 */
class ScheduledRunsIT {
    private static final Path PROJECT = Path.of(System.getProperty("cw.projectDir", "..")).toAbsolutePath().normalize();

    @TempDir
    Path work;

    private void night(String runId) throws IOException, InterruptedException {
        Path log = work.resolve(runId + ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", PROJECT.resolve("submit/schedule/nightly.sh").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CONFIG", PROJECT.resolve("spark-jobs/src/test/resources/experiment/tiny.conf").toString());
        pb.environment().put("WAREHOUSE", work.resolve("results").toString());
        pb.environment().put("REPORT_DIR", work.resolve("report").toString());
        pb.environment().put("RUN_ID", runId);
        pb.environment().put("MASTER", "local[2]");
        Process p = pb.start();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertTrue(done && p.exitValue() == 0, "nightly.sh " + runId + " failed:\n" + Files.readString(log));
    }

    @Test
    void twoNightsMakeOneTrendWithTwoPointsAndNoDuplicates() throws Exception {
        night("nightly-2026-11-25");
        night("nightly-2026-11-26");

        SparkSession spark = SparkTestSupport.spark();
        ResultsStore store = ResultsStore.open(spark, work.resolve("results").toString());
        store.registerViews();
        assertEquals(2L, spark.sql("SELECT count(*) FROM finished_runs").first().getLong(0));
        Row dup = spark.sql("SELECT count(*), count(DISTINCT run_id, dataset, method, seed, fold, metric, coalesce(class, '')) "
                + "FROM metrics").first();
        assertEquals(dup.getLong(0), dup.getLong(1), "duplicated metric rows");
        List<Row> trend = spark.sql("SELECT method, count(DISTINCT run_id) FROM metrics WHERE metric = 'balanced_accuracy' "
                + "GROUP BY method ORDER BY method").collectAsList();
        assertEquals(2, trend.size());
        for (Row r : trend) {
            assertEquals(2L, r.getLong(1), "trend points of " + r.getString(0));
        }
        assertTrue(Files.exists(work.resolve("report/report.html")), "the report was rebuilt");
    }
}
