package org.counterweight.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.counterweight.data.BuiltinDatasets;
import org.counterweight.data.DataSettings;
import org.counterweight.data.ReadOptions;
import org.counterweight.data.SyntheticGenerator;
import org.counterweight.evaluate.EvaluationSettings;
import org.counterweight.resample.ResampleMethod;
import org.counterweight.settings.CommonSettings;
import org.counterweight.settings.Setting;
import org.counterweight.settings.SettingValues;
import org.counterweight.train.Bbn;
import org.counterweight.train.PrepareOptions;
import org.counterweight.train.TrainingSettings;
import org.counterweight.updaters.OptimizerSpec;

/**
 * An experiment definition read from HOCON: datasets × methods × seeds (× folds) under one
 * protocol and one training setup. Every key is checked before anything runs; an unknown key or
 * an invalid value fails with the file, line and key.
 *
 * <p>Keys (defaults in brackets): {@code name}, {@code datasets} (list of built-in names, paths
 * or objects {@code {name, path, label-col, categorical = [cols], missing-values, max-levels, impute,
 * missing-indicator}} / {@code {name, generate {rows, features, classes,
 * imbalance-ratio, separation, seed}}}; {@code test-path} gives a fixed test set, and the
 * protocol then only carves the validation part off the data; {@code long-tail = ρ} keeps the
 * long-tailed subset of METHODS §6), {@code protocol} [holdout(test=0.2,validation=0.1)],
 * {@code seeds} [[1]], {@code methods} (names, {@code resampler+loss}, or loss specs),
 * {@code method-defs} (named custom methods: {@code {loss, resample, sampler, stage2, model,
 * optimizer}}), {@code model} [mlp(hidden=16,8)], {@code optimizer} [adam(lr=0.001)],
 * {@code epochs} [10], {@code batch-size} [64], {@code averaging-frequency} [20],
 * {@code engine} [spark] ({@code local} fits each cell's network in the driver JVM: for small data),
 * {@code parallel-cells} [1] (cells trained at the same time; with the local engine, up to the
 * driver's cores),
 * {@code tune} (per method, or {@code all} for every method, lists of loss, resampler and
 * optimizer parameter values; see {@link TuneGrid}), {@code tune-budget} [0: the largest grid]
 * (candidate trainings per method and cell), {@code data-dir} (substituted as {@code ${data-dir}}).
 *
 * @param tune       the {@code tune} grids as written, by method name or {@link TuneGrid#ALL}
 * @param budget     candidate trainings per method and cell: 1 without tuning
 * @param candidates per method name, its {@code budget} candidates: the grid values each one sets
 */
