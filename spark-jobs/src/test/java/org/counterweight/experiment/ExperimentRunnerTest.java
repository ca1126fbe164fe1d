package org.counterweight.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.counterweight.SparkTestSupport;
import org.counterweight.data.Columns;
import org.counterweight.data.LabeledFrame;
import org.counterweight.evaluate.MetricRow;
import org.counterweight.results.CellKey;
import org.counterweight.results.ResultsStore;
import org.counterweight.results.RunStatus;
import org.counterweight.split.StratifiedSplitter;
import org.counterweight.train.Engine;
import org.counterweight.train.Predictor;
import org.counterweight.train.SparkTrainer;
import org.counterweight.train.Standardizer;
import org.counterweight.train.TrainedModel;
import org.counterweight.train.Trainer;
import org.counterweight.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner end to end on small generated data, with the real Spark trainer. */
class ExperimentRunnerTest {
    private final SparkSession spark = SparkTestSupport.spark();

    @TempDir
    Path dir;

    /** The real trainer, recording what each training call saw and the model it returned. */
    static final class RecordingTrainer implements Trainer {
        final List<Set<Long>> trainIds = new ArrayList<>();
        final List<Long> syntheticRows = new ArrayList<>();
        final List<Set<Long>> validationIds = new ArrayList<>();
        final List<Dataset<Row>> validations = new ArrayList<>();
        /** Features of the original (not synthetic) training rows and of the validation rows, by row id. */
        final List<Map<Long, double[]>> trainFeatures = new ArrayList<>();
        final List<Map<Long, double[]>> validationFeatures = new ArrayList<>();
        final List<TrainingConfig> configs = new ArrayList<>();
        final List<TrainedModel> models = new ArrayList<>();

        @Override
        public TrainedModel train(Dataset<Row> train, Dataset<Row> validation, TrainingConfig cfg) {
            boolean marked = Arrays.asList(train.columns()).contains(Columns.SYNTHETIC);
            Dataset<Row> originals = marked ? train.filter("not " + Columns.SYNTHETIC) : train;
            trainIds.add(ids(originals));
            syntheticRows.add(marked ? train.filter(Columns.SYNTHETIC).count() : 0L);
            validationIds.add(ids(validation));
            validations.add(validation);
            trainFeatures.add(features(originals));
            validationFeatures.add(features(validation));
            configs.add(cfg);
            TrainedModel model = new SparkTrainer().train(train, validation, cfg);
            models.add(model);
            return model;
        }
    }

    static Set<Long> ids(Dataset<Row> frame) {
        return features(frame).keySet();
    }

    static Map<Long, double[]> features(Dataset<Row> frame) {
        Map<Long, double[]> out = new HashMap<>();
        frame.select(Columns.ROW_ID, Columns.FEATURES).collectAsList()
                .forEach(r -> out.put(r.getLong(0), ((Vector) r.get(1)).toArray()));
        return out;
    }

    /** Class index by row id. */
    static Map<Long, Integer> labels(Dataset<Row> frame) {
        Map<Long, Integer> out = new HashMap<>();
        frame.select(Columns.ROW_ID, Columns.LABEL).collectAsList().forEach(r -> out.put(r.getLong(0), (int) r.getDouble(1)));
        return out;
    }

    /** Rows per class index among {@code ids}. */
    static Map<Integer, Long> classCounts(Set<Long> ids, Map<Long, Integer> labels) {
        Map<Integer, Long> out = new TreeMap<>();
        ids.forEach(id -> out.merge(labels.get(id), 1L, Long::sum));
        return out;
    }

    /** Runs {@code cfg} as {@code runId} into a new results store with {@code trainer}; the run must finish. */
    private ResultsStore runFinished(ExperimentConfig cfg, String runId, Trainer trainer) {
        ResultsStore store = ResultsStore.open(spark, dir.resolve("wh").toString());
        ExperimentRunner.Summary s = new ExperimentRunner(spark, store, trainer).run(cfg, runId);
        assertEquals(RunStatus.FINISHED, s.status(), s.failures().toString());
        return store;
    }

    /** A cell's value of an overall metric, or its per-class values (class name to value). */
    private Map<String, Double> metric(ResultsStore store, String runId, CellKey cell, String metric) {
        Map<String, Double> out = new TreeMap<>();
        store.metrics().filter(functions.col("run_id").equalTo(runId).and(functions.col("dataset").equalTo(cell.dataset()))
                        .and(functions.col("method").equalTo(cell.method())).and(functions.col("seed").equalTo(cell.seed()))
                        .and(functions.col("fold").equalTo(cell.fold())).and(functions.col("metric").equalTo(metric)))
                .select("class", "value").collectAsList()
                .forEach(r -> out.put(r.isNullAt(0) ? "" : r.getString(0), r.getDouble(1)));
        return out;
    }

    private ExperimentConfig config(String methods) {
        return config(methods, "");
    }

