package org.counterweight.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What an epoch's minibatches hold under natural sampling, read back as the trainers read them
 * ({@link CachingMinibatchLoader}). Row i has features (i, -i, i/10), label i % 3 and row_id
 * 1000 + i; with the identity standardisation a minibatch's first feature column names its rows.
 */
class MinibatchSourceTest {
    private static final int ROWS = 103;
    private static final int BATCH = 10;
    private static SparkSession spark;
    private static Dataset<Row> train;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = org.counterweight.SparkTestSupport.spark();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(RowFactory.create(Vectors.dense(i, -i, i / 10.0), (double) (i % 3), 1000L + i));
        }
        train = spark.createDataFrame(rows, TrainFixtures.SCHEMA).repartition(3);
    }

    private TrainingConfig cfg(long seed, String shuffle, String dir) {
        return new TrainingConfig().seed(seed).batchSize(BATCH).shuffle(shuffle).workDir(tmp.resolve(dir).toUri().toString());
    }

    /** Each epoch's minibatches, each as the list of its rows (by feature 0) in minibatch order. */
    private static List<List<List<Integer>>> epochs(Dataset<Row> rows, TrainingConfig cfg, boolean onDriver, int epochs) {
        List<List<List<Integer>>> out = new ArrayList<>();
        try (MinibatchSource source = MinibatchSource.open(rows, Standardizer.identity(3), 3, cfg, onDriver)) {
            CachingMinibatchLoader loader = new CachingMinibatchLoader(source.staticPrefix(), 1 << 20);
            for (int e = 0; e < epochs; e++) {
                List<List<Integer>> minibatches = new ArrayList<>();
                for (String path : source.files(EpochDraws.NATURAL, e)) {
                    minibatches.add(rowsOf(loader.load(path)));
                }
                out.add(minibatches);
            }
        }
        return out;
    }

    private static List<Integer> rowsOf(DataSet ds) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < ds.numExamples(); i++) {
            int row = (int) ds.getFeatures().getFloat(i, 0);
            assertEquals(row % 3, ds.getLabels().argMax(1).getInt(i), "row " + row + "'s one-hot label");
            assertEquals(-row, ds.getFeatures().getFloat(i, 1), 0f);
            rows.add(row);
        }
        return rows;
    }

    /** The epoch's minibatches as sets: the composition, whatever the order. */
    private static Set<Set<Integer>> compositions(List<List<Integer>> epoch) {
        Set<Set<Integer>> out = new HashSet<>();
        for (List<Integer> minibatch : epoch) {
            out.add(new TreeSet<>(minibatch));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyEpochDealsEveryRowOnceIntoNewMinibatches(boolean onDriver) {
        List<List<List<Integer>>> epochs = epochs(train, cfg(5, "epoch", "deal"), onDriver, 3);
        for (List<List<Integer>> epoch : epochs) {
            assertEquals(11, epoch.size(), "103 rows in minibatches of 10");
            List<Integer> all = new ArrayList<>();
            for (int b = 0; b < epoch.size(); b++) {
                assertEquals(b < 10 ? BATCH : 3, epoch.get(b).size(), "full minibatches, the partial one last");
                all.addAll(epoch.get(b));
            }
            all.sort(null);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                expected.add(i);
            }
            assertEquals(expected, all, "every row exactly once");
        }
        for (int e = 1; e < epochs.size(); e++) {
            Set<Set<Integer>> shared = compositions(epochs.get(e));
            shared.retainAll(compositions(epochs.get(e - 1)));
            assertTrue(shared.isEmpty(), "epoch " + e + " repeats minibatches of the epoch before: " + shared);
        }
    }

    /**
     * A deal is a function of (seed, epoch, the rows): the same whether the executors or the
     * driver wrote the rows and however they are partitioned; another seed deals otherwise.
     */
    @Test
    void dealsDependOnSeedAndEpochOnly() {
        List<List<List<Integer>>> executors = epochs(train, cfg(5, "epoch", "a"), false, 2);
        assertEquals(executors, epochs(train.repartition(7), cfg(5, "epoch", "b"), false, 2));
        assertEquals(executors, epochs(train.coalesce(1), cfg(5, "epoch", "c"), true, 2));
        assertNotEquals(compositions(executors.get(0)), compositions(epochs(train, cfg(6, "epoch", "d"), false, 1).get(0)));
    }

    /** {@code shuffle=once}, the behaviour before per-epoch deals: the same minibatches every epoch, in a new order. */
    @Test
    void shuffleOnceKeepsTheMinibatchesAndChangesTheirOrder() {
        List<List<List<Integer>>> epochs = epochs(train, cfg(5, "once", "once"), false, 2);
        assertEquals(compositions(epochs.get(0)), compositions(epochs.get(1)));
        assertNotEquals(epochs.get(0), epochs.get(1));
        assertEquals(3, epochs.get(1).get(10).size(), "the partial minibatch stays last");
    }

    /**
     * Readers keep the row table once read (the shard files can go), read it row by row when it
     * exceeds their budget (same minibatches), and drop it when the run is forgotten.
     */
    @Test
    void dealtMinibatchesComeFromTheKeptTableOrByPosition() throws java.io.IOException {
        try (MinibatchSource source = MinibatchSource.open(train, Standardizer.identity(3), 3, cfg(9, "epoch", "kept"), false)) {
            List<String> paths = source.files(EpochDraws.NATURAL, 1);
            CachingMinibatchLoader kept = new CachingMinibatchLoader(source.staticPrefix(), 1 << 20);
            CachingMinibatchLoader byPosition = new CachingMinibatchLoader(source.staticPrefix(), 0);
            List<DataSet> first = new ArrayList<>();
            for (String p : paths) {
                first.add(kept.load(p));
                assertEquals(first.get(first.size() - 1), byPosition.load(p), p);
            }
            try (var files = java.nio.file.Files.list(Path.of(java.net.URI.create(source.staticPrefix() + "rows/")))) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                    java.nio.file.Files.delete(f);
                }
            }
            for (int b = 0; b < paths.size(); b++) {
                assertEquals(first.get(b), kept.load(paths.get(b)), "served from memory");
            }
            CachingMinibatchLoader.forget(source.staticPrefix());
            org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> kept.load(paths.get(0)));
        }
    }
}
