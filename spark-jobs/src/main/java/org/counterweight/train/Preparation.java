package org.counterweight.train;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.ImputerModel;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.VectorSizeHint;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.counterweight.data.CategoricalFeatures;
import org.counterweight.data.Columns;
import org.counterweight.data.DataException;
import org.counterweight.data.LabeledFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feature preparation of frames with categorical or missing values ({@link LabeledFrame#needsPreparation}),
 * fitted on the training part only and stored with the model, so that validation, test and scored
 * rows are transformed exactly as the training rows:
 * <ol>
 *   <li>missing numeric values get the training part's median, mean or most frequent value
 *       (Spark ML {@link Imputer}; the median is Spark's approximate one, relative error 0.001),
 *       optionally with a 0/1 missing indicator per numeric feature that had missing values;</li>
 *   <li>categories become indices 0 … L − 1 by training frequency, most frequent first (Spark ML
 *       {@link StringIndexer}, {@code frequencyDesc}, ties alphabetical); a missing category gets
 *       index 0, the most frequent one; a category the training part did not have gets L, the
 *       "unknown" slot (counted in the log);</li>
 *   <li>numeric features are standardised with the training statistics ({@link Standardizer});
 *       category indices and indicators are left as they are.</li>
 * </ol>
 * The prepared frame has the input features in their order (category indices in place) followed
 * by the indicators, and records where the indices are ({@link LabeledFrame#categorical}, and
 * as attributes of the {@code features} column: {@link CategoricalFeatures#declare}):
 * resamplers see the indices, the network their one-hot encoding ({@link NetworkInput}).
 *
 * <p>The fitted Spark {@link StringIndexerModel} is rebuilt from the stored categories; Spark's
 * {@link ImputerModel} has no public constructor, so its surrogates are stored and applied with
 * the standardisation in one pass.
 */
public final class Preparation implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Preparation.class);
    /** Temporary column prefixes (dropped before a frame is returned). */
    private static final String NUM = "_prep_n";
    private static final String CAT = "_prep_c";
    private static final String IDX = "_prep_i";
    private static final String ALL = "_prep_all";
    /** Name of the indicator feature of numeric feature {@code f}. */
    static final String INDICATOR_PREFIX = "missing_";

    private final List<String> inputNames;
    private final List<String> categorical;
    private final String[][] categories;
    private final double[] surrogates;
    private final int[] indicators;
    private final Standardizer scaler;
    private final String impute;

    /**
     * @param inputNames  the input features, in order (what data to score is matched by)
     * @param categorical names of the categorical features, in the order of the raw {@code categories} column
     * @param categories  per categorical feature, its training categories in index order
     * @param surrogates  per input feature, the value a missing numeric value gets (ignored at categorical positions)
     * @param indicators  input positions of the numeric features that get a missing indicator
     * @param scaler      standardisation of the prepared vector (identity at categorical positions and indicators)
     * @param impute      the numeric imputation strategy, for provenance
     */
    Preparation(List<String> inputNames, List<String> categorical, String[][] categories, double[] surrogates, int[] indicators,
                Standardizer scaler, String impute) {
        this.inputNames = List.copyOf(inputNames);
        this.categorical = List.copyOf(categorical);
        this.categories = categories;
        this.surrogates = surrogates.clone();
        this.indicators = indicators.clone();
        this.scaler = scaler;
        this.impute = impute;
        if (scaler.size() != inputNames.size() + indicators.length || surrogates.length != inputNames.size()
                || categories.length != categorical.size()) {
            throw new IllegalArgumentException("inconsistent preparation: " + inputNames.size() + " features, "
                    + indicators.length + " indicators, scaler of " + scaler.size());
        }
    }

    /** Fits the preparation on a training part (Spark jobs: imputer, indexer, indicators, statistics). */
    public static Preparation fit(LabeledFrame train, PrepareOptions options) {
        List<String> names = train.featureNames();
        List<String> categorical = train.raw() == null ? List.of() : train.raw().categorical();
        int[] catPositions = categorical.stream().mapToInt(names::indexOf).toArray();
        Dataset<Row> df = columns(train.frame(), names.size(), catPositions);
        List<Integer> numeric = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            if (!contains(catPositions, j)) {
                numeric.add(j);
            }
        }
        double[] surrogates = new double[names.size()];
        Arrays.fill(surrogates, Double.NaN);
        if (!numeric.isEmpty()) {
            String[] in = numeric.stream().map(j -> NUM + j).toArray(String[]::new);
            ImputerModel im;
            try {
                im = new Imputer().setInputCols(in).setOutputCols(numeric.stream().map(j -> NUM + j + "_out").toArray(String[]::new))
                        .setStrategy(options.sparkStrategy()).fit(df);
            } catch (RuntimeException e) {
                throw new DataException(train.source() + ": a numeric feature has only missing values in the training part ("
                        + names(e.getMessage(), names) + ")", e);
            }
            Row s = im.surrogateDF().first();
            for (int k = 0; k < in.length; k++) {
                surrogates[numeric.get(k)] = ((Number) s.getAs(in[k])).doubleValue();
            }
        }
        String[][] categories = new String[categorical.size()][];
        if (!categorical.isEmpty()) {
            StringIndexerModel sim = new StringIndexer().setInputCols(catCols(categorical.size(), CAT))
                    .setOutputCols(catCols(categorical.size(), IDX)).setStringOrderType("frequencyDesc").fit(df);
            categories = sim.labelsArray();
        }
        int[] indicators = options.missingIndicator() ? indicators(df, numeric) : new int[0];
        Preparation unscaled = new Preparation(names, categorical, categories, surrogates, indicators,
                Standardizer.identity(names.size() + indicators.length), options.impute());
        Standardizer fitted = Standardizer.fit(unscaled.apply(train.frame()));
        double[] mean = fitted.mean();
        double[] std = fitted.std();
        for (int p : catPositions) {
            mean[p] = 0;
            std[p] = 1;
        }
        for (int i = names.size(); i < mean.length; i++) {
            mean[i] = 0;
            std[i] = 1;
        }
        Preparation p = new Preparation(names, categorical, categories, surrogates, indicators, new Standardizer(mean, std),
                options.impute());
        LOG.info("preparation fitted on {}: {} numeric feature(s) imputed by {}, {} categorical ({}), {} missing indicator(s)",
                train.source(), numeric.size(), options.impute(), categorical.size(), p.describeLevels(), indicators.length);
        return p;
    }

    /**
     * {@code part} prepared: features imputed, indexed and standardised, in the layout of
     * {@link #featureNames()}, with {@link LabeledFrame#categorical} set; categories unseen in
     * training are counted in the log when {@code countUnseen} (one Spark job).
     */
    public LabeledFrame transform(LabeledFrame part, boolean countUnseen) {
        if (!part.featureNames().equals(inputNames)) {
            throw new DataException(part.source() + ": features " + part.featureNames() + " are not the prepared ones " + inputNames);
        }
        List<String> partCategorical = part.raw() == null ? List.of() : part.raw().categorical();
        if (!partCategorical.equals(categorical)) {
            throw new DataException(part.source() + ": categorical features " + partCategorical + " are not the training part's "
                    + categorical);
        }
        return new LabeledFrame(transform(part.frame(), part.source(), countUnseen), part.labels(), featureNames(), part.source(),
                null, categoricalFeatures());
    }

    /** The rows of {@code frame} (input features in order, raw {@code categories}) prepared; see {@link #transform(LabeledFrame, boolean)}. */
    public Dataset<Row> transform(Dataset<Row> frame, String source, boolean countUnseen) {
        Dataset<Row> out = apply(frame);
        if (countUnseen && !categorical.isEmpty()) {
            logUnseen(out, source);
        }
        return out;
    }

    /** Imputes, indexes and scales: {@link #transform(Dataset, String, boolean)} without the unseen count. */
    private Dataset<Row> apply(Dataset<Row> frame) {
        int d = inputNames.size();
        Dataset<Row> df = frame;
        String[] idx = catCols(categorical.size(), IDX);
        if (!categorical.isEmpty()) {
            for (int i = 0; i < categorical.size(); i++) {
                // a missing category is the most frequent one, index 0 of the frequency order
                df = df.withColumn(CAT + i, coalesce(col(Columns.CATEGORIES).getItem(i), lit(categories[i][0])));
            }
            df = new StringIndexerModel(categories).setInputCols(catCols(categorical.size(), CAT)).setOutputCols(idx)
                    .setHandleInvalid("keep").transform(df);
        }
        String[] parts = new String[1 + idx.length];
        parts[0] = Columns.FEATURES;
        System.arraycopy(idx, 0, parts, 1, idx.length);
        // "keep" passes NaN (missing values) through; it needs the vector's size in the metadata
        df = new VectorSizeHint().setInputCol(Columns.FEATURES).setSize(d).transform(df);
        df = new VectorAssembler().setInputCols(parts).setOutputCol(ALL).setHandleInvalid("keep").transform(df);
        int[] catPositions = categoricalPositions();
        double[] sur = surrogates;
        int[] ind = indicators;
        double[] mean = scaler.mean();
        double[] std = scaler.std();
        UDF1<Vector, Vector> prepare = v -> {
            double[] all = v.toArray();
            double[] x = new double[d + ind.length];
            System.arraycopy(all, 0, x, 0, d);
            for (int i = 0; i < catPositions.length; i++) {
                x[catPositions[i]] = all[d + i];
            }
            for (int i = 0; i < ind.length; i++) {
                x[d + i] = Double.isNaN(all[ind[i]]) ? 1 : 0;
            }
            for (int j = 0; j < d; j++) {
                if (Double.isNaN(x[j])) {
                    x[j] = sur[j];
                }
            }
            double[] out = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                out[j] = (x[j] - mean[j]) / std[j];
            }
            return Vectors.dense(out);
        };
        List<String> drop = new ArrayList<>(List.of(ALL, Columns.CATEGORIES));
        drop.addAll(Arrays.asList(catCols(categorical.size(), CAT)));
        drop.addAll(Arrays.asList(idx));
        Column prepared = functions.udf(prepare, SQLDataTypes.VectorType()).apply(col(ALL));
        df = categorical.isEmpty() ? df.withColumn(Columns.FEATURES, prepared)
                : categoricalFeatures().declare(df.withColumn(Columns.FEATURES, prepared), Columns.FEATURES, d + ind.length);
        return df.drop(drop.toArray(new String[0]));
    }

    /** Logs how many rows of {@code prepared} have a category the training part did not have, per column. */
    private void logUnseen(Dataset<Row> prepared, String source) {
        int[] positions = categoricalPositions();
        Column values = org.apache.spark.ml.functions.vector_to_array(col(Columns.FEATURES), "float64");
        List<Column> counts = new ArrayList<>();
        for (int i = 0; i < positions.length; i++) {
            counts.add(sum(when(values.getItem(positions[i]).equalTo(categories[i].length), 1).otherwise(0)));
        }
        Row r = prepared.agg(counts.get(0), counts.subList(1, counts.size()).toArray(new Column[0])).first();
        long total = 0;
        StringBuilder per = new StringBuilder();
        for (int i = 0; i < positions.length; i++) {
            long n = r.isNullAt(i) ? 0 : r.getLong(i);
            total += n;
            if (n > 0) {
                per.append(per.length() == 0 ? "" : ", ").append(categorical.get(i)).append(": ").append(n);
            }
        }
        LOG.info("{}: {} categorical value(s) unseen in training went to the unknown slot{}", source, total,
                total == 0 ? "" : " (" + per + ")");
    }

    /** The frame's input features as columns {@code _prep_n<j>} (numeric) and {@code _prep_c<i>} (categories). */
    private static Dataset<Row> columns(Dataset<Row> frame, int d, int[] catPositions) {
        Column values = org.apache.spark.ml.functions.vector_to_array(col(Columns.FEATURES), "float64");
        List<Column> cols = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            if (!contains(catPositions, j)) {
                cols.add(values.getItem(j).as(NUM + j));
            }
        }
        for (int i = 0; i < catPositions.length; i++) {
            cols.add(col(Columns.CATEGORIES).getItem(i).as(CAT + i));
        }
        return frame.select(cols.toArray(new Column[0]));
    }

    /** Input positions among {@code numeric} with at least one missing value (one Spark job). */
    private static int[] indicators(Dataset<Row> df, List<Integer> numeric) {
        if (numeric.isEmpty()) {
            return new int[0];
        }
        List<Column> counts = new ArrayList<>();
        for (int j : numeric) {
            counts.add(sum(when(isnan(col(NUM + j)), 1).otherwise(0)));
        }
        Row r = df.agg(counts.get(0), counts.subList(1, counts.size()).toArray(new Column[0])).first();
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < numeric.size(); k++) {
            if (!r.isNullAt(k) && r.getLong(k) > 0) {
                out.add(numeric.get(k));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The feature names a Spark message mentions by temporary column, or the message itself. */
    private static String names(String message, List<String> names) {
        List<String> found = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            if (message != null && message.matches("(?s).*\\b" + NUM + j + "\\b.*")) {
                found.add("'" + names.get(j) + "'");
            }
        }
        return found.isEmpty() ? String.valueOf(message) : String.join(", ", found);
    }

    private static String[] catCols(int n, String prefix) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = prefix + i;
        }
        return out;
    }

    private static boolean contains(int[] a, int v) {
        return Arrays.stream(a).anyMatch(x -> x == v);
    }

    private String describeLevels() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < categorical.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(categorical.get(i)).append(": ").append(categories[i].length).append(" levels");
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    /** The input features, in order: what data to score must have. */
    public List<String> inputNames() {
        return inputNames;
    }

    /** Names of the categorical input features. */
    public List<String> categorical() {
        return categorical;
    }

    /** The prepared frame's features: the input ones, then {@code missing_<name>} per indicator. */
    public List<String> featureNames() {
        List<String> out = new ArrayList<>(inputNames);
        for (int p : indicators) {
            out.add(INDICATOR_PREFIX + inputNames.get(p));
        }
        return out;
    }

    /** Where the prepared vector holds category indices, and how many training categories each has. */
    public CategoricalFeatures categoricalFeatures() {
        int[] levels = new int[categories.length];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = categories[i].length;
        }
        int[] positions = categoricalPositions();
        int[] order = java.util.stream.IntStream.range(0, positions.length).boxed()
                .sorted((a, b) -> Integer.compare(positions[a], positions[b])).mapToInt(Integer::intValue).toArray();
        return CategoricalFeatures.at(Arrays.stream(order).map(i -> positions[i]).toArray())
                .withLevels(Arrays.stream(order).map(i -> levels[i]).toArray());
    }

    private int[] categoricalPositions() {
        return categorical.stream().mapToInt(inputNames::indexOf).toArray();
    }

    /** The stored form (model files). */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("impute", impute);
        m.put("features", inputNames);
        m.put("categorical", categorical);
        m.put("categories", categories);
        m.put("surrogates", surrogates);
        m.put("indicators", indicators);
        m.put("mean", scaler.mean());
        m.put("std", scaler.std());
        return m;
    }

    /** Reads {@link #toJson}'s form. */
    @SuppressWarnings("unchecked")
    static Preparation fromJson(Map<String, Object> m) {
        List<List<String>> cats = (List<List<String>>) m.get("categories");
        String[][] categories = cats.stream().map(l -> l.toArray(new String[0])).toArray(String[][]::new);
        double[] surrogates = ((List<Object>) m.get("surrogates")).stream()
                .mapToDouble(o -> o instanceof Number n ? n.doubleValue() : Double.NaN).toArray();
        int[] indicators = ((List<Number>) m.get("indicators")).stream().mapToInt(Number::intValue).toArray();
        double[] mean = ((List<Number>) m.get("mean")).stream().mapToDouble(Number::doubleValue).toArray();
        double[] std = ((List<Number>) m.get("std")).stream().mapToDouble(Number::doubleValue).toArray();
        return new Preparation((List<String>) m.get("features"), (List<String>) m.get("categorical"), categories, surrogates,
                indicators, new Standardizer(mean, std), (String) m.get("impute"));
    }
}