    private ExperimentConfig config(String methods, String extra) {
        return config(4, methods, extra);
    }

    /**
     * 600 generated rows of two classes, {@code ratio} times as many of class 0 as of class 1; a
     * holdout with 15% validation: at ratio 4 it holds 18 rows of class 1, at ratio 2 30.
     */
    private ExperimentConfig config(int ratio, String methods, String extra) {
        return ExperimentConfig.parse(ConfigFactory.parseString("""
                name = tiny
                datasets = [{name = synth, generate {rows = 600, num-features = 4, classes = 2, imbalance-ratio = %d, separation = 3, seed = 2}}]
                protocol = "holdout(test=0.25, validation=0.15)"
                seeds = [1]
                model = "mlp(hidden=8)"
                optimizer = "adam(lr=0.01)"
                epochs = 2
                batch-size = 32
                methods = %s
                %s
                """.formatted(ratio, methods, extra)), "tiny.conf");
    }

    @Test
    void runsEveryCellWithoutLeakageAndResumes() {
        ExperimentConfig cfg = config("[ce, \"smote+ce\", \"smote(k_neighbors=500)+ce\"]");
        ResultsStore store = ResultsStore.open(spark, dir.resolve("wh").toString());
        RecordingTrainer trainer = new RecordingTrainer();
        ExperimentRunner.Summary s = new ExperimentRunner(spark, store, trainer).run(cfg, "r1");

        // the impossible SMOTE (k above the minority size) fails alone, with its reason
        assertEquals(RunStatus.FAILED, s.status());
        assertEquals(1, s.failures().size(), s.failures().toString());
        assertEquals(List.of(3, 2, 1, 0), List.of(s.cells(), s.finished(), s.failed(), s.resumed()));
        assertTrue(s.failures().get(0).contains("smote(k_neighbors=500)+ce") && s.failures().get(0).toLowerCase().contains("neighbors"),
                s.failures().get(0));
        assertEquals(Set.of(new CellKey("synth", "ce", 1, 0), new CellKey("synth", "smote+ce", 1, 0)), store.finishedCells("r1"));

        // the split the runner used, recomputed independently
        LabeledFrame data = cfg.datasets().get(0).load(spark);
        StratifiedSplitter.Holdout h = new StratifiedSplitter(1).holdout(data, 0.25, 0.15);
        Set<Long> train = ids(h.train().frame());
        Set<Long> validation = ids(h.validation().frame());
        assertEquals(2, trainer.trainIds.size());
        for (int call = 0; call < 2; call++) {
            assertEquals(train, trainer.trainIds.get(call), "training originals are exactly the training part");
            assertEquals(validation, trainer.validationIds.get(call), "validation rows are never resampled");
        }
        assertEquals(0L, trainer.syntheticRows.get(0));
        long[] n = h.train().classCounts();
        assertEquals(n[0] - n[1], trainer.syntheticRows.get(1), "SMOTE brings the minority up to the majority");

        // the test part is evaluated whole: supports are the test counts
        store.registerViews();
        long[] test = h.test().classCounts();
        List<Row> support = spark.sql("SELECT class, value FROM metrics WHERE run_id = 'r1' AND method = 'ce' "
                + "AND metric = 'support' ORDER BY class").collectAsList();
        assertEquals(test[0], (long) support.get(0).getDouble(1));
        assertEquals(test[1], (long) support.get(1).getDouble(1));
        double ba = spark.sql("SELECT value FROM metrics WHERE run_id = 'r1' AND method = 'ce' AND metric = 'balanced_accuracy'")
                .first().getDouble(0);
        assertTrue(ba > 0.75, "well-separated clusters are learnt: balanced accuracy " + ba);
        // the minority class is the natural one (class 1) even after SMOTE equalised the counts
        for (String method : List.of("ce", "smote+ce")) {
            List<Row> f1 = spark.sql("SELECT metric, value FROM metrics WHERE run_id = 'r1' AND method = '" + method
                    + "' AND (metric = 'f1_minority' OR (metric = 'f1' AND class = '1')) ORDER BY metric").collectAsList();
            assertEquals(f1.get(0).getDouble(1), f1.get(1).getDouble(1), 1e-12, method + ": f1_minority is class 1's F1");
        }

        // resuming skips the finished cells and retries only the failed one
        ExperimentRunner.Summary again = new ExperimentRunner(spark, store, trainer).run(cfg, "r1");
        assertEquals(List.of(3, 0, 1, 2), List.of(again.cells(), again.finished(), again.failed(), again.resumed()));
        assertEquals(2, trainer.trainIds.size(), "no finished cell was trained again");
        assertEquals(1, again.failures().size());
        List<Entry> board = leaderboard(store);
        assertEquals(List.of("ce", "smote+ce"), board.stream().map(Entry::method).sorted().toList());
    }

