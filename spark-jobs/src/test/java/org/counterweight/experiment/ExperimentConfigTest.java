package org.counterweight.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
        assertEquals(16 * 6 * 10, f.cellCount());
        Map<String, List<TuneValue>> grid = Map.of("gamma", List.of(new TuneValue("1", 1), new TuneValue("2", 2)),
                "margin", List.of(new TuneValue("0.5", 0.5), new TuneValue("1", 1))); // HOCON reads 1.0 as 1
        assertEquals(Map.of("fal", grid, "faml", grid), f.tune());
        // RESULTS.md's one-seed runs: --seeds N, 96 cells (16 datasets x 6 methods)
        ExperimentConfig oneSeed = ExperimentConfig.load(new File(conf, "fal-paper.conf"), "/d", List.of(3L));
        assertEquals(List.of(3L), oneSeed.seeds());
        assertEquals(96, oneSeed.cellCount());
        assertNotEquals(f.hash(), oneSeed.hash(), "--seeds is part of the config hash");
        ExperimentConfig full = ExperimentConfig.load(new File(conf, "fal-paper-full-grid.conf"), "/d", List.of(1L));
        List<TuneValue> three = List.of(new TuneValue("0.5", 0.5), new TuneValue("1", 1), new TuneValue("2", 2));
        assertEquals(Map.of("gamma", three, "margin", three), full.tune().get("faml"));
        assertEquals(oneSeed.cellCount(), full.cellCount());
        assertEquals(16 * 6 * 3 * 10, ExperimentConfig.load(new File(conf, "fal-paper-kfold.conf"), "/d").cellCount());
        assertEquals(6 * 10, ExperimentConfig.load(new File(conf, "fal-paper-satimage-kfold.conf"), null).cellCount());
        ExperimentConfig diag = ExperimentConfig.load(new File(conf, "fmnist-fal-diagnostic.conf"), "/d");
        assertEquals(List.of("ce", "fal", "fal(gamma=0,margin=0)", "fal(gamma=0,margin=0,beta=0)"), diag.methodNames());
        assertEquals(3, diag.setting(TrainingSettings.EPOCHS));
        assertTrue(diag.tune().isEmpty(), "the diagnostic runs FAL's parts as given, not tuned");
        ExperimentConfig lt = ExperimentConfig.load(new File(conf, "fashion-mnist-lt.conf"), "/d");
        assertEquals(100.0, lt.datasets().get(0).longTail());
        assertEquals("/d/fashion-mnist/t10k-images-idx3-ubyte.gz", lt.datasets().get(0).testPath());
        assertEquals(Map.of("fal", Map.of("beta", List.of(new TuneValue("0", 0), new TuneValue("0.001", 0.001),
                new TuneValue("0.01", 0.01), new TuneValue("0.1", 0.1)))), lt.tune());
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
        assertTrue(d.contains("datasets[0].paht: unknown key (allowed: generate, label-col, long-tail, name, path, test-path)"), d);
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
        assertTrue(error("datasets = [satimage]\nmethods = [fal]\ntune { fal { gamma = [1, high] } }\n")
                .contains("tune.fal.gamma: 'high' is not a number"));
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
                "x\\.conf:3: tune.fal: tuning fal tries fal\\(gama=1\\): .*gama.*");
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
                "x\\.conf:3: tune.bbn: tuning bbn tries bbn\\(alpha=1\\): loss: bbn: unknown parameter 'alpha' \\(allowed: none\\)");
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
        Files.writeString(f, text + "epochs = 3\n");
        assertNotEquals(a.hash(), ExperimentConfig.load(f.toFile(), "/one").hash());
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
    void tuningGridExpandsToEveryCombination() {
        TuneValue one = TuneValue.parse("1");
        TuneValue two = TuneValue.parse("2.0");
        TuneValue half = TuneValue.parse("5e-1");
        Map<String, List<TuneValue>> grid = new java.util.LinkedHashMap<>();
        grid.put("gamma", List.of(one, two));
        grid.put("margin", List.of(half));
        assertEquals(List.of(Map.of("gamma", one, "margin", half), Map.of("gamma", two, "margin", half)),
                LossGrid.combinations(grid));
        // the text goes into the spec as written; the number is parsed once
        assertEquals(new TuneValue("5e-1", 0.5), half);
        assertEquals("fal(margin=0.5,gamma=2.0)", LossGrid.withParams("fal(margin=0.5)", Map.of("gamma", two)));
        assertEquals("fal(gamma=5e-1)", LossGrid.withParams("fal(gamma=1)", Map.of("gamma", half)));
    }
}