public record ExperimentConfig(String name, String source, String hash, List<DatasetRef> datasets, Protocol protocol,
                               List<Long> seeds, List<Method> methods, SettingValues settings,
                               Map<String, Map<String, List<TuneValue>>> tune, int budget,
                               Map<String, List<Map<String, TuneValue>>> candidates) {

    /** The structural keys; the settings' keys ({@link ExperimentSettings#ALL}) are allowed besides. */
    private static final Set<String> STRUCTURE = Set.of("name", "datasets", "protocol", "seeds", "methods", "method-defs",
            "tune", "data-dir");
    private static final Set<String> DATASET = datasetKeys();
    private static final Set<String> METHOD_DEF = Set.of("loss", "resample", "sampler", "stage2", "model", "optimizer");

    private static Set<String> datasetKeys() {
        Set<String> keys = new TreeSet<>(Set.of("name", "path", DataSettings.LABEL_COL.key(), "generate", "test-path", "long-tail",
                "categorical"));
        DataSettings.PREPARATION.forEach(s -> keys.add(s.key()));
        return Set.copyOf(keys);
    }

    /** Reads {@code file}; {@code dataDir} (may be null) is available as {@code ${data-dir}}. */
    public static ExperimentConfig load(File file, String dataDir) {
        return load(file, dataDir, null);
    }

    /**
     * Reads {@code file} with its {@code seeds} replaced by {@code seeds} (null keeps the file's):
     * more repetitions of a comparison without editing its config. The override is part of the
     * config hash, like any other content.
     */
    public static ExperimentConfig load(File file, String dataDir, List<Long> seeds) {
        if (!file.isFile()) {
            throw new IllegalArgumentException("experiment config not found: " + file);
        }
        Config raw;
        try {
            Config parsed = ConfigFactory.parseFile(file);
            if (dataDir != null) {
                parsed = parsed.withValue("data-dir", ConfigFactory.parseMap(Map.of("d", dataDir)).getValue("d"));
            }
            if (seeds != null) {
                parsed = parsed.withValue("seeds", ConfigValueFactory.fromIterable(seeds));
            }
            raw = parsed.resolve();
        } catch (ConfigException e) {
            // typesafe-config messages already start with the file and line
            String hint = e.getMessage().contains("${data-dir}") ? " (give --data-dir)" : "";
            throw new IllegalArgumentException(e.getMessage() + hint);
        }
        return parse(raw, file.getPath());
    }

    /**
     * Parses a seed list as given on a command line: comma-separated seeds and inclusive ranges,
     * e.g. {@code 6-10} or {@code 1,2,7-9}.
     */
    public static List<Long> parseSeeds(String text) {
        List<Long> seeds = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            java.util.regex.Matcher m = SEED_ITEM.matcher(item.trim());
            long from = m.matches() ? Long.parseLong(m.group(1)) : -1;
            long to = m.matches() && m.group(2) != null ? Long.parseLong(m.group(2)) : from;
            if (from < 0 || to < from || to - from >= 100_000) {
                throw new IllegalArgumentException("seeds '" + text + "': '" + item.trim()
                        + "' is neither a seed nor a range from-to (e.g. 6-10 or 1,2,7-9)");
            }
            for (long seed = from; seed <= to; seed++) {
                seeds.add(seed);
            }
        }
        if (new TreeSet<>(seeds).size() != seeds.size()) {
            throw new IllegalArgumentException("seeds '" + text + "': a seed is listed twice");
        }
        return seeds;
    }

    /** A command-line seed list item: a seed or an inclusive range from-to. */
    private static final java.util.regex.Pattern SEED_ITEM = java.util.regex.Pattern.compile("(\\d{1,18})(?:-(\\d{1,18}))?");
    /** Parses an already loaded config; {@code source} names it in messages. */
    public static ExperimentConfig parse(Config c, String source) {
        Parser p = new Parser(c, source);
        return p.parse();
    }

    /** The value of a top-level setting ({@link ExperimentSettings#ALL}): set in the file, or its default. */
    public <T> T setting(Setting<T> s) {
        return settings.get(s);
    }

    /** Cells trained at the same time. */
    public int parallelCells() {
        return settings.get(ExperimentSettings.PARALLEL_CELLS);
    }

    /** The metric that ranks methods. */
    public String metric() {
        return settings.get(EvaluationSettings.METRIC);
    }

    /** The methods' names in order. */
    public List<String> methodNames() {
        return methods.stream().map(Method::name).toList();
    }

    /** The candidates {@code method} is trained with in every cell (one, without values, when nothing is tuned). */
    public List<Map<String, TuneValue>> candidates(String method) {
        return candidates.get(method);
    }

    /** {@code m} as candidate {@code values} trains it: the values set in its loss, resampler and optimizer specs. */
    public Method tuned(Method m, Map<String, TuneValue> values) {
        return TuneGrid.apply(m, setting(TrainingSettings.OPTIMIZER), values);
    }

    /** Number of (dataset, method, seed, fold) cells. */
    public int cellCount() {
        return datasets.size() * methods.size() * seeds.size() * protocol.folds();
    }

    private static final class Parser {
        private final Config c;
        private final String source;

        Parser(Config c, String source) {
            this.c = c;
            this.source = source;
        }

        private IllegalArgumentException error(String path, String message) {
            String where = source;
            try {
                if (c.hasPath(path) && c.getValue(path).origin().lineNumber() > 0) {
                    where += ":" + c.getValue(path).origin().lineNumber();
                }
            } catch (ConfigException e) {
                // the path itself is malformed; the file name is enough
            }
            return new IllegalArgumentException(where + ": " + path + ": " + message);
        }

        private void onlyKeys(Config obj, String prefix, Set<String> allowed) {
            for (String key : obj.root().keySet()) {
                if (!allowed.contains(key)) {
                    throw error(prefix.isEmpty() ? key : prefix + "." + key,
                            "unknown key (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
                }
            }
        }

        private String string(String path, String def) {
            if (!c.hasPath(path)) {
                return def;
            }
            try {
                return c.getString(path);
            } catch (ConfigException.WrongType e) {
                throw error(path, "expected a string");
            }
        }

        /** Runs a parse step, re-throwing its IllegalArgumentException with the file and key. */
        private <T> T checked(String path, java.util.function.Supplier<T> step) {
            try {
                return step.get();
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(source)) {
                    throw e;
                }
                throw error(path, e.getMessage());
            }
        }

        /** Reads a setting's key: the file's value, validated by the setting's one declaration, or its default. */
        private <T> T read(Config obj, String prefix, Setting<T> s) {
            if (!obj.hasPath(s.key())) {
                return s.defaultValue();
            }
            try {
                return s.parse(String.valueOf(obj.getValue(s.key()).unwrapped()));
            } catch (IllegalArgumentException e) {
                // the setting's message starts with its key
                throw error(prefix.isEmpty() ? s.key() : prefix + "." + s.key(), e.getMessage().substring(s.key().length() + 2));
            }
        }

        ExperimentConfig parse() {
            Set<String> top = new TreeSet<>(STRUCTURE);
            ExperimentSettings.ALL.forEach(s -> top.add(s.key()));
            onlyKeys(c, "", top);
            String name = string("name", new File(source).getName().replaceFirst("\\.conf$", ""));
            List<DatasetRef> datasets = datasets();
            Protocol protocol = checked("protocol", () -> Protocol.parse(string("protocol", "holdout(test=0.2,validation=0.1)")));
            for (DatasetRef d : datasets) {
                if (d.testPath() != null && !protocol.kind().equals("holdout")) {
                    throw error("protocol", "dataset '" + d.name() + "' has a fixed test-path; use a holdout protocol");
                }
            }
            List<Long> seeds = seeds();
            Map<String, Method> defs = methodDefs();
            List<Method> methods = methods(defs);
            SettingValues settings = new SettingValues();
            for (Setting<?> s : ExperimentSettings.ALL) {
                set(settings, s);
            }
            checkMethods(methods, defs.keySet(), settings.get(TrainingSettings.MODEL));
            Map<String, Map<String, List<TuneValue>>> tune = tune(methods);
            int budget = budget(methods, tune, settings);
            if (budget > 1 && protocol.validationFraction() == 0) {
                throw error(c.hasPath("tune") ? "tune" : ExperimentSettings.TUNE_BUDGET.key(),
                        "tuning needs a validation part: give the protocol a validation fraction");
            }
            Map<String, List<Map<String, TuneValue>>> candidates = new LinkedHashMap<>();
            for (Method m : methods) {
                candidates.put(m.name(), candidates(m, tune, budget, settings.get(TrainingSettings.OPTIMIZER)));
            }
            // Neither where the data lives, nor how many cells run at once, nor the metric that
            // ranks them changes a cell's result; the defaults in force do, so the effective
            // training settings are hashed (as text: "10" and 10 are one value), not only the file;
            // so is the effective tuning budget when there is one.
            Config effective = c.withoutPath("data-dir").withoutPath(ExperimentSettings.PARALLEL_CELLS.key())
                    .withoutPath(EvaluationSettings.METRIC.key()).withoutPath(ExperimentSettings.TUNE_BUDGET.key());
            for (Map.Entry<String, String> e : settings.describe(ExperimentSettings.TRAINING).entrySet()) {
                effective = effective.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
            }
            if (budget > 1) {
                effective = effective.withValue(ExperimentSettings.TUNE_BUDGET.key(), ConfigValueFactory.fromAnyRef(budget));
            }
            String dataDir = c.hasPath("data-dir") ? c.getString("data-dir") : null;
            return new ExperimentConfig(name, source, hash(effective, dataDir), datasets, protocol, seeds, methods, settings,
                    tune, budget, candidates);
        }

        /**
         * The tuning budget: {@code tune-budget} when set, else the largest grid among the methods
         * (1 without a {@code tune} grid). Checks first that every key of every method's grid is a
         * parameter of the spec it sets, naming the method and the key.
         */
        private int budget(List<Method> methods, Map<String, Map<String, List<TuneValue>>> tune, SettingValues settings) {
            String optimizer = settings.get(TrainingSettings.OPTIMIZER);
            int largest = 1;
            for (Method m : methods) {
                Map<String, List<TuneValue>> grid = TuneGrid.grid(tune, m.name());
                for (Map.Entry<String, List<TuneValue>> e : grid.entrySet()) {
                    String from = tune.getOrDefault(m.name(), Map.of()).containsKey(e.getKey()) ? m.name() : TuneGrid.ALL;
                    checkCandidate(ConfigUtil.joinPath("tune", from, e.getKey()), m, Map.of(e.getKey(), e.getValue().get(0)),
                            optimizer);
                }
                largest = Math.max(largest, TuneGrid.size(grid));
            }
            int asked = settings.get(ExperimentSettings.TUNE_BUDGET);
            return asked > 0 ? asked : largest;
        }

        /** The method's candidates, every one (and every combination of its grid) checked. */
        private List<Map<String, TuneValue>> candidates(Method m, Map<String, Map<String, List<TuneValue>>> tune, int budget,
                                                        String optimizer) {
            String path = tune.containsKey(m.name()) ? ConfigUtil.joinPath("tune", m.name()) : "tune";
            List<Map<String, TuneValue>> combinations = TuneGrid.combinations(TuneGrid.grid(tune, m.name()));
            double lr = OptimizerSpec.parse(m.optimizer() == null ? optimizer : m.optimizer()).learningRate();
            List<Map<String, TuneValue>> out = checked(path, () -> TuneGrid.candidates(m.name(), combinations, budget, lr));
            Set<Map<String, TuneValue>> all = new LinkedHashSet<>(combinations);
            all.addAll(out);
            for (Map<String, TuneValue> values : all) {
                checkCandidate(path, m, values, optimizer);
            }
            return out;
        }

        /** Checks the specs {@code values} change in {@code m}; an error names them and what is wrong. */
        private void checkCandidate(String path, Method m, Map<String, TuneValue> values, String optimizer) {
            checked(path, () -> {
                Method t = TuneGrid.apply(m, optimizer, values);
                List<String> tries = new ArrayList<>();
                try {
                    if (!t.loss().equals(m.loss())) {
                        tries.add("loss " + t.loss());
                        TrainingSettings.LOSS.validate(t.loss());
                    }
                    if (t.resampler() != null && !t.resampler().equals(m.resampler())) {
                        tries.add("resampler " + t.resampler());
                        ResampleMethod.fromSpec(t.resampler());
                    }
                    if (t.optimizer() != null && !t.optimizer().equals(m.optimizer())) {
                        tries.add("optimizer " + t.optimizer());
                        TrainingSettings.OPTIMIZER.validate(t.optimizer());
                    }
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("tuning " + m.name() + " tries " + String.join(", ", tries) + ": "
                            + e.getMessage(), e);
                }
                return null;
            });
        }

        private <T> void set(SettingValues values, Setting<T> s) {
            values.set(s, read(c, "", s));
        }

        /**
         * Checks every spec of every method now, so that a misspelt loss, optimizer, model or
         * resampler stops the run (and --dry-run) before any data is read, and how they combine
         * (BBN with its model, sampler and second stage); the tuning grids are checked by
         * {@link #budget} and {@link #candidates}. {@code model} is the experiment's model.
         */
        private void checkMethods(List<Method> methods, Set<String> defined, String model) {
            for (Method m : methods) {
                String where = defined.contains(m.name()) ? "method-defs.\"" + m.name() + "\"" : "methods";
                String what = "method '" + m.name() + "': ";
                checked(where, () -> {
                    try {
                        TrainingSettings.LOSS.validate(m.loss());
                        TrainingSettings.SAMPLER.validate(m.sampler());
                        TrainingSettings.STAGE2.validate(m.stage2());
                        if (m.model() != null) {
                            TrainingSettings.MODEL.validate(m.model());
                        }
                        if (m.optimizer() != null) {
                            TrainingSettings.OPTIMIZER.validate(m.optimizer());
                        }
                        if (m.resampler() != null) {
                            ResampleMethod.fromSpec(m.resampler());
                        }
                        Bbn.check(m.model() != null ? m.model() : model, m.loss(), m.sampler(), m.stage2());
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(what + e.getMessage(), e);
                    }
                    return null;
                });
            }
        }

        private List<DatasetRef> datasets() {
            if (!c.hasPath("datasets")) {
                throw error("datasets", "missing (a list of built-in names, paths or {name, path} objects)");
            }
            List<DatasetRef> out = new ArrayList<>();
            List<? extends ConfigValue> list;
            try {
                list = c.getList("datasets");
            } catch (ConfigException.WrongType e) {
                throw error("datasets", "expected a list");
            }
            Set<String> names = new TreeSet<>();
            for (int i = 0; i < list.size(); i++) {
                ConfigValue v = list.get(i);
                String where = "datasets[" + i + "]";
                DatasetRef ref;
                if (v.valueType() == ConfigValueType.STRING) {
                    String s = (String) v.unwrapped();
                    String dsName = BuiltinDatasets.isBuiltin(s) ? s : new File(s).getName().replaceFirst("(\\.csv|\\.libsvm|\\.svm|\\.parquet)?(\\.gz)?$", "");
                    ref = new DatasetRef(dsName, dataPath(s), ReadOptions.defaults(), null, null, null, PrepareOptions.defaults());
                } else if (v.valueType() == ConfigValueType.OBJECT) {
                    Config o = ((com.typesafe.config.ConfigObject) v).toConfig();
                    onlyKeys(o, where, DATASET);
                    if (!o.hasPath("name")) {
                        throw error("datasets", where + ": missing 'name'");
                    }
                    String dsName = o.getString("name");
                    if (o.hasPath("generate") == o.hasPath("path")) {
                        throw error("datasets", where + " (" + dsName + "): give exactly one of 'path' or 'generate'");
                    }
                    if (o.hasPath("generate")) {
                        Config g = o.getConfig("generate");
                        String prefix = "datasets." + where + ".generate";
                        onlyKeys(g, prefix, DataSettings.GENERATOR.stream().map(Setting::key).collect(Collectors.toSet()));
                        SyntheticGenerator gen = new SyntheticGenerator()
                                .rows(read(g, prefix, DataSettings.ROWS))
                                .features(read(g, prefix, DataSettings.NUM_FEATURES))
                                .classes(read(g, prefix, DataSettings.CLASSES))
                                .imbalanceRatio(read(g, prefix, DataSettings.IMBALANCE_RATIO))
                                .separation(read(g, prefix, DataSettings.SEPARATION))
                                .seed(read(g, prefix, CommonSettings.SEED));
                        ref = new DatasetRef(dsName, null, ReadOptions.defaults(), gen, null, longTail(o, where),
                                PrepareOptions.defaults());
                    } else {
                        String prefix = "datasets." + where;
                        ReadOptions read = ReadOptions.defaults().withLabelCol(read(o, prefix, DataSettings.LABEL_COL))
                                .withCategorical(categorical(o, prefix))
                                .withMissingValues(read(o, prefix, DataSettings.MISSING_VALUES))
                                .withMaxLevels(read(o, prefix, DataSettings.MAX_LEVELS));
                        PrepareOptions prepare = new PrepareOptions(read(o, prefix, DataSettings.IMPUTE),
                                read(o, prefix, DataSettings.MISSING_INDICATOR));
                        ref = new DatasetRef(dsName, dataPath(o.getString("path")), read, null,
                                o.hasPath("test-path") ? dataPath(o.getString("test-path")) : null, longTail(o, where), prepare);
                    }
                } else {
                    throw error("datasets", where + ": expected a name, a path or an object");
                }
                if (!names.add(ref.name())) {
                    throw error("datasets", "dataset name '" + ref.name() + "' appears twice; give one a 'name'");
                }
                out.add(ref);
            }
            if (out.isEmpty()) {
                throw error("datasets", "is empty");
            }
            return out;
        }

        /** A dataset's {@code categorical} list of column names (empty when absent). */
        private List<String> categorical(Config o, String prefix) {
            if (!o.hasPath("categorical")) {
                return List.of();
            }
            try {
                return o.getStringList("categorical");
            } catch (ConfigException.WrongType e) {
                throw error(prefix + ".categorical", "expected a list of column names");
            }
        }

        private Double longTail(Config o, String where) {
            if (!o.hasPath("long-tail")) {
                return null;
            }
            double rho;
            try {
                rho = o.getDouble("long-tail");
            } catch (ConfigException.WrongType e) {
                throw error("datasets", where + ".long-tail: expected a number");
            }
            if (!(rho >= 1)) {
                throw error("datasets", where + ".long-tail: the imbalance ratio must be >= 1, got " + rho);
            }
            return rho;
        }

        /** Expands {@code ${data-dir}} also inside quoted strings, where HOCON does not substitute. */
        private String dataPath(String path) {
            if (!path.contains("${data-dir}")) {
                return path;
            }
            if (!c.hasPath("data-dir")) {
                throw error("datasets", "'" + path + "' uses ${data-dir}: give --data-dir");
            }
            return path.replace("${data-dir}", c.getString("data-dir"));
        }

        private List<Long> seeds() {
            if (!c.hasPath("seeds")) {
                return List.of(1L);
            }
            try {
                List<Long> s = c.getLongList("seeds");
                if (s.isEmpty() || new TreeSet<>(s).size() != s.size()) {
                    throw error("seeds", "must be a non-empty list of distinct integers");
                }
                return s;
            } catch (ConfigException.WrongType e) {
                throw error("seeds", "expected a list of integers");
            }
        }

        private Map<String, Method> methodDefs() {
            Map<String, Method> defs = new LinkedHashMap<>();
            if (!c.hasPath("method-defs")) {
                return defs;
            }
            Config d = c.getConfig("method-defs");
            for (String key : d.root().keySet()) {
                String path = "method-defs.\"" + key + "\"";
                Config m = d.getConfig("\"" + key + "\"");
                onlyKeys(m, "method-defs." + key, METHOD_DEF);
                if (!m.hasPath("loss")) {
                    throw error(path, "missing 'loss'");
                }
                String resample = m.hasPath("resample") ? m.getString("resample") : null;
                Method base = checked(path, () -> resample == null ? MethodCatalog.resolve(m.getString("loss"))
                        : MethodCatalog.resolve(resample + "+" + m.getString("loss")));
                Method def = new Method(key, base.resampler(), base.loss(),
                        m.hasPath("sampler") ? m.getString("sampler") : base.sampler(),
                        m.hasPath("stage2") ? m.getString("stage2") : base.stage2(),
                        m.hasPath("model") ? m.getString("model") : null,
                        m.hasPath("optimizer") ? m.getString("optimizer") : null);
                if (!List.of("none", "class-balanced", "sqrt").contains(def.sampler())) {
                    throw error(path, "sampler '" + def.sampler() + "' is not one of none|class-balanced|sqrt");
                }
                defs.put(key, def);
            }
            return defs;
        }

        private List<Method> methods(Map<String, Method> defs) {
            if (!c.hasPath("methods")) {
                throw error("methods", "missing (e.g. [ce, \"smote+ce\", focal, fal])");
            }
            List<String> names;
            try {
                names = c.getStringList("methods");
            } catch (ConfigException.WrongType e) {
                throw error("methods", "expected a list of method names");
            }
            List<Method> out = new ArrayList<>();
            Set<String> seen = new TreeSet<>();
            for (String n : names) {
                Method m = defs.containsKey(n) ? defs.get(n) : checked("methods", () -> MethodCatalog.resolve(n));
                if (!seen.add(m.name())) {
                    throw error("methods", "method '" + m.name() + "' listed twice");
                }
                out.add(m);
            }
            if (out.isEmpty()) {
                throw error("methods", "is empty");
            }
            return out;
        }

        private Map<String, Map<String, List<TuneValue>>> tune(List<Method> methods) {
            Map<String, Map<String, List<TuneValue>>> out = new LinkedHashMap<>();
            if (!c.hasPath("tune")) {
                return out;
            }
            Config t = object(c, "tune", "tune");
            Set<String> known = new TreeSet<>(methods.stream().map(Method::name).toList());
            for (String method : t.root().keySet()) {
                if (!known.contains(method) && !method.equals(TuneGrid.ALL)) {
                    throw error(ConfigUtil.joinPath("tune", method), "not one of this experiment's methods ("
                            + String.join(", ", known) + ") nor " + TuneGrid.ALL + " (every method)");
                }
                Config grid = object(t, ConfigUtil.joinPath(method), ConfigUtil.joinPath("tune", method));
                Map<String, List<TuneValue>> params = new LinkedHashMap<>();
                for (String param : grid.root().keySet()) {
                    String path = ConfigUtil.joinPath("tune", method, param);
                    List<? extends ConfigValue> list;
                    try {
                        list = grid.getList(ConfigUtil.joinPath(param));
                    } catch (ConfigException.WrongType e) {
                        throw error(path, "expected a list of values, e.g. [1, 2] or [1, inverse]");
                    }
                    List<TuneValue> values = new ArrayList<>();
                    for (ConfigValue v : list) {
                        if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST
                                || v.valueType() == ConfigValueType.NULL) {
                            throw error(path, "expected numbers or words, got " + v.render(ConfigRenderOptions.concise())
                                    + " (quote a list value: \"0.2,0.8\")");
                        }
                        // passed to the spec as written: numbers and words alike (alpha = [1, inverse])
                        values.add(checked(path, () -> TuneValue.parse(String.valueOf(v.unwrapped()))));
                    }
                    if (values.isEmpty()) {
                        throw error(path, "needs at least one value");
                    }
                    params.put(param, values);
                }
                out.put(method, params);
            }
            return out;
        }

        /** The object at {@code path} of {@code in}, a part of the config at {@code fullPath}; an error if it is none. */
        private Config object(Config in, String path, String fullPath) {
            try {
                return in.getConfig(path);
            } catch (ConfigException.WrongType e) {
                throw error(fullPath, "expected an object, e.g. tune { all { lr = [0.01, 0.05] }, fal { gamma = [1, 2] } }");
            }
        }

        /**
         * The hash of the effective config, with {@code dataDir} (when given) put back as
         * {@code ${data-dir}} at the start of every string: HOCON's unquoted
         * {@code ${data-dir}"/x.csv"} is resolved into the dataset paths, and where the data
         * lives must not make a resumed run look like another config.
         */
        private static String hash(Config c, String dataDir) {
            ConfigRenderOptions json = ConfigRenderOptions.concise().setJson(true);
            String text = c.root().render(json);
            if (dataDir != null && !dataDir.isEmpty()) {
                String quoted = ConfigValueFactory.fromAnyRef(dataDir).render(json);
                text = text.replace(quoted.substring(0, quoted.length() - 1), "\"${data-dir}");
            }
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] d = md.digest(text.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(d).substring(0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