    /**
     * Tuning trains every candidate of the grid on the training part, keeps the one with the best
     * validation balanced accuracy, evaluates that one on the test part and records its value in
     * the cell's params. The choice is checked against the candidates trained here, outside the
     * runner, on the same split (alpha weighs class 1 by alpha and class 0 by 1 − alpha, so the
     * candidates score apart). The validation part holds 30 rows of class 1: enough to select on.
     */
    @Test
    void tuningKeepsTheCandidateWithTheBestValidationScore() {
        ExperimentConfig cfg = config(2, "[focal]", "engine = local\ntune { focal { alpha = [0, 0.5, 1] } }");
        RecordingTrainer trainer = new RecordingTrainer();
        ResultsStore store = runFinished(cfg, "t", trainer);
        List<String> tried = trainer.configs.stream().map(TrainingConfig::loss).toList();
        assertEquals(List.of("focal(gamma=2,alpha=0)", "focal(gamma=2,alpha=0.5)", "focal(gamma=2,alpha=1)"), tried);

        LabeledFrame data = cfg.datasets().get(0).load(spark);
        StratifiedSplitter.Holdout h = new StratifiedSplitter(1).holdout(data, 0.25, 0.15);
        Standardizer scaler = Standardizer.fit(h.train().frame());
        Dataset<Row> train = scaler.transform(h.train().frame());
        Dataset<Row> validation = scaler.transform(h.validation().frame());
        String[] alphas = {"0", "0.5", "1"};
        double[] scores = new double[alphas.length];
        List<TrainedModel> models = new ArrayList<>();
        for (int i = 0; i < alphas.length; i++) {
            TrainingConfig tc = new TrainingConfig().model("mlp(hidden=8)").optimizer("adam(lr=0.01)").epochs(2).batchSize(32)
                    .engine(Engine.LOCAL).loss(tried.get(i)).seed(1).labelIndex(data.labels())
                    .standardizer(Standardizer.identity(data.numFeatures()));
            assertEquals(trainer.configs.get(i).resultAffecting(), tc.resultAffecting(), "trained here as the runner trains");
            TrainedModel m = new SparkTrainer().train(train, validation, tc);
            models.add(m);
            scores[i] = Predictor.balancedAccuracy(m, validation);
        }
        int best = argmax(scores);
        for (int i = 0; i < scores.length; i++) {
            assertTrue(i == best || scores[i] < scores[best], "one best candidate: " + Arrays.toString(scores));
        }

        CellKey cell = new CellKey("synth", "focal", 1, 0);
        Map<String, String> params = params(store, "t", cell);
        assertEquals(alphas[best], params.get("alpha"));
        assertEquals("focal(gamma=2,alpha=" + alphas[best] + ")", params.get("loss"));
        assertEquals(List.of("3", "validation", "alpha"), List.of(params.get("tune.candidates"), params.get("tune.selection"),
                params.get("tune.params")));
        assertEquals(Map.of(), metric(store, "t", cell, "tuned_alpha"), "params replace the tuned_<param> metrics");
        Dataset<Row> test = scaler.transform(h.test().frame());
        assertEquals(Predictor.balancedAccuracy(models.get(best), test), metric(store, "t", cell, "balanced_accuracy").get(""),
                1e-12, "the chosen candidate is the model evaluated on the test part");
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }

