package org.counterweight.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.counterweight.train.TrainingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentConfigTest {
    @TempDir
    Path dir;

    private ExperimentConfig load(String text) throws IOException {
        Path f = dir.resolve("x.conf");
        Files.writeString(f, text);
        return ExperimentConfig.load(f.toFile(), "/data");
    }

    private String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> load(text)).getMessage();
    }

    @Test
    void shippedConfigsParse() {
        File conf = new File(System.getProperty("cw.projectDir", ".."), "conf");
        ExperimentConfig q = ExperimentConfig.load(new File(conf, "quickstart.conf"), null);
        assertEquals(List.of("ce", "smote+ce", "nearmiss1+ce", "focal", "fal", "faml", "ldam-drw", "balanced-softmax"), q.methodNames());
        assertEquals(24, q.cellCount());
        ExperimentConfig f = ExperimentConfig.load(new File(conf, "fal-paper.conf"), "/d");
        assertEquals(16 * 12 * 10, f.cellCount()); // the twelve methods
        Map<String, List<TuneValue>> grid = Map.of("gamma", List.of(new TuneValue("1"), new TuneValue("2")),
                "margin", List.of(new TuneValue("0.5"), new TuneValue("1"))); // HOCON reads 1.0 as 1
        Map<String, List<TuneValue>> rates = Map.of("lr", List.of(new TuneValue("0.01"), new TuneValue("0.05")));
        assertEquals(Map.of("all", rates, "fal", grid, "faml", grid), f.tune());
        // every method the same budget: FAL's 2 x 2 x 2; the others 8 rates around adagrad's 0.05
        assertEquals(8, f.budget());
        for (String m : f.methodNames()) {
            assertEquals(8, f.candidates(m).size(), m);
        }
        assertEquals(List.of("0.01", "0.05", "0.1", "0.025", "0.2", "0.0125", "0.4", "0.00625"),
                f.candidates("ce").stream().map(v -> v.get("lr").text()).toList());
        // one seed: --seeds N, 192 cells (16 datasets x 12 methods)
        ExperimentConfig oneSeed = ExperimentConfig.load(new File(conf, "fal-paper.conf"), "/d", List.of(3L));
        assertEquals(List.of(3L), oneSeed.seeds());
        assertEquals(192, oneSeed.cellCount());
        assertNotEquals(f.hash(), oneSeed.hash(), "--seeds is part of the config hash");
        ExperimentConfig full = ExperimentConfig.load(new File(conf, "fal-paper-full-grid.conf"), "/d", List.of(1L));
        List<TuneValue> three = List.of(new TuneValue("0.5"), new TuneValue("1"), new TuneValue("2"));
        assertEquals(Map.of("gamma", three, "margin", three), full.tune().get("faml"));
        assertEquals(18, full.candidates("ce").size());
        assertEquals(rates, full.tune().get("all"), "the learning rates of fal-paper.conf");
        assertEquals(oneSeed.cellCount(), full.cellCount());
        assertEquals(16 * 12 * 3 * 10, ExperimentConfig.load(new File(conf, "fal-paper-kfold.conf"), "/d").cellCount());
        assertEquals(12 * 10, ExperimentConfig.load(new File(conf, "fal-paper-satimage-kfold.conf"), null).cellCount());
        ExperimentConfig diag = ExperimentConfig.load(new File(conf, "fmnist-fal-diagnostic.conf"), "/d");
        assertEquals(List.of("ce", "fal", "fal(pull=row-mean)", "fal(alpha=1)", "fal(alpha=1,pull=row-mean)", "fal(beta=0)"),
                diag.methodNames());
        assertNull(diag.datasets().get(0).testPath(), "the diagnostic never reads the official test set");
        assertEquals(3, diag.setting(TrainingSettings.EPOCHS));
        assertTrue(diag.tune().isEmpty(), "the diagnostic runs FAL's parts as given, not tuned");
        ExperimentConfig lt = ExperimentConfig.load(new File(conf, "fashion-mnist-lt.conf"), "/d");
        assertEquals(100.0, lt.datasets().get(0).longTail());
        assertEquals("/d/fashion-mnist/t10k-images-idx3-ubyte.gz", lt.datasets().get(0).testPath());
        assertEquals(Map.of("all", Map.of("lr", List.of(new TuneValue("0.001"), new TuneValue("0.002"))),
                "fal", Map.of("beta", List.of(new TuneValue("0"), new TuneValue("0.1"))),
                "faml", Map.of("beta", List.of(new TuneValue("0"), new TuneValue("0.1")))), lt.tune());
        assertEquals(4, lt.budget());
        assertEquals(13, lt.methodNames().size());
        assertEquals(1, diag.budget());
        String noDir = assertThrows(IllegalArgumentException.class,
                () -> ExperimentConfig.load(new File(conf, "fal-paper.conf"), null)).getMessage();
        assertTrue(noDir.endsWith("(give --data-dir)"), noDir);
    }

    @Test
    void readsEveryFormOfDatasetMethodAndProtocol() throws IOException {
        ExperimentConfig c = load("""
                name = t
                datasets = [satimage, "${data-dir}/uci/glass.csv.gz",
                            {name = synth, generate {rows = 500, num-features = 3, classes = 3, imbalance-ratio = 5}}]
                protocol = "kfold(k=5, validation=0.2)"
                seeds = [1, 2]
                methods = [ce, "smote(k_neighbors=3)+focal(gamma=1)", "nearmiss2+ce", crt, my]
                method-defs { my { loss = "cb(beta=0.99)", sampler = sqrt } }
                engine = local
                """);
        assertEquals("local", c.setting(TrainingSettings.ENGINE));
        assertEquals(List.of("satimage", "glass", "synth"), c.datasets().stream().map(DatasetRef::name).toList());
        assertEquals("/data/uci/glass.csv.gz", c.datasets().get(1).path());
        assertEquals(5, c.protocol().folds());
        assertEquals(3 * 5 * 2 * 5, c.cellCount());
        Method composed = c.methods().get(1);
        assertEquals("smote(k_neighbors=3)", composed.resampler());
        assertEquals("focal(gamma=1)", composed.loss());
        assertEquals("nearmiss(version=2)", c.methods().get(2).resampler());
        assertEquals("crt", c.methods().get(3).stage2());
        assertEquals("sqrt", c.methods().get(4).sampler());
        assertEquals("cb(beta=0.99)", c.methods().get(4).loss());
    }

    @Test
    void unknownKeysAreNamedWithFileAndLine() {
        String e = error("datasets = [satimage]\nmethods = [ce]\nepoch = 3\n");
        assertTrue(e.matches(".*x\\.conf:3: epoch: unknown key \\(allowed: .*epochs.*\\)"), e);
        String d = error("datasets = [{name = a, paht = b}]\nmethods = [ce]\n");
        assertTrue(d.contains("datasets[0].paht: unknown key (allowed: categorical, generate, impute, label-col, long-tail, max-levels, missing-indicator, missing-values, name, path, test-path)"), d);
    }

    @Test
    void invalidValuesFailBeforeAnythingRuns() {
        assertTrue(error("datasets = [satimage]\nmethods = [ce, \"smote++ce\"]\n").contains(": methods: "));
        assertTrue(error("datasets = [satimage]\nmethods = [telepathy]\n").contains("unknown method 'telepathy'"));
        assertTrue(error("datasets = [satimage]\nmethods = [\"tomek+ce\"]\n").contains("unknown resampler 'tomek'"));
        assertTrue(error("datasets = [satimage]\nmethods = [ce]\nprotocol = \"holdout(test=2)\"\n").contains("protocol"));
        assertTrue(error("datasets = [satimage]\nmethods = [ce]\nepochs = 0\n").contains("epochs: must be >= 1"));
        assertTrue(error("datasets = [satimage]\nmethods = [ce, ce]\n").contains("listed twice"));
        assertTrue(error("datasets = [satimage]\nmethods = [ce]\nengine = gpu\n").contains("engine: 'gpu' is not one of spark|local"));
        assertTrue(error("datasets = [{name = a, path = x.csv, long-tail = 0.5}]\nmethods = [ce]\n").contains("must be >= 1"));
        assertTrue(error("datasets = [{name = a, path = x.csv, test-path = t.csv}]\nmethods = [ce]\nprotocol = \"kfold(k=3)\"\n")
                .contains("use a holdout protocol"));
        assertTrue(error("datasets = []\nmethods = [ce]\n").contains("datasets: is empty"));
        assertTrue(error("datasets = [satimage]\nmethods = [ce]\ntune { fal { gamma = [1, 2] } }\n")
                .contains("not one of this experiment's methods"));
        assertTrue(error("datasets = [satimage]\nmethods = [fal]\nprotocol = \"holdout(test=0.2, validation=0)\"\n"
                + "tune { fal { gamma = [1, 2] } }\n").contains("needs a validation part"));
        assertErrorMatches("datasets = [satimage]\nmethods = [fal]\ntune { fal { gamma = [1, high] } }\n",
                "x\\.conf:3: tune.fal: tuning fal tries loss fal\\(gamma=high\\): .*gamma.*");
        assertErrorMatches("datasets = [satimage]\nmethods = [fal]\ntune { fal { gamma = [\"1,margin=2\"] } }\n",
                "x\\.conf:3: tune.fal.gamma: '1,margin=2' is not one spec value .*");
        assertErrorMatches("datasets = [satimage]\nmethods = [fal]\ntune { fal { gamma = 2 } }\n",
                "x\\.conf:3: tune.fal.gamma: expected a list of values.*");
        assertErrorMatches("datasets = [satimage]\nmethods = [fal]\ntune { fal { gamma = [[1, 2]] } }\n",
                "x\\.conf:3: tune.fal.gamma: expected numbers or words, got \\[1,2\\].*");
        assertErrorMatches("datasets = [satimage]\nmethods = [fal]\ntune { fal = [1] }\n",
                "x\\.conf:3: tune.fal: expected an object.*");
    }

    @Test
    void misspeltSpecsStopTheConfigWithFileLineAndKey() {
        String base = "datasets = [satimage]\n";
        assertErrorMatches(base + "methods = [ce, \"focal(gama=2)\"]\n", "x\\.conf:2: methods: method 'focal\\(gama=2\\)': .*gama.*");
        assertErrorMatches(base + "methods = [ce]\noptimizer = \"adam(lrate=0.01)\"\n", "x\\.conf:3: optimizer: .*lrate.*");
        assertErrorMatches(base + "methods = [ce]\nmodel = \"mlp(hiden=4)\"\n", "x\\.conf:3: model: .*hiden.*");
        assertErrorMatches(base + "methods = [my]\nmethod-defs { my { loss = ce, optimizer = \"sgd(lr=0.1,momentun=0.9)\" } }\n",
                "x\\.conf:3: method-defs.\"my\": method 'my': .*momentun.*");
        assertErrorMatches(base + "methods = [\"smote(k_neighbours=3)+ce\"]\n", "x\\.conf:2: methods: .*k_neighbours.*");
        assertErrorMatches(base + "methods = [fal]\ntune { fal { gama = [1, 2] } }\n",
                "x\\.conf:3: tune.fal.gama: tuning fal tries loss fal\\(gama=1\\): .*gama.*");
        assertErrorMatches(base + "methods = [\"focal(gamma=-1)\"]\n", "x\\.conf:2: methods: .*gamma.*");
    }

    /** BBN is a named method for either model; its combinations are checked when the config loads. */
    @Test
    void bbnIsAMethodAndItsCombinationsAreCheckedAtLoad() throws IOException {
        ExperimentConfig c = load("datasets = [satimage]\nmethods = [bbn, \"smote+bbn\"]\nmodel = \"cnn-small(height=6,width=6)\"\n");
        assertEquals("bbn", c.methods().get(0).loss());
        assertEquals("none", c.methods().get(0).sampler());
        assertEquals("smote", c.methods().get(1).resampler());
        assertEquals("bbn", c.methods().get(1).loss());
        String base = "datasets = [satimage]\n";
        assertErrorMatches(base + "methods = [b]\nmethod-defs { b { loss = bbn, sampler = sqrt } }\n",
                "x\\.conf:3: method-defs.\"b\": method 'b': bbn pairs natural sampling with its own reversed sampler: "
                        + "sampler must be none, got sqrt");
        assertErrorMatches(base + "methods = [b]\nmethod-defs { b { loss = bbn, stage2 = tau-norm } }\n",
                "x\\.conf:3: method-defs.\"b\": method 'b': bbn is a one-stage method: it cannot be followed by stage2 tau-norm");
        assertErrorMatches(base + "methods = [bbn]\ntune { bbn { alpha = [1, 2] } }\n",
                "x\\.conf:3: tune.bbn.alpha: tuning bbn tries loss bbn\\(alpha=1\\): loss: bbn: unknown parameter 'alpha' \\(allowed: none\\)");
    }

    /** The config's error, after its directory, matches {@code regex}. */
    private void assertErrorMatches(String config, String regex) {
        String e = error(config);
        assertTrue(e.matches(".*" + regex), e);
    }

    @Test
    void defaultsAreTheTrainCommandsAndPartOfTheHash() throws IOException {
        ExperimentConfig c = load("datasets = [satimage]\nmethods = [ce]\n");
        for (var s : ExperimentSettings.ALL) {
            assertEquals(s.defaultValue(), c.setting(s), s.key());
        }
        assertEquals(new org.counterweight.train.TrainingConfig().averagingFrequency(),
                (int) c.setting(TrainingSettings.AVERAGING_FREQUENCY));
        assertEquals(new org.counterweight.train.TrainingConfig().epochs(), (int) c.setting(TrainingSettings.EPOCHS));
        // Writing a default out does not change what runs, so it does not change the hash.
        assertEquals(c.hash(), load("datasets = [satimage]\nmethods = [ce]\nepochs = "
                + TrainingSettings.EPOCHS.defaultValue() + "\n").hash());
    }

    @Test
    void hashFollowsContentNotTheDataDir() throws IOException {
        String text = "datasets = [\"${data-dir}/a.csv\"]\nmethods = [ce]\n";
        Path f = dir.resolve("h.conf");
        Files.writeString(f, text);
        ExperimentConfig a = ExperimentConfig.load(f.toFile(), "/one");
        assertEquals(a.hash(), ExperimentConfig.load(f.toFile(), "/one").hash());
        assertEquals(a.hash(), ExperimentConfig.load(f.toFile(), "/elsewhere/two").hash(), "data moved: same config");
        Files.writeString(f, text + "epochs = 3\n");
        assertNotEquals(a.hash(), ExperimentConfig.load(f.toFile(), "/one").hash());
        // HOCON's own substitution, unquoted (conf/fal-paper.conf's form), resolves into the paths.
        Files.writeString(f, "datasets = [${data-dir}\"/a.csv\"]\nmethods = [ce]\n");
        ExperimentConfig unquoted = ExperimentConfig.load(f.toFile(), "/one");
        assertEquals("/one/a.csv", unquoted.datasets().get(0).path());
        assertEquals(unquoted.hash(), ExperimentConfig.load(f.toFile(), "/elsewhere/two").hash(), "data moved: same config");
        Files.writeString(f, "datasets = [${data-dir}\"/b.csv\"]\nmethods = [ce]\n");
        assertNotEquals(unquoted.hash(), ExperimentConfig.load(f.toFile(), "/one").hash(), "another dataset: another config");
    }

    @Test
    void seedsFromTheCommandLineReplaceTheConfigsAndChangeTheHash() throws IOException {
        Path f = dir.resolve("s.conf");
        Files.writeString(f, "datasets = [satimage]\nmethods = [ce, focal]\nseeds = [1, 2]\n");
        ExperimentConfig own = ExperimentConfig.load(f.toFile(), null);
        ExperimentConfig more = ExperimentConfig.load(f.toFile(), null, ExperimentConfig.parseSeeds("6-8,11"));
        assertEquals(List.of(6L, 7L, 8L, 11L), more.seeds());
        assertEquals(1 * 2 * 4, more.cellCount());
        assertNotEquals(own.hash(), more.hash());
        assertEquals(own.hash(), ExperimentConfig.load(f.toFile(), null, List.of(1L, 2L)).hash());
        for (String bad : new String[] {"", "6-", "10-6", "a", "1,,2", "1-2-3", "3,2-4"}) {
            String msg = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.parseSeeds(bad)).getMessage();
            assertTrue(msg.startsWith("seeds '" + bad + "'"), msg);
        }
    }

    @Test
    void tuningGridExpandsToEveryCombinationAndPassesValuesAsWritten() {
        TuneValue one = TuneValue.parse("1");
        TuneValue two = TuneValue.parse("2.0");
        TuneValue half = TuneValue.parse("5e-1");
        TuneValue inverse = TuneValue.parse("inverse");
        Map<String, List<TuneValue>> grid = new java.util.LinkedHashMap<>();
        grid.put("gamma", List.of(one, two));
        grid.put("alpha", List.of(one, inverse));
        assertEquals(List.of(Map.of("gamma", one, "alpha", one), Map.of("gamma", one, "alpha", inverse),
                Map.of("gamma", two, "alpha", one), Map.of("gamma", two, "alpha", inverse)), TuneGrid.combinations(grid));
        assertEquals(4, TuneGrid.size(grid));
        // the text goes into the spec as written, words and lists alike (FAL's alpha = [1, inverse])
        Method fal = Method.ofLoss("fal", "fal(margin=0.5)");
        assertEquals(List.of("fal(margin=0.5,gamma=1,alpha=1)", "fal(margin=0.5,gamma=1,alpha=inverse)",
                        "fal(margin=0.5,gamma=2.0,alpha=1)", "fal(margin=0.5,gamma=2.0,alpha=inverse)"),
                TuneGrid.combinations(grid).stream().map(c -> TuneGrid.apply(fal, "adam", c).loss()).toList());
        assertEquals("fal(gamma=5e-1)", TuneGrid.withParams("fal(gamma=1)", Map.of("gamma", half)));
        assertEquals("focal(alpha=0.2,0.8)", TuneGrid.withParams("focal", Map.of("alpha", TuneValue.parse("0.2,0.8"))));
        assertEquals("cb(base=focal(gamma=1))", TuneGrid.withParams("cb", Map.of("base", TuneValue.parse("focal(gamma=1)"))));
        assertEquals(List.of(Map.of()), TuneGrid.combinations(Map.of()), "no grid: one candidate, as configured");
    }

    /**
     * A key is routed to the spec that has it: lr, weight_decay and momentum to the optimizer (the
     * method's, else the experiment's), a resampler parameter to the resampler, anything else to the loss.
     */
    @Test
    void gridKeysSetTheOptimizerResamplerOrLoss() {
        Method smote = MethodCatalog.resolve("smote+focal");
        Method tuned = TuneGrid.apply(smote, "adagrad(lr=0.05)", Map.of("lr", TuneValue.parse("0.01"),
                "k_neighbors", TuneValue.parse("3"), "gamma", TuneValue.parse("1"), "weight_decay", TuneValue.parse("1e-4")));
        assertEquals("adagrad(lr=0.01,weight_decay=1e-4)", tuned.optimizer());
        assertEquals("smote(k_neighbors=3)", tuned.resampler());
        assertEquals("focal(gamma=1)", tuned.loss());
        Method own = new Method("own", null, "ce", null, null, null, "sgd(lr=0.1,momentum=0.9)");
        assertEquals("sgd(lr=0.2,momentum=0.9)", TuneGrid.apply(own, "adam", Map.of("lr", TuneValue.parse("0.2"))).optimizer());
        assertEquals(null, TuneGrid.apply(Method.ofLoss("ce", "ce"), "adam", Map.of()).optimizer(),
                "untuned: the experiment's optimizer, as before");
    }

    /**
     * tune.all applies to every method, a method's own key overrides all's, and every method gets
     * the largest grid's number of candidates: ce's two learning rates are padded with 0.01·2 and
     * 0.01/2 around the configured 0.01, fal's grid (its own lr replacing all's) with the next
     * rates not tried yet, each on the next of its combinations.
     */
    @Test
    void everyMethodGetsTheSameBudget() throws IOException {
        ExperimentConfig c = load("""
                datasets = [satimage]
                methods = [ce, focal, fal, "smote+ce"]
                optimizer = "adam(lr=0.01)"
                tune {
                  all { lr = [0.01, 0.05] }
                  focal { gamma = [1, 2] }
                  fal { lr = [0.02], gamma = [1, 2] }
                  "smote+ce" { k_neighbors = [3, 5] }
                }
                """);
        assertEquals(4, c.budget());
        assertEquals(List.of("lr=0.01", "lr=0.05", "lr=0.02", "lr=0.005"), texts(c, "ce"));
        assertEquals(List.of("lr=0.01 gamma=1", "lr=0.01 gamma=2", "lr=0.05 gamma=1", "lr=0.05 gamma=2"), texts(c, "focal"));
        assertEquals(List.of("lr=0.02 gamma=1", "lr=0.02 gamma=2", "lr=0.005 gamma=1", "lr=0.04 gamma=2"), texts(c, "fal"),
                "0.02 is fal's own and 0.01·2, so padding goes on with 0.01/2, 0.01·4");
        assertEquals(List.of("lr=0.01 k_neighbors=3", "lr=0.01 k_neighbors=5", "lr=0.05 k_neighbors=3", "lr=0.05 k_neighbors=5"),
                texts(c, "smote+ce"));
        Method focal = c.tuned(c.methods().get(1), c.candidates("focal").get(3));
        assertEquals(List.of("focal(gamma=2)", "adam(lr=0.05)"), List.of(focal.loss(), focal.optimizer()));
        Method smote = c.tuned(c.methods().get(3), c.candidates("smote+ce").get(1));
        assertEquals(List.of("smote(k_neighbors=5)", "ce", "adam(lr=0.01)"),
                List.of(smote.resampler(), smote.loss(), smote.optimizer()));

        // no tuning: one candidate each, as configured, and no budget in the hash
        ExperimentConfig plain = load("datasets = [satimage]\nmethods = [ce, focal]\n");
        assertEquals(1, plain.budget());
        assertEquals(List.of(Map.of()), plain.candidates("focal"));
        assertEquals(plain.hash(), load("datasets = [satimage]\nmethods = [ce, focal]\ntune-budget = 1\n").hash());
    }

    /** A grid larger than tune-budget is cut to a subsample, the same every time; the budget is part of the hash. */
    @Test
    void tuneBudgetCutsLargerGridsToASeededSubsampleInGridOrder() throws IOException {
        String text = """
                datasets = [satimage]
                methods = [ce, focal]
                tune { focal { gamma = [0.5, 1, 2], lr = [0.001, 0.01] } }
                """;
        ExperimentConfig auto = load(text);
        assertEquals(6, auto.budget());
        assertEquals(List.of("lr=0.001", "lr=0.002", "lr=0.0005", "lr=0.004", "lr=0.00025", "lr=0.008"), texts(auto, "ce"),
                "padded around adam's default 0.001");
        ExperimentConfig cut = load(text + "tune-budget = 3\n");
        assertEquals(3, cut.candidates("focal").size());
        List<Map<String, TuneValue>> all = TuneGrid.combinations(TuneGrid.grid(cut.tune(), "focal"));
        List<Integer> positions = cut.candidates("focal").stream().map(all::indexOf).toList();
        assertTrue(positions.stream().allMatch(i -> i >= 0) && positions.equals(positions.stream().sorted().distinct().toList()),
                "distinct grid points in grid order: " + positions);
        assertEquals(cut.candidates(), load(text + "tune-budget = 3\n").candidates(), "seeded: the same subsample");
        assertEquals(List.of("lr=0.001", "lr=0.002", "lr=0.0005"), texts(cut, "ce"));
        assertNotEquals(auto.hash(), cut.hash());
        assertEquals(auto.hash(), load(text + "tune-budget = 6\n").hash(), "the largest grid written out is the default");
    }

    /**
     * Many missing candidates are spread more finely, within ten times the configured rate either
     * way: 17 to add around 0.05 step by 10^(1/9), rounded to three significant digits.
     */
    @Test
    void paddingStaysWithinTenTimesTheConfiguredRate() {
        List<Map<String, TuneValue>> c = TuneGrid.candidates("ce", List.of(Map.of()), 18, 0.05);
        List<Double> lr = c.stream().map(v -> Double.parseDouble(v.get("lr").text())).toList();
        assertEquals(18, new java.util.TreeSet<>(lr).size());
        assertEquals(0.05, lr.get(0));
        double r = Math.pow(10, 1 / 9.0);
        for (int step = 1; step <= 8; step++) {
            assertEquals(0.05 * Math.pow(r, step), lr.get(2 * step - 1), 0.005 * 0.05 * Math.pow(r, step), "up " + step);
            assertEquals(0.05 / Math.pow(r, step), lr.get(2 * step), 0.005 * 0.05 / Math.pow(r, step), "down " + step);
        }
        assertEquals(0.5, lr.get(17), "the last one reaches ten times the base");
        assertEquals("0.0646", c.get(1).get("lr").text(), "three significant digits, no exponent");
    }

    @Test
    void aGridKeyNoSpecOfTheMethodHasFailsAtLoadNamingMethodAndKey() {
        String base = "datasets = [satimage]\nmethods = [ce, focal, \"smote+ce\"]\n";
        assertErrorMatches(base + "tune { all { gamma = [1, 2] } }\n",
                "x\\.conf:3: tune.all.gamma: tuning ce tries loss ce\\(gamma=1\\): .*gamma.*");
        assertErrorMatches(base + "tune { all { momentum = [0.9] } }\n",
                "x\\.conf:3: tune.all.momentum: tuning ce tries optimizer adam\\(lr=0.001,momentum=0.9\\): .*momentum.*");
        assertErrorMatches(base + "tune { focal { k_neighbors = [3] } }\n",
                "x\\.conf:3: tune.focal.k_neighbors: tuning focal tries loss focal\\(gamma=2,k_neighbors=3\\): .*k_neighbors.*");
        assertErrorMatches(base + "tune { \"smote+ce\" { k_neighbors = [3, -1] } }\n",
                "x\\.conf:3: tune.\"smote\\+ce\": tuning smote\\+ce tries resampler smote\\(k_neighbors=-1\\): .*");
        assertErrorMatches(base + "tune { all { lr = [0.01, -1] } }\n",
                "x\\.conf:3: tune: tuning ce tries optimizer adam\\(lr=-1\\): .*lr.*");
        assertErrorMatches(base + "tune { nope { lr = [0.01] } }\n",
                "x\\.conf:3: tune.nope: not one of this experiment's methods \\(ce, focal, smote\\+ce\\) nor all.*");
        assertErrorMatches(base + "protocol = \"holdout(test=0.2, validation=0)\"\ntune-budget = 2\n",
                "x\\.conf:4: tune-budget: tuning needs a validation part.*");
    }

    /** Words and lists are values like numbers: weighted-ce's weights = [inverse, cb], focal's per-class alpha. */
    @Test
    void wordsAndListsAreGridValues() throws IOException {
        ExperimentConfig c = load("""
                datasets = [satimage]
                methods = [weighted-ce, focal]
                tune { weighted-ce { weights = [inverse, cb] }, focal { alpha = [0.25, "0.25,0.75"] } }
                """);
        assertEquals(List.of("weighted-ce(weights=inverse)", "weighted-ce(weights=cb)"),
                c.candidates("weighted-ce").stream().map(v -> c.tuned(c.methods().get(0), v).loss()).toList());
        assertEquals(List.of("focal(gamma=2,alpha=0.25)", "focal(gamma=2,alpha=0.25,0.75)"),
                c.candidates("focal").stream().map(v -> c.tuned(c.methods().get(1), v).loss()).toList());
    }

    /** Each candidate of a method as "key=value ..." in order. */
    private static List<String> texts(ExperimentConfig c, String method) {
        return c.candidates(method).stream().map(v -> String.join(" ", v.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().text()).toList())).toList();
    }
}