    /** A cell's params rows, param to value. */
    private Map<String, String> params(ResultsStore store, String runId, CellKey cell) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        store.params().filter(functions.col("run_id").equalTo(runId).and(functions.col("dataset").equalTo(cell.dataset()))
                        .and(functions.col("method").equalTo(cell.method())).and(functions.col("seed").equalTo(cell.seed()))
                        .and(functions.col("fold").equalTo(cell.fold())))
                .select("param", "value").collectAsList().forEach(r -> out.put(r.getString(0), r.getString(1)));
        return out;
    }

    /**
     * The done-when: with {@code tune { all { lr = [...] }, focal { gamma = [...] },
     * fal { alpha = [1, inverse] } }} every cell records lr (focal its gamma, FAL its alpha, a
     * string) with every other hyper-parameter in the params table, all three methods get the
     * same budget of 4 candidate trainings (ce: the two rates and
     * 0.01·2, 0.01/2), the kept candidate is the best on validation, and the report states the
     * budgets.
     */
    @Test
    void everyCellRecordsItsParamsAndEveryMethodGetsTheSameBudget() throws java.io.IOException {
        ExperimentConfig cfg = config(2, "[ce, focal, fal]", """
                engine = local
                epochs = 1
                tune { all { lr = [0.01, 0.05] }, focal { gamma = [1, 2] }, fal { alpha = [1, inverse] } }
                """);
        RecordingTrainer trainer = new RecordingTrainer();
        ResultsStore store = runFinished(cfg, "b", trainer);
        List<String> trained = new ArrayList<>();
        for (TrainingConfig tc : trainer.configs) {
            trained.add(tc.loss() + " " + tc.optimizer());
        }
        assertEquals(List.of("ce adam(lr=0.01)", "ce adam(lr=0.05)", "ce adam(lr=0.02)", "ce adam(lr=0.005)",
                "focal(gamma=1) adam(lr=0.01)", "focal(gamma=2) adam(lr=0.01)", "focal(gamma=1) adam(lr=0.05)",
                "focal(gamma=2) adam(lr=0.05)", "fal(alpha=1) adam(lr=0.01)", "fal(alpha=inverse) adam(lr=0.01)",
                "fal(alpha=1) adam(lr=0.05)", "fal(alpha=inverse) adam(lr=0.05)"), trained, "4 candidate trainings per method");

        List<String> methods = List.of("ce", "focal", "fal");
        for (int method = 0; method < methods.size(); method++) {
            String name = methods.get(method);
            double[] scores = new double[4];
            for (int i = 0; i < 4; i++) {
                int call = 4 * method + i;
                scores[i] = Predictor.balancedAccuracy(trainer.models.get(call), trainer.validations.get(call));
            }
            TrainingConfig kept = trainer.configs.get(4 * method + argmax(scores));
            Map<String, String> p = params(store, "b", new CellKey("synth", name, 1, 0));
            Map<String, String> expected = new java.util.LinkedHashMap<>(kept.resultAffecting());
            expected.put("stage2", "none");
            expected.put("resampler", "none");
            String lr = kept.optimizer().replaceAll(".*lr=([0-9.]+).*", "$1");
            expected.put("lr", lr);
            expected.put("weight_decay", "0");
            if (name.equals("focal")) {
                expected.put("gamma", kept.loss().replaceAll(".*gamma=([0-9.]+).*", "$1"));
            }
            if (name.equals("fal")) {
                expected.put("alpha", kept.loss().replaceAll(".*alpha=([a-z0-9.]+).*", "$1"));
            }
            expected.put("tune.candidates", "4");
            expected.put("tune.selection", "validation");
            expected.put("tune.params", Map.of("ce", "lr", "focal", "lr,gamma", "fal", "lr,alpha").get(name));
            expected.put("experiment.metric", "balanced_accuracy"); // the config's (default) metric, the report's default
            assertEquals(expected, p, name);
            assertEquals(List.of("mlp(hidden=8)", "1", "32", "local"),
                    List.of(p.get("model"), p.get("epochs"), p.get("batch-size"), p.get("engine")));
        }

        String report = org.counterweight.report.MarkdownRenderer.render(
                new org.counterweight.report.ReportBuilder(spark, store).build());
        for (String method : methods) {
            assertTrue(java.util.regex.Pattern.compile("(?m)^\\| " + method + " \\| 4 \\| validation ×1 \\| ").matcher(report)
                    .find(), report);
        }
    }

    /**
     * With 18 validation rows of class 1 (fewer than 20) the candidates are compared by stratified
     * inner 3-fold cross-validation on the training part: each candidate is trained on two inner
     * folds, standardised on their own statistics and resampled (random over-sampling), and scored
     * on the third, which is never resampled; the best mean wins and is trained once more on the
     * whole training part, with the validation part.
     */
    @Test
    void aSmallValidationPartSelectsByInnerFoldsOnTheTrainingPart() {
        ExperimentConfig cfg = config(4, "[\"random-over+ce\"]", """
                engine = local
                epochs = 1
                tune { all { lr = [0.01, 0.05] } }
                """);
        RecordingTrainer trainer = new RecordingTrainer();
        ResultsStore store = runFinished(cfg, "i", trainer);
        assertEquals(3 * 2 + 1, trainer.configs.size(), "3 folds x 2 candidates, then the kept one");

        LabeledFrame data = cfg.datasets().get(0).load(spark);
        Map<Long, Integer> labels = labels(data.frame());
        StratifiedSplitter.Holdout h = new StratifiedSplitter(1).holdout(data, 0.25, 0.15);
        assertEquals(18, h.validation().classCounts()[1]);
        Set<Long> train = ids(h.train().frame());
        Set<Long> heldOut = new HashSet<>();
        List<Map<Integer, Long>> foldCounts = new ArrayList<>();
        double[] sums = new double[2];
        for (int fold = 0; fold < 3; fold++) {
            for (int c = 0; c < 2; c++) {
                int call = 2 * fold + c;
                Set<Long> inner = trainer.trainIds.get(call);
                Set<Long> held = trainer.validationIds.get(call);
                assertEquals(trainer.validationIds.get(2 * fold), held, "both candidates see the same fold");
                Set<Long> union = new HashSet<>(inner);
                union.addAll(held);
                assertEquals(train, union, "the inner folds split the training part");
                assertEquals(train.size(), inner.size() + held.size());
                Map<Integer, Long> n = classCounts(inner, labels);
                assertEquals(n.get(0) - n.get(1), trainer.syntheticRows.get(call), "the inner training rows are resampled");
                assertEquals("adam(lr=" + (c == 0 ? "0.01" : "0.05") + ")", trainer.configs.get(call).optimizer());
                // standardised on the inner training rows: mean 0 per feature
                for (int f = 0; f < 4; f++) {
                    final int feature = f;
                    double mean = trainer.trainFeatures.get(call).values().stream().mapToDouble(x -> x[feature]).average()
                            .orElseThrow();
                    assertEquals(0, mean, 1e-9, "fold " + fold + " feature " + f);
                }
                sums[c] += Predictor.balancedAccuracy(trainer.models.get(call), trainer.validations.get(call));
            }
            Set<Long> held = trainer.validationIds.get(2 * fold);
            for (Long id : held) {
                assertTrue(heldOut.add(id), "row " + id + " is held out once");
            }
            foldCounts.add(classCounts(held, labels));
        }
        assertEquals(train, heldOut);
        for (int c = 0; c < 2; c++) {
            final int cls = c;
            LongSummaryStatistics perFold = foldCounts.stream().mapToLong(m -> m.get(cls)).summaryStatistics();
            assertTrue(perFold.getMax() - perFold.getMin() <= 1, "class " + c + " split evenly: " + foldCounts);
        }

        String kept = argmax(sums) == 0 ? "0.01" : "0.05";
        assertEquals("adam(lr=" + kept + ")", trainer.configs.get(6).optimizer());
        assertEquals(train, trainer.trainIds.get(6), "the kept candidate is trained on the whole training part");
        assertEquals(ids(h.validation().frame()), trainer.validationIds.get(6));
        Map<String, String> p = params(store, "i", new CellKey("synth", "random-over+ce", 1, 0));
        assertEquals(List.of(kept, "inner-3-fold", "2", "random-over"), List.of(p.get("lr"), p.get("tune.selection"),
                p.get("tune.candidates"), p.get("resampler")));
    }

    /**
     * k-fold: k cells per (dataset, method, seed) whose test parts are disjoint and together are
     * every row, each class split over the folds to within one row; each fold's validation part
     * is round(v · n_k) rows of its training part per class (docs/experiments.md, README).
     */
    @Test
    void kfoldCellsTestEveryRowOnceStratified() {
        ExperimentConfig cfg = config("[ce]", "protocol = \"kfold(k=3, validation=0.2)\"\nengine = local\nepochs = 1");
        RecordingTrainer trainer = new RecordingTrainer();
        ResultsStore store = runFinished(cfg, "k", trainer);
        Set<CellKey> cells = Set.of(new CellKey("synth", "ce", 1, 0), new CellKey("synth", "ce", 1, 1),
                new CellKey("synth", "ce", 1, 2));
        assertEquals(cells, store.finishedCells("k"));

        Map<Long, Integer> labels = labels(cfg.datasets().get(0).load(spark).frame());
        Map<Integer, Long> n = classCounts(labels.keySet(), labels);
        assertEquals(3, trainer.trainIds.size(), "one training per fold (cells run one at a time, in fold order)");
        Set<Long> tested = new HashSet<>();
        List<Map<Integer, Long>> testCounts = new ArrayList<>();
        for (int fold = 0; fold < 3; fold++) {
            Set<Long> train = trainer.trainIds.get(fold);
            Set<Long> validation = trainer.validationIds.get(fold);
            Set<Long> test = new HashSet<>(labels.keySet());
            test.removeAll(train);
            test.removeAll(validation);
            assertEquals(labels.size(), train.size() + validation.size() + test.size(), "training and validation are disjoint");
            for (Long id : test) {
                assertTrue(tested.add(id), "row " + id + " is tested in one fold only");
            }
            Map<Integer, Long> t = classCounts(test, labels);
            testCounts.add(t);
            Map<Integer, Long> v = classCounts(validation, labels);
            for (int c : n.keySet()) {
                assertEquals(Math.round(0.2 * (n.get(c) - t.get(c))), v.get(c), "fold " + fold + " class " + c + " validation");
            }
            // the rows the runner left out of training are the ones it evaluated
            Map<String, Double> support = metric(store, "k", new CellKey("synth", "ce", 1, fold), "support");
            assertEquals(Map.of("0", (double) t.get(0), "1", (double) t.get(1)), support);
        }
        assertEquals(labels.keySet(), tested, "the test parts together are every row");
        for (int c : n.keySet()) {
            long min = Long.MAX_VALUE;
            long max = 0;
            for (Map<Integer, Long> t : testCounts) {
                min = Math.min(min, t.get(c));
                max = Math.max(max, t.get(c));
            }
            assertTrue(max - min <= 1, "class " + c + " is split evenly over the folds: " + testCounts);
        }
    }

    /** Writes {@code rows} rows {@code x1,x2,label} (class 1 every fourth row, shifted by 2) and keeps them in {@code raw}. */
    private Path csv(String name, int rows, long seed, List<double[]> raw) throws java.io.IOException {
        StringBuilder b = new StringBuilder("x1,x2,label\n");
        java.util.Random rnd = new java.util.Random(seed);
        for (int i = 0; i < rows; i++) {
            int c = i % 4 == 0 ? 1 : 0;
            double[] x = {rnd.nextGaussian() + 2 * c, rnd.nextGaussian() - c};
            raw.add(new double[] {x[0], x[1], c});
            b.append(x[0]).append(',').append(x[1]).append(',').append(c).append('\n');
        }
        return Files.writeString(dir.resolve(name), b.toString());
    }

    /**
     * With a fixed test set the test part is that file's rows and the validation part is carved
     * from the data only. Every part is standardised once, with the mean and sample standard
     * deviation of the training part's rows (computed here from the raw files), before
     * resampling: the trainer gets those features for SMOTE's original rows and is told not to
     * standardise again.
     */
    @Test
    void fixedTestSetIsTheFileAndPartsAreStandardisedOnceOnTrainingStatistics() throws java.io.IOException {
        List<double[]> rawData = new ArrayList<>();
        List<double[]> rawTest = new ArrayList<>();
        Path dataFile = csv("data.csv", 400, 11, rawData);
        Path testFile = csv("test.csv", 60, 12, rawTest);
        ExperimentConfig cfg = ExperimentConfig.parse(ConfigFactory.parseString("""
                datasets = [{name = fixed, path = "%s", test-path = "%s"}]
                protocol = "holdout(test=0.25, validation=0.15)"
                model = "mlp(hidden=8)"
                optimizer = "adam(lr=0.01)"
                epochs = 1
                batch-size = 32
                engine = local
                methods = ["smote+ce"]
                """.formatted(dataFile, testFile)), "fixed.conf");
        RecordingTrainer trainer = new RecordingTrainer();
        ResultsStore store = runFinished(cfg, "f", trainer);

        // validation: round(0.15 n_k) rows per class of the data file; training: the rest of it
        Set<Long> train = trainer.trainIds.get(0);
        Set<Long> validation = trainer.validationIds.get(0);
        Map<Long, Integer> dataLabels = new HashMap<>();
        for (int i = 0; i < rawData.size(); i++) {
            dataLabels.put((long) i, (int) rawData.get(i)[2]);
        }
        Set<Long> both = new HashSet<>(train);
        both.addAll(validation);
        assertEquals(dataLabels.keySet(), both);
        assertEquals(rawData.size(), train.size() + validation.size());
        assertEquals(Map.of(0, 45L, 1, 15L), classCounts(validation, dataLabels), "round(0.15 x 300), round(0.15 x 100)");
        assertTrue(trainer.syntheticRows.get(0) > 0, "SMOTE added rows");

        // the training part's statistics, from the raw rows
        double[] mean = new double[2];
        double[] std = new double[2];
        for (int f = 0; f < 2; f++) {
            double sum = 0;
            for (long id : train) {
                sum += rawData.get((int) id)[f];
            }
            mean[f] = sum / train.size();
            double squares = 0;
            for (long id : train) {
                squares += Math.pow(rawData.get((int) id)[f] - mean[f], 2);
            }
            std[f] = Math.sqrt(squares / (train.size() - 1));
        }
        for (Map<Long, double[]> seen : List.of(trainer.trainFeatures.get(0), trainer.validationFeatures.get(0))) {
            seen.forEach((id, x) -> {
                for (int f = 0; f < 2; f++) {
                    assertEquals((rawData.get(id.intValue())[f] - mean[f]) / std[f], x[f], 1e-9, "row " + id + " feature " + f);
                }
            });
        }
        Standardizer given = trainer.configs.get(0).standardizer();
        assertEquals(List.of(0.0, 0.0, 1.0, 1.0), List.of(given.mean()[0], given.mean()[1], given.std()[0], given.std()[1]),
                "the trainer does not refit on the resampled rows");

        // the test part: the test file's rows, standardised with the training statistics
        Map<String, Double> support = metric(store, "f", new CellKey("fixed", "smote+ce", 1, 0), "support");
        assertEquals(Map.of("0", 45.0, "1", 15.0), support);
        List<Row> testRows = new ArrayList<>();
        for (int i = 0; i < rawTest.size(); i++) {
            double[] r = rawTest.get(i);
            testRows.add(RowFactory.create((long) i, r[2], Vectors.dense((r[0] - mean[0]) / std[0], (r[1] - mean[1]) / std[1])));
        }
        Dataset<Row> test = spark.createDataFrame(testRows, new StructType().add(Columns.ROW_ID, "long")
                .add(Columns.LABEL, "double").add(Columns.FEATURES, SQLDataTypes.VectorType()));
        assertEquals(Predictor.balancedAccuracy(trainer.models.get(0), test),
                metric(store, "f", new CellKey("fixed", "smote+ce", 1, 0), "balanced_accuracy").get(""), 1e-12);
    }

    /**
     * Cells running at the same time (local engine, shared work directory) write the same results
     * as cells run one after another, each cell once, and leave no minibatch files behind.
     */
    @Test
    void parallelCellsGiveTheSameResultsAsOneAtATime() throws java.io.IOException {
        String methods = "[focal, \"random-over+ce\"]";
        ExperimentConfig sequential = config(methods, "seeds = [1]\nengine = local\nparallel-cells = 1");
        ExperimentConfig parallel = config(methods, "seeds = [1]\nengine = local\nparallel-cells = 2");
        assertEquals(sequential.hash(), parallel.hash(), "parallelism does not change what is computed");
        Path work = dir.resolve("work");
        List<String> rows = new ArrayList<>();
        for (ExperimentConfig cfg : List.of(sequential, parallel)) {
            ResultsStore store = ResultsStore.open(spark, dir.resolve("wh-" + cfg.parallelCells()).toString());
            ExperimentRunner.Summary s = new ExperimentRunner(spark, store).workDir(work.toString()).run(cfg, "r");
            assertEquals(RunStatus.FINISHED, s.status(), s.failures().toString());
            store.registerViews();
            List<String> metrics = spark.sql("SELECT dataset, method, seed, metric, class, value FROM metrics "
                    + "ORDER BY dataset, method, seed, metric, class").collectAsList().stream().map(Row::toString).toList();
            assertEquals(2 * 2, spark.sql("SELECT * FROM metrics WHERE metric = 'support'").count(),
                    "2 cells (run at once when parallel) x 2 classes: every cell written once");
            rows.add(String.join("\n", metrics));
            try (java.util.stream.Stream<Path> left = Files.list(work)) {
                assertEquals(List.of(), left.toList(), "cell work directories are removed");
            }
        }
        assertEquals(rows.get(0), rows.get(1));
    }

    /** One cell, one epoch, fitted in the driver: the cheapest run that commits something. */
    private ExperimentConfig oneCell(String seeds) {
        return config("[ce]", "seeds = " + seeds + "\nengine = local\nepochs = 1");
    }

    /** Metric rows of a run (the cells table read whole, as reports do). */
    private static long metricRows(ResultsStore store, String runId) {
        return store.metrics().filter("run_id = '" + runId + "'").count();
    }

    /**
     * The same run id with the same config resumes; with another config it is refused, naming both
     * hashes and --replace, and its results are kept; with replacing asked for, it starts afresh.
     */
    @Test
    void changedConfigIsRefusedUnlessReplacing() {
        ResultsStore store = ResultsStore.open(spark, dir.resolve("wh").toString());
        ExperimentConfig first = oneCell("[1]");
        assertEquals(RunStatus.FINISHED, new ExperimentRunner(spark, store).run(first, "r").status());
        long rows = metricRows(store, "r");
        assertTrue(rows > 0);

        ExperimentRunner.Summary resumed = new ExperimentRunner(spark, store).run(first, "r");
        assertEquals(List.of(1, 0, 0, 1), List.of(resumed.cells(), resumed.finished(), resumed.failed(), resumed.resumed()));
        assertEquals(RunStatus.FINISHED, resumed.status());

        ExperimentConfig changed = oneCell("[2]");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new ExperimentRunner(spark, store).run(changed, "r"));
        assertEquals("run r exists with config hash " + first.hash() + ", but this config's hash is " + changed.hash()
                + "; use another --run-id, or --replace to delete run r's results and run it afresh", refused.getMessage());
        assertEquals(rows, metricRows(store, "r"), "the refused run deleted nothing");
        assertEquals(Set.of(new CellKey("synth", "ce", 1, 0)), store.finishedCells("r"));
        assertEquals(first.hash(), store.run("r").configHash());
        assertEquals(RunStatus.FINISHED, store.run("r").status(), "the refused run is still finished");

        ExperimentRunner.Summary replaced = new ExperimentRunner(spark, store).replace(true).run(changed, "r");
        assertEquals(List.of(1, 1, 0, 0), List.of(replaced.cells(), replaced.finished(), replaced.failed(), replaced.resumed()));
        assertEquals(Set.of(new CellKey("synth", "ce", 2, 0)), store.finishedCells("r"), "seed 1's cell is gone");
        assertEquals(rows, metricRows(store, "r"));
        assertEquals(changed.hash(), store.run("r").configHash());
    }

    /**
     * A runs table that cannot be read is an error, not "no such run": the runner fails before
     * touching the run's cells, whatever the damage (it used to take a row it could not decode for
     * no run, and delete the cells).
     */
    @Test
    void unreadableRunsTableFailsTheRunAndDeletesNothing() throws java.io.IOException {
        Path badRow = dir.resolve("bad-row");
        spark.createDataFrame(List.of(RowFactory.create("tiny", new Timestamp(0), null, "h", "v", "local", "paused")),
                        new StructType().add("experiment", "string").add("started", "timestamp").add("finished", "timestamp")
                                .add("config_hash", "string").add("code_version", "string").add("spark_master", "string")
                                .add("status", "string"))
                .coalesce(1).write().parquet(badRow.toString());
        Path unknownStatus;
        try (java.util.stream.Stream<Path> files = Files.list(badRow)) {
            unknownStatus = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Path notParquet = Files.writeString(dir.resolve("not-parquet"), "not parquet");
        ExperimentConfig cfg = oneCell("[1]");
        CellKey cell = new CellKey("synth", "ce", 1, 0);
        for (Path damage : List.of(notParquet, unknownStatus)) {
            Path wh = dir.resolve("wh-" + damage.getFileName());
            ResultsStore store = ResultsStore.open(spark, wh.toString());
            store.beginRun("r", cfg.name(), cfg.hash());
            store.writeCell("r", cell, List.of(new MetricRow("accuracy", null, 0.5)), List.of(), List.of(), Map.of());
            store.finishRun("r", RunStatus.FINISHED);
            // The table's data files, not its Delta log (a damaged log fails opening the store).
            try (java.util.stream.Stream<Path> files = Files.walk(wh.resolve("runs"))) {
                for (Path f : files.filter(f -> Files.isRegularFile(f) && !f.toString().contains("_delta_log")).toList()) {
                    if (f.getFileName().toString().endsWith(".crc")) {
                        Files.delete(f); // so that Parquet itself meets the damage, not the checksum
                    } else {
                        Files.copy(damage, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }

            ResultsStore reopened = ResultsStore.open(spark, wh.toString());
            for (ExperimentConfig again : List.of(cfg, oneCell("[2]"))) {
                Exception e = assertThrows(Exception.class, () -> new ExperimentRunner(spark, reopened).run(again, "r"));
                assertFalse(e instanceof IllegalArgumentException, "a read error, not a refusal: " + e);
                assertEquals(Set.of(cell), reopened.finishedCells("r"), damage + ": no cell was deleted");
            }
        }
    }

    /** {@code bbn} runs as an experiment method with the config's model: the cell finishes and learns the clusters. */
    @Test
    void bbnRunsAsAMethod() {
        ExperimentConfig cfg = config("[bbn]", "engine = local\nepochs = 4");
        ResultsStore store = ResultsStore.open(spark, dir.resolve("wh").toString());
        RecordingTrainer trainer = new RecordingTrainer();
        ExperimentRunner.Summary s = new ExperimentRunner(spark, store, trainer).run(cfg, "b");
        assertEquals(RunStatus.FINISHED, s.status(), s.failures().toString());
        assertEquals("bbn", trainer.configs.get(0).loss());
        assertEquals("mlp(hidden=8)", trainer.configs.get(0).model());
        store.registerViews();
        double ba = spark.sql("SELECT value FROM metrics WHERE run_id = 'b' AND method = 'bbn' AND metric = 'balanced_accuracy'")
                .first().getDouble(0);
        assertTrue(ba > 0.75, "well-separated clusters are learnt: balanced accuracy " + ba);
    }

    /** Every cell of a dataset that cannot be read counts as failed, and resumed cells are counted apart. */
    @Test
    void summaryCountsCellsNotFailureMessages() {
        ExperimentConfig cfg = ExperimentConfig.parse(ConfigFactory.parseString("""
                name = half-missing
                datasets = [
                  {name = synth, generate {rows = 600, num-features = 4, classes = 2, imbalance-ratio = 4, separation = 3, seed = 2}},
                  {name = gone, path = "%s"}
                ]
                protocol = "holdout(test=0.25, validation=0.15)"
                seeds = [1]
                model = "mlp(hidden=8)"
                optimizer = "adam(lr=0.01)"
                epochs = 1
                batch-size = 32
                engine = local
                methods = [ce, focal]
                """.formatted(dir.resolve("missing.csv"))), "half-missing.conf");
        ResultsStore store = ResultsStore.open(spark, dir.resolve("wh").toString());
        ExperimentRunner.Summary s = new ExperimentRunner(spark, store).run(cfg, "h");
        assertEquals(RunStatus.FAILED, s.status());
        assertEquals(List.of(4, 2, 2, 0), List.of(s.cells(), s.finished(), s.failed(), s.resumed()));
        assertEquals(1, s.failures().size(), "one message for the dataset's cells: " + s.failures());
        assertTrue(s.failures().get(0).startsWith("gone (2 cell(s)): input not found"), s.failures().get(0));

        // the readable dataset's cells are resumed without reading it; the missing one fails again
        ExperimentRunner.Summary again = new ExperimentRunner(spark, store).run(cfg, "h");
        assertEquals(List.of(4, 0, 2, 2), List.of(again.cells(), again.finished(), again.failed(), again.resumed()));
    }

    private List<Entry> leaderboard(ResultsStore store) {
        List<Entry> out = new ArrayList<>();
        Leaderboard.of(spark, store, "r1", "balanced_accuracy").forEach(e -> out.add(new Entry(e.method(), e.summary().orElseThrow().n())));
        out.forEach(e -> assertEquals(1, e.n()));
        return out;
    }

    private record Entry(String method, int n) {
    }
}
